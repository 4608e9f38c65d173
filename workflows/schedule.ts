/**
 * The dunning schedule, defined once: the CDK stack turns it into an EventBridge Scheduler cron in the
 * company time zone, and the local scheduler runs the very same expression (converted for croner by
 * workflows/cron.ts).
 */
import { z } from 'zod';

export const zScheduleConfig = z.object({
  /** IANA time zone of the company, e.g. Europe/Moscow. */
  timeZone: z.string().refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Moscow' }),
  hour: z.number().int().min(0).max(23),
  minute: z.number().int().min(0).max(59),
});
export type ScheduleConfig = z.infer<typeof zScheduleConfig>;

export const DEFAULT_SCHEDULE: ScheduleConfig = { timeZone: 'Europe/Moscow', hour: 9, minute: 0 };

/** Tuesday and Friday (DOMAIN.md). */
export const DUNNING_WEEK_DAYS = 'TUE,FRI';

export function isIanaZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

/** The fields handed to aws-scheduler's ScheduleExpression.cron(). */
export function dunningCronFields(cfg: ScheduleConfig): { minute: string; hour: string; weekDay: string } {
  return { minute: String(cfg.minute), hour: String(cfg.hour), weekDay: DUNNING_WEEK_DAYS };
}

/** The EventBridge cron expression exactly as the stack synthesizes it: cron(m h ? * TUE,FRI *). */
export function dunningEventBridgeCron(cfg: ScheduleConfig): string {
  const f = dunningCronFields(cfg);
  return `cron(${f.minute} ${f.hour} ? * ${f.weekDay} *)`;
}
