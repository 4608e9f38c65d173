/**
 * Use case: start the dunning run for a date. The execution name carries the run date, so a second
 * trigger for the same date cannot start a second run (Step Functions refuses a duplicate name).
 */
import { dateInZone, parseDate, type CalendarDate } from '../domain/dates.js';
import type { RunStarter } from '../ports/dunning.js';

export interface StartRunRequest {
  /** The Scheduler's <aws.scheduler.scheduled-time>, an ISO instant. */
  scheduledTime?: string;
  /** Or an explicit business date (operator / CLI). */
  runDate?: string;
  dryRun?: boolean;
  /** A deliberate re-run of a date already run gets its own execution name. */
  rerun?: string;
}

export const executionNameFor = (runDate: CalendarDate, opts: { dryRun?: boolean; rerun?: string } = {}): string =>
  `dunning-run-${runDate}${opts.dryRun ? `-dry-run-${opts.rerun ?? 'preview'}` : opts.rerun ? `-rerun-${opts.rerun}` : ''}`;

export async function startRun(
  deps: { starter: RunStarter; timeZone: string; now: () => Date },
  req: StartRunRequest,
): Promise<{ runDate: CalendarDate; executionName: string; status: 'started' | 'already-started'; executionArn?: string }> {
  const runDate = req.runDate ? parseDate(req.runDate, 'runDate') : dateInZone(req.scheduledTime ? new Date(req.scheduledTime) : deps.now(), deps.timeZone);
  const executionName = executionNameFor(runDate, req);
  const res = await deps.starter.start(executionName, { runDate, dryRun: req.dryRun ?? false, trigger: req.scheduledTime ? 'schedule' : 'operator' });
  return res === 'exists' ? { runDate, executionName, status: 'already-started' } : { runDate, executionName, status: 'started', executionArn: res.executionArn };
}
