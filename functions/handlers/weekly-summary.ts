/**
 * Lambda entry: target of the weekly-summary schedule (EventBridge Scheduler, default Monday 08:00 in
 * the company time zone). Input {"scheduledTime": "<aws.scheduler.scheduled-time>"}; operators may
 * pass {"date": "YYYY-MM-DD"} (and "force": true to send again). The summary's date is the scheduled
 * instant's calendar date in the company zone; the run is found by that date: its log line, and
 * reports/weekly-summary/<date>.pdf/.json in the documents bucket. The same function builds report jobs
 * ({"action": "report-job", …}, invoked asynchronously by operator-api: functions/app/report-jobs.ts),
 * and writes the nightly snapshot ({"snapshot": true}); an operator back-fills past days with
 * {"snapshot": true, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "force"?: true} (at most
 * MAX_BACKFILL_DAYS days per invocation; docs/reports.md), and runs the one-off index back-fills with
 * {"maintenance": "index-backfill"}; the events: ./weekly-summary-event.ts.
 */
import type { Context } from 'aws-lambda';
import { composeReports } from '../adapters/compose-reports.js';
import { composeReportJobs } from '../adapters/compose-report-jobs.js';
import { awsClients } from '../adapters/aws-clients.js';
import { backfillBalanceIndex } from '../adapters/balance-index-backfill.js';
import { backfillSearchIndex } from '../adapters/search-index-backfill.js';
import { composeRunLambda } from '../adapters/compose.js';
import { loadFunctionConfig } from '../config.js';
import { backfillDailySnapshots, sendWeeklySummary, writeDailySnapshot } from '../app/weekly-summary.js';
import { runReportJob } from '../app/report-jobs.js';
import { dateInZone, type CalendarDate } from '../domain/dates.js';
import { parseReportsConfig } from '../domain/reports/config.js';
import { logger, once } from './runtime.js';
import { parseWeeklySummaryEvent } from './weekly-summary-event.js';

// Cold start: a missing or bad variable throws here, naming it.
const config = loadFunctionConfig('weeklySummary');
const app = once(() => composeRunLambda(config, awsClients()));

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const parsed = { data: parseWeeklySummaryEvent(event) };
  const reports = async () =>
    composeReports(await app(), { doc: awsClients().doc, tableName: config.TABLE_NAME, timeZone: config.COMPANY_TIME_ZONE, config: parseReportsConfig(config.REPORTS_CONFIG) });
  if ('action' in parsed.data) {
    // A report job: built here (900 s), its file under reports/jobs/<jobId>/; the outcome is on the job, so nothing is thrown for Lambda to retry.
    const job = parsed.data;
    const deps = composeReportJobs({
      reports: (await reports()).reports,
      documents: (await app()).finishDeps.documents,
      doc: awsClients().doc,
      tableName: config.TABLE_NAME,
      warn: (m, d) => logger.warn(m, d),
    });
    const status = await runReportJob(deps, job);
    logger.info('report job', { jobId: job.jobId, report: job.name, status });
    return { jobId: job.jobId, status };
  }
  if ('maintenance' in parsed.data) {
    // Once after deploying over a table written before these indexes existed; each is one GetItem once done.
    const { doc } = awsClients();
    const search = await backfillSearchIndex(doc, config.TABLE_NAME);
    const balances = await backfillBalanceIndex(doc, config.TABLE_NAME);
    logger.info('index back-fill', { search, balances });
    return { search, balances };
  }
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
