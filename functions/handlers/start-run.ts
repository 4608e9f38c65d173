/**
 * Lambda entry: target of the EventBridge Scheduler schedule (Tuesday and Friday). Input
 * {"scheduledTime": "<aws.scheduler.scheduled-time>"}; operators may pass {"runDate": "YYYY-MM-DD"}.
 */
import { parseOrThrow } from '../domain/parse.js';
import type { Context } from 'aws-lambda';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeStartRunLambda } from '../adapters/compose.js';
import { startRun } from '../app/start-run.js';
import { zStartRunRequest } from '../app/run-request.js';
import { logger } from './runtime.js';

const deps = composeStartRunLambda(loadFunctionConfig('startRun'), awsClients());

// Every field checked (a real date, a real instant): bad input is a ValidationError naming the field.
const zEvent = zStartRunRequest;

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const res = await startRun(deps, parseOrThrow(zEvent, event, 'event'));
  logger.info(res.status === 'started' ? 'dunning run started' : 'dunning run for this date already exists', { ...res });
  return res;
};
