/**
 * Credit control's scheduled jobs (workflows/credit-schedule.ts), the same in Lambda (credit-jobs) and
 * on the local stack: `deliver` sends the outgoing events due, page after page while time is left;
 * `sweep` recomputes the snapshots, least recently computed first, while time is left.
 */
import { dispatchDue, type DispatchDeps } from './events.js';
import { sweep, type CreditDeps } from './service.js';

export type CreditJob = 'deliver' | 'sweep';

export async function runCreditJob(
  deps: { credit: CreditDeps; dispatch: DispatchDeps },
  job: CreditJob,
  opts: { timeLeftMs?: () => number } = {},
): Promise<Record<string, number>> {
  if (job === 'sweep') {
    const r = await sweep(deps.credit, opts.timeLeftMs ? { timeLeftMs: opts.timeLeftMs } : {});
    return { customers: r.customers, refreshed: r.refreshed, changed: r.changed.length, left: r.left };
  }
  const total = { delivered: 0, retried: 0, dead: 0 };
  // Pages of 50 while a page was full of work and more than 10 s remain (a Lambda's timeout).
  for (;;) {
    const r = await dispatchDue(deps.dispatch, 50);
    total.delivered += r.delivered;
    total.retried += r.retried;
    total.dead += r.dead;
    if (r.delivered + r.retried + r.dead < 50 || (opts.timeLeftMs?.() ?? 0) < 10_000) break;
  }
  return total;
}
