/**
 * The last stdout line of `npm start -- --once --as-of D --json`: the run's outcome for a script
 * (documented by docs/schemas/run-once.json).
 */
import type { LocalRunResult } from './stack.js';

export function onceJson(r: LocalRunResult, asOf: string, inbox: string): Record<string, unknown> {
  const s = r.summary;
  return {
    runDate: s?.runDate ?? asOf,
    executionName: r.executionName,
    status: r.status,
    customers: s?.customers ?? 0,
    letters: s?.letters ?? { reminder: 0, warning: 0, claim: 0, litigation: 0 },
    failures: s?.failures ?? 0,
    ambiguous: s?.ambiguous ?? 0,
    sending: s?.sending ?? 0,
    ...(s?.sendingLeaseUntil ? { sendingLeaseUntil: s.sendingLeaseUntil } : {}),
    resumed: r.resumed ?? false,
    amounts: s?.amounts ?? {},
    printBatch: s?.printBatch ?? null,
    printVolumes: s?.printVolumes ?? [],
    inbox,
  };
}
