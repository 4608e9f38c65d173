/**
 * Lambda entry: SES bounce/complaint events (configuration set → EventBridge → this function). A
 * failure is retried by the async invocation and then lands in the feedback DLQ with the event.
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { handleSesFeedback, zSesEvent } from '../app/ses-feedback.js';
import { parseOrThrow } from '../domain/parse.js';
import { logger, runtime } from './runtime.js';

const zEnvelope = z.object({ 'detail-type': z.string().optional(), detail: z.unknown() });

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const env = zEnvelope.safeParse(event);
  const detail = parseOrThrow(zSesEvent, env.success ? env.data.detail : event, 'detail');
  logger.appendKeys({ messageId: detail.mail.messageId });
  const { app } = runtime();
  const res = await handleSesFeedback({ contacts: app.dunning, sends: app.dunning, now: () => new Date() }, detail);
  logger.info('ses feedback', { ...res });
  return res;
};
