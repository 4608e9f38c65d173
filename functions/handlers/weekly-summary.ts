/**
 * Lambda entry: target of the weekly-summary schedule (EventBridge Scheduler, default Monday 08:00 in
 * the company time zone). Input {"scheduledTime": "<aws.scheduler.scheduled-time>"}; operators may
 * pass {"date": "YYYY-MM-DD"} (and "force": true to send again). The summary's date is the scheduled
 * instant's calendar date in the company zone; the run is found by that date: its log line, and
 * reports/weekly-summary/<date>.pdf/.json in the documents bucket.
 * The nightly snapshot's schedule sends {"snapshot": true, "scheduledTime": …}; an operator back-fills
 * past days with {"snapshot": true, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "force"?: true}
 * (at most MAX_BACKFILL_DAYS days per invocation; docs/reports.md).
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { composeReports } from '../adapters/compose-reports.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeRunLambda } from '../adapters/compose.js';
import { loadFunctionConfig } from '../config.js';
import { backfillDailySnapshots, sendWeeklySummary, writeDailySnapshot } from '../app/weekly-summary.js';
import { dateInZone, type CalendarDate } from '../domain/dates.js';
import { ValidationError } from '../domain/errors.js';
import { zDate, zodFields } from '../domain/ledger/commands.js';
import { parseReportsConfig } from '../domain/reports/config.js';
import { logger, once } from './runtime.js';

// Cold start: a missing or bad variable throws here, naming it.
const config = loadFunctionConfig('weeklySummary');
const app = once(() => composeRunLambda(config, awsClients()));
export const zWeeklySummaryEvent = z.union([
  z.object({ snapshot: z.literal(true), from: zDate, to: zDate, force: z.boolean().optional() }),
  z.object({ snapshot: z.literal(true), scheduledTime: z.iso.datetime({ offset: true }).optional(), date: zDate.optional() }),
  z.object({ date: zDate, force: z.boolean().optional() }),
  z.object({ scheduledTime: z.iso.datetime({ offset: true }) }),
]);

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const parsed = zWeeklySummaryEvent.safeParse(event);
  if (!parsed.success) throw new ValidationError(zodFields(parsed.error, 'event'));
  const reports = async () =>
    composeReports(await app(), { doc: awsClients().doc, tableName: config.TABLE_NAME, timeZone: config.COMPANY_TIME_ZONE, config: parseReportsConfig(config.REPORTS_CONFIG) });
  if ('from' in parsed.data) {
    const { from, to, force } = parsed.data;
    const r = await backfillDailySnapshots((await reports()).summary, { from, to, force: force === true, today: dateInZone(new Date(), config.COMPANY_TIME_ZONE) });
    logger.info('snapshot back-fill', { from, to, written: r.written.length, skipped: r.skipped.length });
    return r;
  }
  if ('snapshot' in parsed.data) {
    // The nightly snapshot (its own schedule, same function): reports/snapshots/<date>.json.
    const day: CalendarDate = parsed.data.date ?? dateInZone(parsed.data.scheduledTime ? new Date(parsed.data.scheduledTime) : new Date(), config.COMPANY_TIME_ZONE);
    const r = await writeDailySnapshot((await reports()).summary, day);
    logger.info('daily snapshot', { snapshotDate: day, rows: r.rows, uri: r.uri });
    return { snapshotDate: day, rows: r.rows, uri: r.uri };
  }
  const ev = parsed.data;
  const date: CalendarDate = 'date' in ev ? ev.date : dateInZone(new Date(ev.scheduledTime), config.COMPANY_TIME_ZONE);
  const { summary } = await reports();
  const r = await sendWeeklySummary(summary, date, { force: 'force' in parsed.data && parsed.data.force === true });
  logger.info('weekly summary', { summaryDate: date, status: r.status, recipients: r.recipients, messageId: r.messageId, pdf: r.pdfUri });
  return { summaryDate: date, status: r.status, messageId: r.messageId, pdf: r.pdfUri, json: r.jsonUri };
};
