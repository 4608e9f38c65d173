/**
 * Payment discipline of one customer over a trailing window (default 12 months) as of a date, from
 * its folded ledger: amount-weighted on-time share, weighted average days late, trend (the last 90
 * days against the 90 before), broken promises and reversed payments → a score and a risk category
 * (thresholds as data, policy.ts). Pure.
 *
 * Exactly:
 * - Invoices counted: not void, due in (asOf − windowDays, asOf], in the customer's main currency (the
 *   one with the largest amount due; amounts of different currencies are not added).
 * - Due amount of an invoice = its amount − credit notes and write-offs allocated to it.
 * - Paid on time = money (payments, or credit from them) allocated on or before the due date; paid late
 *   = allocated after it, late by (allocation date − due date) days; unpaid at asOf = late by
 *   (asOf − due date) days. Allocations undone by a void or a reversal do not count.
 * - onTimeShare = Σ on time / Σ due; avgDaysLate = Σ (late amount × days late) / Σ due (on-time money
 *   counts as 0 days, so one small late invoice does not make a good payer look bad).
 * - trend = onTimeShare of invoices due in the last `trendDays` − of those due in the `trendDays`
 *   before, in percentage points: within ±trendBandPct "stable", else "improving"/"worsening";
 *   "unknown" when either period has no invoice.
 * - brokenPromises = promises whose date fell in the window, on or before asOf, and less than the
 *   promised amount arrived between the day the promise was made and that date (inclusive).
 * - reversals = payments reversed (bounced) with the reversal dated in the window.
 * - score = clamp(100 × onTimeShare − daysLatePenalty × avgDaysLate − brokenPromisePenalty × broken
 *   − reversalPenalty × reversals, 0, 100), rounded to one decimal; category = the first threshold the
 *   score reaches; fewer than minInvoices invoices counted → "new".
 */
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, type CalendarDate } from '../dates.js';
import type { Currency } from '../money.js';
import type { LedgerState } from '../ledger/fold.js';
import { matrixRow } from './matrix.js';
import type { CreditPolicy, CreditTerms, DisciplineRules, RiskCategory } from './policy.js';

export interface PromiseToPay {
  /** The promised payment date. */
  date: CalendarDate;
  amount: { amount: string; currency: Currency };
  /** The day the promise was made. */
  madeOn: CalendarDate;
}

export interface DisciplineMetrics {
  asOf: CalendarDate;
  from: CalendarDate;
  currency?: Currency;
  invoices: number;
  dueAmount: string;
  onTimeAmount: string;
  /** 0…1, four decimals. */
  onTimeShare: string;
  /** Days, two decimals. */
  avgDaysLate: string;
  trend: { direction: 'improving' | 'stable' | 'worsening' | 'unknown'; recentShare?: string; previousShare?: string; deltaPct?: string };
  brokenPromises: number;
  reversals: number;
  score: string;
  category: RiskCategory;
}

interface InvoicePerf {
  dueDate: CalendarDate;
  due: Decimal;
  onTime: Decimal;
  lateDays: Decimal; // Σ amount × days late
}

function perfOf(state: LedgerState, asOf: CalendarDate, from: CalendarDate): Map<Currency, InvoicePerf[]> {
  const byInvoice = new Map<string, typeof state.allocations>();
  for (const a of state.allocations) {
    if (a.targetKind !== 'invoice' || a.undoneBy) continue;
    byInvoice.set(a.targetId, [...(byInvoice.get(a.targetId) ?? []), a]);
  }
  const out = new Map<Currency, InvoicePerf[]>();
  for (const inv of state.invoices) {
    if (inv.status === 'void' || inv.dueDate <= from || inv.dueDate > asOf) continue;
    const allocs = (byInvoice.get(inv.invoiceId) ?? []).filter((a) => a.date <= asOf);
    let due = new Decimal(inv.amount.amount);
    let onTime = new Decimal(0);
    let paid = new Decimal(0);
    let lateDays = new Decimal(0);
    for (const a of allocs) {
      const amt = new Decimal(a.amount.amount);
      if (a.reason === 'credit-note' || a.reason === 'write-off') {
        due = due.minus(amt);
        continue;
      }
      paid = paid.plus(amt);
      if (a.date <= inv.dueDate) onTime = onTime.plus(amt);
      else lateDays = lateDays.plus(amt.times(daysBetween(inv.dueDate, a.date)));
    }
    const unpaid = Decimal.max(due.minus(paid), 0);
    lateDays = lateDays.plus(unpaid.times(daysBetween(inv.dueDate, asOf)));
    if (due.lte(0)) continue;
    const c = inv.amount.currency;
    out.set(c, [...(out.get(c) ?? []), { dueDate: inv.dueDate, due, onTime: Decimal.min(onTime, due), lateDays }]);
  }
  return out;
}

const share = (ps: InvoicePerf[]): Decimal | undefined => {
  const due = ps.reduce((s, p) => s.plus(p.due), new Decimal(0));
  return due.gt(0) ? ps.reduce((s, p) => s.plus(p.onTime), new Decimal(0)).div(due) : undefined;
};

export function categoryFor(score: Decimal, rules: DisciplineRules): Exclude<RiskCategory, 'new'> {
  for (const t of rules.thresholds) if (score.gte(t.minScore)) return t.category;
  return rules.thresholds[rules.thresholds.length - 1]!.category;
}

