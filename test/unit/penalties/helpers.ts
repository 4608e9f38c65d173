import type { PenaltyResult } from '../../../functions/domain/penalties/index.js';

/** Compact row view for assertions: [from, to, days, base, rate, fraction, amount]. */
export const rows = (r: PenaltyResult) => r.periods.map((p) => [p.from, p.to, p.days, p.base, p.rate, p.fraction, p.amount]);
