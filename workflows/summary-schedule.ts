/**
 * The weekly management summary's schedule, defined once like the dunning schedule: the CDK construct
 * (infra/constructs/reports.ts) synthesizes it as an EventBridge Scheduler cron in the company time
 * zone, and the local scheduler runs the croner pattern derived from the same fields. Default Monday 08:00.
 */
import type { SummarySchedule } from '../functions/domain/reports/config.js';

export type SummaryCron = Pick<SummarySchedule, 'weekDay' | 'hour' | 'minute'>;

export const DEFAULT_SUMMARY_SCHEDULE: SummaryCron = { weekDay: 'MON', hour: 8, minute: 0 };

/** The fields handed to aws-scheduler's ScheduleExpression.cron(). */
export const summaryCronFields = (s: SummaryCron) => ({ minute: String(s.minute), hour: String(s.hour), weekDay: s.weekDay });

/** cron(m h ? * DOW *) exactly as the stack synthesizes it. */
export function summaryEventBridgeCron(s: SummaryCron): string {
  const f = summaryCronFields(s);
  return `cron(${f.minute} ${f.hour} ? * ${f.weekDay} *)`;
}

/** The same schedule as a croner pattern (croner reads the day names MON…SUN as EventBridge does): "m h * * DOW". */
export function summaryCronerPattern(s: SummaryCron): string {
  const f = summaryCronFields(s);
  return `${f.minute} ${f.hour} * * ${f.weekDay}`;
}

/**
 * The nightly report snapshot's schedule (reports/snapshots/<date>.json), defined once: every day at
 * 23:50 in the company time zone. The CDK construct synthesizes `snapshotCronFields` as an EventBridge
 * Scheduler cron; the local stack runs `snapshotCronerPattern` on its scheduler, calling the same use case.
 */
export interface SnapshotCron {
  hour: number;
  minute: number;
}
export const DAILY_SNAPSHOT_SCHEDULE: SnapshotCron = { hour: 23, minute: 50 };

/** The fields handed to aws-scheduler's ScheduleExpression.cron() (every day). */
export const snapshotCronFields = (s: SnapshotCron) => ({ minute: String(s.minute), hour: String(s.hour) });

/** cron(m h * * ? *) exactly as the stack synthesizes it. */
export function snapshotEventBridgeCron(s: SnapshotCron): string {
  const f = snapshotCronFields(s);
  return `cron(${f.minute} ${f.hour} * * ? *)`;
}

/** The same schedule as a croner pattern: "m h * * *". */
export function snapshotCronerPattern(s: SnapshotCron): string {
  const f = snapshotCronFields(s);
  return `${f.minute} ${f.hour} * * *`;
}
