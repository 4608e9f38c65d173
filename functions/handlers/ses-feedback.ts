/**
 * Lambda entry: SES bounce/complaint events (configuration set → EventBridge → this function). A
 * failure is retried by the async invocation and then lands in the feedback DLQ with the event.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { handleSesFeedback, zSesEvent } from '../app/ses-feedback.js';
import { parseOrThrow } from '../domain/parse.js';
import { loadFunctionConfig } from '../config.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeRunLambda } from '../adapters/compose.js';
import { logger, once } from './runtime.js';

const config = loadFunctionConfig('sesFeedback');
const app = once(() => composeRunLambda(config, awsClients()));

const zEnvelope = z.object({ 'detail-type': z.string().optional(), detail: z.unknown() });

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const env = zEnvelope.safeParse(event);
  const detail = parseOrThrow(zSesEvent, env.success ? env.data.detail : event, 'detail');
  logger.appendKeys({ messageId: detail.mail.messageId });
  const a = await app();
  const res = await handleSesFeedback({ contacts: a.dunning, sends: a.dunning, now: () => new Date() }, detail);
  logger.info('ses feedback', { ...res });
  return res;
};
