/**
 * The weekly management summary's schedule, defined once like the dunning schedule: the CDK construct
 * (infra/constructs/reports.ts) synthesizes it as an EventBridge Scheduler cron in the company time
 * zone, and the local scheduler runs the croner pattern derived from the same fields (both through
 * workflows/cron.ts). Default Monday 08:00.
 */
import type { SummarySchedule } from '../functions/domain/reports/config.js';
import type { CronSchedule } from './cron.js';

export type SummaryCron = Pick<SummarySchedule, 'weekDay' | 'hour' | 'minute'>;

export const DEFAULT_SUMMARY_SCHEDULE: SummaryCron = { weekDay: 'MON', hour: 8, minute: 0 };

/** The summary's schedule as cron: cron(m h ? * DOW *) in AWS, "m h * * DOW" locally (croner reads the day names MON…SUN as EventBridge does). */
export const summaryCron = (s: SummaryCron): CronSchedule => ({ minute: s.minute, hour: s.hour, weekDays: [s.weekDay] });

/**
 * The nightly report snapshot's schedule (reports/snapshots/<date>.json), defined once: every day at
 * 23:50 in the company time zone (cron(50 23 * * ? *); "50 23 * * *" locally). The CDK construct
 * synthesizes it as an EventBridge Scheduler cron; the local stack runs it on its scheduler, calling the same use case.
 */
export const DAILY_SNAPSHOT_SCHEDULE: CronSchedule = { hour: 23, minute: 50 };
