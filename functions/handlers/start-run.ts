/**
 * Lambda entry: target of the EventBridge Scheduler schedule (Tuesday and Friday). Input
 * {"scheduledTime": "<aws.scheduler.scheduled-time>"}; operators may pass {"runDate": "YYYY-MM-DD"}.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeStartRunLambda } from '../adapters/compose.js';
import { startRun } from '../app/start-run.js';
import { ValidationError } from '../domain/errors.js';
import { zodFields } from '../domain/ledger/commands.js';
import { logger } from './runtime.js';

const deps = composeStartRunLambda(loadFunctionConfig('startRun'), awsClients());

const zEvent = z.object({
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  runDate: z.string().optional(),
  dryRun: z.boolean().optional(),
  rerun: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
});

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const parsed = zEvent.safeParse(event);
  if (!parsed.success) throw new ValidationError(zodFields(parsed.error, 'event'));
  const res = await startRun(deps, parsed.data);
  logger.info(res.status === 'started' ? 'dunning run started' : 'dunning run for this date already exists', { ...res });
  return res;
};
