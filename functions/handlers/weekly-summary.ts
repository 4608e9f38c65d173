/**
 * Lambda entry: target of the weekly-summary schedule (EventBridge Scheduler, default Monday 08:00 in
 * the company time zone). Input {"scheduledTime": "<aws.scheduler.scheduled-time>"}; operators may
 * pass {"date": "YYYY-MM-DD"} (and "force": true to send again). The summary's date is the scheduled
 * instant's calendar date in the company zone; the run is found by that date: its log line, and
 * reports/weekly-summary/<date>.pdf/.json in the documents bucket.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { composeReports } from '../adapters/compose-reports.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeRunLambda } from '../adapters/compose.js';
import { loadFunctionConfig } from '../config.js';
import { sendWeeklySummary } from '../app/weekly-summary.js';
import { dateInZone, type CalendarDate } from '../domain/dates.js';
import { ValidationError } from '../domain/errors.js';
import { zDate, zodFields } from '../domain/ledger/commands.js';
import { parseReportsConfig } from '../domain/reports/config.js';
import { logger, once } from './runtime.js';

// Cold start: a missing or bad variable throws here, naming it.
const config = loadFunctionConfig('weeklySummary');
const app = once(() => composeRunLambda(config, awsClients()));
const zEvent = z.union([z.object({ date: zDate, force: z.boolean().optional() }), z.object({ scheduledTime: z.iso.datetime({ offset: true }) })]);

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const parsed = zEvent.safeParse(event);
  if (!parsed.success) throw new ValidationError(zodFields(parsed.error, 'event'));
  const date: CalendarDate = 'date' in parsed.data ? parsed.data.date : dateInZone(new Date(parsed.data.scheduledTime), config.COMPANY_TIME_ZONE);
  const { summary } = composeReports(await app(), { doc: awsClients().doc, tableName: config.TABLE_NAME, timeZone: config.COMPANY_TIME_ZONE, config: parseReportsConfig(config.REPORTS_CONFIG) });
  const r = await sendWeeklySummary(summary, date, { force: 'force' in parsed.data && parsed.data.force === true });
  logger.info('weekly summary', { summaryDate: date, status: r.status, recipients: r.recipients, messageId: r.messageId, pdf: r.pdfUri });
  return { summaryDate: date, status: r.status, messageId: r.messageId, pdf: r.pdfUri, json: r.jsonUri };
};
