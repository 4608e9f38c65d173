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
