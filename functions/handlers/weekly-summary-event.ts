/**
 * The events the weekly-summary function takes (functions/handlers/weekly-summary.ts), apart from the
 * handler so that they can be parsed without the function's environment:
 *  - {scheduledTime} (the weekly schedule) or {date, force?} (an operator): the weekly summary;
 *  - {snapshot: true, scheduledTime? | date?}: the nightly snapshot;
 *  - {snapshot: true, from, to, force?}: a back-fill of past days' snapshots (an operator);
 *  - {maintenance: 'index-backfill'}: the one-off back-fills of the customer-search and balance indexes
 *    (an operator, once after deploying over a table written by an older version; docs/deploy.md);
 *  - {action: 'report-job', jobId, name, params, by}: a report job (functions/app/report-jobs.ts),
 *    invoked asynchronously by operator-api (lambda-job-worker.ts reportJobEvent).
 */
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { zDate, zodFields } from '../domain/ledger/commands.js';
import { REPORT_PARAMS } from '../app/report-jobs.js';

export const zReportJobEvent = z.object({
  action: z.literal('report-job'),
  jobId: z.string().regex(/^rpt-[0-9a-f-]{36}$/, { message: 'a report job id' }),
  name: z.string().min(1).max(60),
  params: z.partialRecord(z.enum(REPORT_PARAMS), z.string().max(2000)),
  by: z.string().min(1).max(200),
});

export const zWeeklySummaryEvent = z.union([
  zReportJobEvent,
  z.strictObject({ maintenance: z.literal('index-backfill') }),
  z.object({ snapshot: z.literal(true), from: zDate, to: zDate, force: z.boolean().optional() }),
  // Strict: a back-fill with a bad date must be refused, not taken for tonight's snapshot without its range.
  z.strictObject({ snapshot: z.literal(true), scheduledTime: z.iso.datetime({ offset: true }).optional(), date: zDate.optional() }),
  z.object({ date: zDate, force: z.boolean().optional() }),
  z.object({ scheduledTime: z.iso.datetime({ offset: true }) }),
]);
export type WeeklySummaryEvent = z.output<typeof zWeeklySummaryEvent>;

/** The event, or a ValidationError naming each bad field under "event". */
export function parseWeeklySummaryEvent(event: unknown): WeeklySummaryEvent {
  // An event with an action is a job: its own schema names the bad fields (the union would only say "event").
  const isJob = typeof event === 'object' && event !== null && 'action' in event;
  const parsed = (isJob ? zReportJobEvent : zWeeklySummaryEvent).safeParse(event);
  if (!parsed.success) throw new ValidationError(zodFields(parsed.error, 'event'));
  return parsed.data;
}
