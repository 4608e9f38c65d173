/**
 * Credit control's two schedules, defined once like the dunning schedule (as `CronSchedule`s, workflows/cron.ts): the CDK construct
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
import type { CronSchedule } from './cron.js';

export interface CreditScheduleJob {
  /** What the credit-jobs function does on this schedule (its event's `job`). */
  job: 'deliver' | 'sweep';
  description: string;
  /** When, in the company time zone (every day; workflows/cron.ts derives the EventBridge cron and the croner pattern). */
  cron: CronSchedule;
}

export const CREDIT_SCHEDULES: readonly CreditScheduleJob[] = [
  { job: 'deliver', description: 'Delivers due outgoing credit events (webhooks, EventBridge), with retries', cron: { minute: '*', hour: '*' } },
  { job: 'sweep', description: 'Recomputes credit snapshots: holds starting with the day, expired overrides, lapsed reservations', cron: { minute: 5, hour: '*' } },
];