export function paymentDiscipline(state: LedgerState, asOf: CalendarDate, rules: DisciplineRules, promises: readonly PromiseToPay[] = []): DisciplineMetrics {
  const from = addDays(asOf, -rules.windowDays);
  const perf = perfOf(state, asOf, from);
  // Main currency: the largest amount due.
  const main = [...perf.entries()].map(([c, ps]) => ({ c, due: ps.reduce((s, p) => s.plus(p.due), new Decimal(0)) })).sort((a, b) => b.due.cmp(a.due) || (a.c < b.c ? -1 : 1))[0];
  const ps = main ? perf.get(main.c)! : [];
  const due = ps.reduce((s, p) => s.plus(p.due), new Decimal(0));
  const onTime = ps.reduce((s, p) => s.plus(p.onTime), new Decimal(0));
  const lateDays = ps.reduce((s, p) => s.plus(p.lateDays), new Decimal(0));
  const onTimeShare = due.gt(0) ? onTime.div(due) : new Decimal(1);
  const avgDaysLate = due.gt(0) ? lateDays.div(due) : new Decimal(0);

  const mid = addDays(asOf, -rules.trendDays);
  const early = addDays(asOf, -2 * rules.trendDays);
  const recent = share(ps.filter((p) => p.dueDate > mid));
  const previous = share(ps.filter((p) => p.dueDate > early && p.dueDate <= mid));
  let trend: DisciplineMetrics['trend'] = { direction: 'unknown' };
  if (recent !== undefined && previous !== undefined) {
    const delta = recent.minus(previous).times(100);
    trend = {
      direction: delta.abs().lte(rules.trendBandPct) ? 'stable' : delta.gt(0) ? 'improving' : 'worsening',
      recentShare: recent.toFixed(4),
      previousShare: previous.toFixed(4),
      deltaPct: delta.toFixed(2),
    };
  }

  const paymentsIn = (a: CalendarDate, b: CalendarDate, currency: Currency) =>
    state.payments.filter((p) => !p.reversed && p.amount.currency === currency && p.date >= a && p.date <= b).reduce((s, p) => s.plus(p.amount.amount), new Decimal(0));
  const brokenPromises = promises.filter((p) => p.date > from && p.date <= asOf && paymentsIn(p.madeOn, p.date, p.amount.currency).lt(p.amount.amount)).length;
  const reversals = state.documents.filter((d) => d.kind === 'reversal' && d.date > from && d.date <= asOf).length;

  const raw = onTimeShare
    .times(100)
    .minus(avgDaysLate.times(rules.daysLatePenalty))
    .minus(new Decimal(rules.brokenPromisePenalty).times(brokenPromises))
    .minus(new Decimal(rules.reversalPenalty).times(reversals));
  const score = Decimal.min(Decimal.max(raw, 0), 100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  const category: RiskCategory = ps.length < rules.minInvoices ? 'new' : categoryFor(score, rules);
  return {
    asOf,
    from,
    ...(main ? { currency: main.c } : {}),
    invoices: ps.length,
    dueAmount: due.toFixed(2),
    onTimeAmount: onTime.toFixed(2),
    onTimeShare: onTimeShare.toFixed(4),
    avgDaysLate: avgDaysLate.toFixed(2),
    trend,
    brokenPromises,
    reversals,
    score: score.toFixed(1),
    category,
  };
}

export interface CategoryChange {
  customerId: string;
  from: RiskCategory | null;
  to: RiskCategory;
  asOf: CalendarDate;
  /** Each metric that moved: [{metric, before, after}], plus the score against the new category's threshold. */
  reasons: { metric: string; before: string | number | null; after: string | number; threshold?: number }[];
  /** The matrix's terms for the new category (proposed, never applied by themselves). */
  proposedTerms?: CreditTerms;
  policyVersion: string;
}

const METRICS = ['score', 'onTimeShare', 'avgDaysLate', 'brokenPromises', 'reversals', 'invoices'] as const;

/** A category change with its reasons and the matrix's proposal, or undefined when the category did not change. */
export function categoryChange(
  customerId: string,
  customerType: string,
  before: DisciplineMetrics | undefined,
  after: DisciplineMetrics,
  policy: CreditPolicy,
): CategoryChange | undefined {
  if (before && before.category === after.category) return undefined;
  const threshold = policy.discipline.thresholds.find((t) => t.category === after.category)?.minScore;
  const reasons: CategoryChange['reasons'] = [];
  for (const m of METRICS) {
    const b = before ? before[m] : null;
    const a = after[m];
    if (b === null || String(b) !== String(a)) reasons.push({ metric: m, before: b, after: a, ...(m === 'score' && threshold !== undefined ? { threshold } : {}) });
  }
  if (after.category === 'new') reasons.push({ metric: 'invoices', before: before?.invoices ?? null, after: after.invoices, threshold: policy.discipline.minInvoices });
  const row = matrixRow(policy, customerType, after.category);
  return {
    customerId,
    from: before?.category ?? null,
    to: after.category,
    asOf: after.asOf,
    reasons,
    ...(row ? { proposedTerms: row.terms } : {}),
    policyVersion: `${policy.name}@${policy.version}`,
  };
}
