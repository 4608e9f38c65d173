/**
 * Lambda entry: SES bounce/complaint events (configuration set → EventBridge → this function). A
 * failure is retried by the async invocation and then lands in the feedback DLQ with the event.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { handleSesFeedback, zSesEvent } from '../app/ses-feedback.js';
import { ValidationError } from '../domain/errors.js';
import { zodFields } from '../domain/ledger/commands.js';
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
  const detail = zSesEvent.safeParse(env.success ? env.data.detail : event);
  if (!detail.success) throw new ValidationError(zodFields(detail.error, 'detail'));
  logger.appendKeys({ messageId: detail.data.mail.messageId });
  const res = await handleSesFeedback({ contacts: (await app()).dunning, now: () => new Date() }, detail.data);
  logger.info('ses feedback', { ...res });
  return res;
};
