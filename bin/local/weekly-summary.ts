/**
 * The weekly management summary and the nightly report snapshot on the local stack: the same crons the
 * AWS stack synthesizes (workflows/summary-schedule.ts), in their croner form, on the local scheduler,
 * calling the same use cases as the Lambda (sendWeeklySummary, writeDailySnapshot, backfillDailySnapshots).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Composed } from '../../functions/adapters/compose.js';
import { composeReports } from '../../functions/adapters/compose-reports.js';
import { backfillDailySnapshots, sendWeeklySummary, writeDailySnapshot, type BackfillResult, type SentSummary } from '../../functions/app/weekly-summary.js';
import { dateInZone, type CalendarDate } from '../../functions/domain/dates.js';
import { parseReportsConfig, type ReportsConfig } from '../../functions/domain/reports/config.js';
import { cronerPattern, eventBridgeCron } from '../../workflows/cron.js';
import { DAILY_SNAPSHOT_SCHEDULE, summaryCron } from '../../workflows/summary-schedule.js';
import { startLocalScheduler, type LocalScheduler } from './scheduler.js';

export interface LocalWeeklySummary {
  send(date: CalendarDate, opts?: { force?: boolean }): Promise<SentSummary>;
  scheduler?: LocalScheduler;
  cron: string;
  /** Writes the day's report snapshot (what the nightly tick does). */
  snapshot(date: CalendarDate): Promise<{ uri: string; rows: number }>;
  /** Back-fills past days' snapshots (what the Lambda does for {"snapshot": true, "from", "to"}). */
  backfill(input: { from: CalendarDate; to: CalendarDate; force?: boolean }): Promise<BackfillResult>;
  snapshotScheduler?: LocalScheduler;
  /** The snapshot's cron as the AWS stack synthesizes it. */
  snapshotCron: string;
}

export function localWeeklySummary(
  app: Composed,
  x: {
    doc: DynamoDBDocumentClient;
    tableName: string;
    timeZone: string;
    env?: Record<string, string | undefined>;
    config?: ReportsConfig;
    schedule: boolean;
    log: (l: string) => void;
  },
): LocalWeeklySummary {
  const config = x.config ?? parseReportsConfig(x.env?.REPORTS_CONFIG);
  const { summary } = composeReports(app, { doc: x.doc, tableName: x.tableName, timeZone: x.timeZone, config });
  const cron = eventBridgeCron(summaryCron(config.summary));
  const send = (date: CalendarDate, opts: { force?: boolean } = {}) => sendWeeklySummary(summary, date, opts);
  const scheduler = x.schedule
    ? startLocalScheduler({
        pattern: cronerPattern(summaryCron(config.summary)),
        timeZone: x.timeZone,
        onTick: async (at) => {
          const r = await send(dateInZone(at, x.timeZone));
          x.log(`weekly summary ${r.asOf}: ${r.status} to ${r.recipients.join(', ') || 'nobody'} (${r.pdfUri})`);
        },
      })
    : undefined;
  const snapshot = (date: CalendarDate) => writeDailySnapshot(summary, date);
  const snapshotScheduler = x.schedule
    ? startLocalScheduler({
        pattern: cronerPattern(DAILY_SNAPSHOT_SCHEDULE),
        timeZone: x.timeZone,
        onTick: async (at) => {
          const r = await snapshot(dateInZone(at, x.timeZone));
          x.log(`daily snapshot ${dateInZone(at, x.timeZone)}: ${r.rows} rows (${r.uri})`);
        },
      })
    : undefined;
  const backfill = (input: { from: CalendarDate; to: CalendarDate; force?: boolean }) => backfillDailySnapshots(summary, { ...input, today: dateInZone(new Date(), x.timeZone) });
  return {
    send,
    backfill,
    ...(scheduler ? { scheduler } : {}),
    cron,
    snapshot,
    ...(snapshotScheduler ? { snapshotScheduler } : {}),
    snapshotCron: eventBridgeCron(DAILY_SNAPSHOT_SCHEDULE),
  };
}
