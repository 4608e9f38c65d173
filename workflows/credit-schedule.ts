/**
 * Credit control's two schedules, defined once like the dunning schedule: the CDK construct
 * (infra/constructs/credit.ts) synthesizes them as EventBridge Scheduler schedules in the company time
 * zone, and the local stack (bin/local/credit-local.ts) runs the croner patterns derived from the same
 * fields, in the same zone.
 *
 * - `deliver`: every minute, the outgoing-event dispatcher delivers what is due (new events, and retries
 *   with backoff) to the order systems' webhooks and EventBridge, and dead-letters after the last attempt.
 * - `sweep`: every hour at minute 5 (and so at 00:05, when a new business day starts in the company's
 *   zone and invoices pass their hold date), every credit snapshot is recomputed: holds that start with
 *   the day, overrides that expired (announced as `credit.override.expired`), reservations that lapsed.
 */

export interface CreditScheduleJob {
  /** What the credit-jobs function does on this schedule (its event's `job`). */
  job: 'deliver' | 'sweep';
  description: string;
  /** Cron fields in the company time zone (EventBridge Scheduler's cron(minute hour day month weekDay year)). */
  cron: { minute: string; hour: string };
}

export const CREDIT_SCHEDULES: readonly CreditScheduleJob[] = [
  { job: 'deliver', description: 'Delivers due outgoing credit events (webhooks, EventBridge), with retries', cron: { minute: '*', hour: '*' } },
  { job: 'sweep', description: 'Recomputes credit snapshots: holds starting with the day, expired overrides, lapsed reservations', cron: { minute: '5', hour: '*' } },
];

/** The fields handed to aws-scheduler's ScheduleExpression.cron() (the zone is passed beside them). */
export const creditCronFields = (j: CreditScheduleJob) => ({ minute: j.cron.minute, hour: j.cron.hour });

/** cron(m h * * ? *) exactly as the stack synthesizes it. */
export function creditEventBridgeCron(j: CreditScheduleJob): string {
  const f = creditCronFields(j);
  return `cron(${f.minute} ${f.hour} * * ? *)`;
}

/** The same schedule as a croner pattern (minute hour day-of-month month day-of-week). */
export function creditCronerPattern(j: CreditScheduleJob): string {
  const f = creditCronFields(j);
  return `${f.minute} ${f.hour} * * *`;
}
