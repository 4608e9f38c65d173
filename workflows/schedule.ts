/**
 * The dunning schedule, defined once: minute and hour in the company time zone, on Tuesdays and
 * Fridays. `dunningCron` turns it into the one CronSchedule
 * (workflows/cron.ts) from which both forms are derived: the EventBridge Scheduler cron the CDK stack
 * synthesizes and the croner pattern the local scheduler runs, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { CronSchedule, WeekDay } from './cron.js';

export const zScheduleConfig = z.object({
  /** IANA time zone of the company, e.g. Europe/Moscow. */
  timeZone: z.string().refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Moscow' }),
  hour: z.number().int().min(0).max(23),
  minute: z.number().int().min(0).max(59),
});
export type ScheduleConfig = z.infer<typeof zScheduleConfig>;

export const DEFAULT_SCHEDULE: ScheduleConfig = { timeZone: 'Europe/Moscow', hour: 9, minute: 0 };

/** The run days (docs/rules.md). */
export const DUNNING_WEEK_DAYS: readonly WeekDay[] = ['TUE', 'FRI'];

export function isIanaZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

/** The dunning schedule as cron (workflows/cron.ts): cron(m h ? * TUE,FRI *) in AWS, "m h * * 2,5" locally (croner's day numbers, as it always ran). */
export const dunningCron = (cfg: ScheduleConfig): CronSchedule => ({ minute: cfg.minute, hour: cfg.hour, weekDays: DUNNING_WEEK_DAYS, cronerDays: 'numbers' });
