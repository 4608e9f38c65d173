/**
 * Lambda entry for credit control's schedules (workflows/credit-schedule.ts; EventBridge Scheduler
 * invokes it with {"job": "deliver" | "sweep", "scheduledTime"}):
 *  - deliver: sends the outgoing events due (signed webhooks, EventBridge), page after page while time
 *    is left; failures are retried with backoff by later ticks and dead-lettered after the last attempt;
 *  - sweep: recomputes every credit snapshot (holds starting with the day, expired overrides, lapsed
 *    reservations), which stores the events those changes cause.
 *
 * Environment: functions/config.ts FUNCTION_ENV.creditJobs (set by infra/constructs/credit.ts).
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeCreditJobsLambda } from '../adapters/compose.js';
import { parseOrThrow } from '../domain/parse.js';
import { runCreditJob } from '../app/credit/jobs.js';
import { logger } from './runtime.js';

logger.appendPersistentKeys({ function: 'credit-jobs' });
const credit = composeCreditJobsLambda(loadFunctionConfig('creditJobs'), awsClients());

const zEvent = z.object({ job: z.enum(['deliver', 'sweep']), scheduledTime: z.string().optional() });

export const handler = async (event: unknown, context?: Context) => {
  if (context) logger.addContext(context);
  const e = parseOrThrow(zEvent, event);
  const c = await credit();
  const out = await runCreditJob({ credit: c.deps, dispatch: c.dispatch }, e.job, { timeLeftMs: () => context?.getRemainingTimeInMillis?.() ?? 60_000 });
  logger.info('credit job', { job: e.job, scheduledTime: e.scheduledTime, ...out });
  return out;
};
