/**
 * The dunning schedule, defined once: minute and hour in the company time zone, on Tuesdays and
 * Fridays. Both forms are derived from this one definition: the EventBridge Scheduler cron the CDK
 * stack synthesizes (`dunningCronFields` / `dunningEventBridgeCron`) and the croner pattern the local
 * scheduler runs (`dunningCronerPattern`), so the two cannot drift apart.
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

/** The run days (docs/rules.md): EventBridge names them, croner numbers them from 0 = Sunday. */
const RUN_DAYS = [
  { eventBridge: 'TUE', croner: 2 },
  { eventBridge: 'FRI', croner: 5 },
] as const;

/** Tuesday and Friday, as the EventBridge day-of-week field: "TUE,FRI". */
export const DUNNING_WEEK_DAYS = RUN_DAYS.map((d) => d.eventBridge).join(',');

export function isIanaZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

/** The fields handed to aws-scheduler's ScheduleExpression.cron() (the zone is passed beside them). */
export function dunningCronFields(cfg: ScheduleConfig): { minute: string; hour: string; weekDay: string } {
  return { minute: String(cfg.minute), hour: String(cfg.hour), weekDay: DUNNING_WEEK_DAYS };
}

/** The EventBridge cron expression exactly as the stack synthesizes it: cron(m h ? * TUE,FRI *). */
export function dunningEventBridgeCron(cfg: ScheduleConfig): string {
  const f = dunningCronFields(cfg);
  return `cron(${f.minute} ${f.hour} ? * ${f.weekDay} *)`;
}

/** The same schedule as a croner pattern (minute hour day-of-month month day-of-week): "m h * * 2,5". */
export function dunningCronerPattern(cfg: ScheduleConfig): string {
  return `${cfg.minute} ${cfg.hour} * * ${RUN_DAYS.map((d) => d.croner).join(',')}`;
}
