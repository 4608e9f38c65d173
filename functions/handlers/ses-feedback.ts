/**
 * Lambda entry: SES bounce/complaint events (configuration set → EventBridge → this function). A
 * failure is retried by the async invocation and then lands in the feedback DLQ with the event.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { handleSesFeedback, zSesEvent } from '../app/ses-feedback.js';
import { ValidationError } from '../domain/errors.js';
import { zodFields } from '../domain/ledger/commands.js';
import { logger, runtime } from './runtime.js';

const zEnvelope = z.object({ 'detail-type': z.string().optional(), detail: z.unknown() });

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const env = zEnvelope.safeParse(event);
  const detail = zSesEvent.safeParse(env.success ? env.data.detail : event);
  if (!detail.success) throw new ValidationError(zodFields(detail.error, 'detail'));
  logger.appendKeys({ messageId: detail.data.mail.messageId });
  const { app } = runtime();
  const res = await handleSesFeedback({ contacts: app.dunning, sends: app.dunning, now: () => new Date() }, detail.data);
  logger.info('ses feedback', { ...res });
  return res;
};
