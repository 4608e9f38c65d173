/**
 * The one way a schedule becomes cron: every schedule (the dunning run, credit control's jobs, the
 * weekly summary, the nightly report snapshot) is a `CronSchedule` in the company time zone, and both
 * forms are derived from it here: the fields the CDK stack hands to aws-scheduler's
 * ScheduleExpression.cron() (`cronFields`; `eventBridgeCron` is the expression it synthesizes from them)
 * and the croner pattern the local scheduler runs (`cronerPattern`), so the two cannot drift apart.
 * The zone is passed beside them (ScheduleExpressionTimezone; croner's `timezone`).
 */

/** Days of the week as EventBridge names them; a day's index is croner's number for it (0 = Sunday). */
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
export type WeekDay = (typeof DAYS)[number];

export interface CronSchedule {
  /** Minute and hour in the company time zone; '*' = every one. */
  minute: number | '*';
  hour: number | '*';
  /** The days of the week it runs on; absent = every day. */
  weekDays?: readonly WeekDay[];
  /** How the croner pattern writes the days: EventBridge's names (croner reads MON…SUN the same; default) or croner's numbers. */
  cronerDays?: 'names' | 'numbers';
}

/** The fields handed to aws-scheduler's ScheduleExpression.cron(): without `weekDay` it runs every day. */
export function cronFields(s: CronSchedule): { minute: string; hour: string; weekDay?: string } {
  return { minute: String(s.minute), hour: String(s.hour), ...(s.weekDays ? { weekDay: s.weekDays.join(',') } : {}) };
}

/** The EventBridge expression exactly as the stack synthesizes it: cron(m h ? * DAYS *), or cron(m h * * ? *) every day. */
export function eventBridgeCron(s: CronSchedule): string {
  const f = cronFields(s);
  return f.weekDay ? `cron(${f.minute} ${f.hour} ? * ${f.weekDay} *)` : `cron(${f.minute} ${f.hour} * * ? *)`;
}

/** The same schedule as a croner pattern (minute hour day-of-month month day-of-week): "m h * * DAYS", or "m h * * *". */
export function cronerPattern(s: CronSchedule): string {
  const days = s.weekDays ? s.weekDays.map((d) => (s.cronerDays === 'numbers' ? String(DAYS.indexOf(d)) : d)).join(',') : '*';
  return `${s.minute} ${s.hour} * * ${days}`;
}
