/**
 * Use case: SES feedback. A send event (the configuration set publishes "Send") records on the letter it
 * names (tag letterId) that SES accepted it: the record that settles a letter a crash left `sending`.
 * Bounces and complaints: A permanent bounce or a complaint marks the address
 * undeliverable on the customer's profile; the policy then sends later letters to print instead.
 * Transient (soft) bounces are logged and ignored.
 */
import { z } from 'zod';
import type { ContactBook } from '../ports/dunning.js';
import { LETTER_ID_TAG, parseLetterId } from './letter-id.js';

/** The SES event as delivered by an EventBridge event destination (detail of "Email Bounced"/"Email Complained"). */
export const zSesEvent = z.object({
  eventType: z.enum(['Bounce', 'Complaint', 'Delivery', 'Send', 'Reject', 'Open', 'Click', 'DeliveryDelay', 'RenderingFailure', 'Subscription']),
  mail: z.object({
    messageId: z.string(),
    destination: z.array(z.string()).default([]),
    tags: z.record(z.string(), z.array(z.string())).default({}),
    timestamp: z.string().optional(),
  }),
  bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional(), bouncedRecipients: z.array(z.object({ emailAddress: z.string() })) }).optional(),
  complaint: z.object({ complainedRecipients: z.array(z.object({ emailAddress: z.string() })), complaintFeedbackType: z.string().optional() }).optional(),
});
export type SesEvent = z.infer<typeof zSesEvent>;

export type FeedbackResult =
  | { status: 'marked'; customerId: string; emails: string[]; reason: string }
  | { status: 'send-recorded'; letterId: string; messageId: string }
  | { status: 'ignored'; reason: string };

/** Where SES send events are recorded: on the letter they name (the dunning store). */
export interface SendEventBook {
  recordSendEvent(l: { runDate: string; customerId: string; stage: string }, event: { messageId: string; at: string }): Promise<boolean>;
}

export async function handleSesFeedback(deps: { contacts: ContactBook; now: () => Date; sends?: SendEventBook }, e: SesEvent): Promise<FeedbackResult> {
  const customerId = e.mail.tags.customerId?.[0];
  if (e.eventType === 'Send') {
    // SES accepted the message: the letter it names was sent (this settles a letter an attempt left `sending`).
    const letterId = e.mail.tags[LETTER_ID_TAG]?.[0];
    const letter = letterId ? parseLetterId(letterId) : undefined;
    if (!letterId || !letter) return { status: 'ignored', reason: 'a send event without a letterId tag (not a letter)' };
    if (!deps.sends) return { status: 'ignored', reason: 'send events are not recorded here' };
    const found = await deps.sends.recordSendEvent(letter, { messageId: e.mail.messageId, at: e.mail.timestamp ?? deps.now().toISOString() });
    if (!found) throw new Error(`letter ${letterId} from the SES tag is not in the outbox; event kept in the DLQ for review`);
    return { status: 'send-recorded', letterId, messageId: e.mail.messageId };
  }
  let emails: string[] = [];
  let reason = '';
  if (e.eventType === 'Bounce' && e.bounce) {
    if (e.bounce.bounceType !== 'Permanent') return { status: 'ignored', reason: `transient bounce (${e.bounce.bounceType}/${e.bounce.bounceSubType ?? ''})` };
    emails = e.bounce.bouncedRecipients.map((r) => r.emailAddress);
    reason = `permanent bounce (${e.bounce.bounceSubType ?? 'General'}) of message ${e.mail.messageId}`;
  } else if (e.eventType === 'Complaint' && e.complaint) {
    emails = e.complaint.complainedRecipients.map((r) => r.emailAddress);
    reason = `complaint (${e.complaint.complaintFeedbackType ?? 'abuse'}) about message ${e.mail.messageId}`;
  } else return { status: 'ignored', reason: `event ${e.eventType} needs no action` };
  if (!customerId) return { status: 'ignored', reason: 'the message carries no customerId tag (not a dunning letter)' };
  if (!emails.length) return { status: 'ignored', reason: 'no recipients named' };
  const found = await deps.contacts.markUndeliverable(customerId, emails, reason, deps.now().toISOString());
  if (!found) throw new Error(`customer ${customerId} from the SES tag has no profile; feedback kept in the DLQ for review`);
  return { status: 'marked', customerId, emails, reason };
}
