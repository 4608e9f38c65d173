/**
 * SendEvidence from SES send events: the configuration set publishes "Send" events to EventBridge; the
 * feedback function (functions/app/ses-feedback.ts) records each on its letter (`sesAccepted`). A letter
 * interrupted after its claim is sent if its event came, and not sent if none came within the grace
 * period after the claim (events arrive within seconds; the default grace is 15 minutes).
 */
import type { LetterRecord, SendEvidence } from '../ports/dunning.js';

export const DEFAULT_SEND_EVENT_GRACE_MS = 15 * 60_000;

/** A letter whose channels include no email: the send call never happens, so nothing can have left. */
export const noEmailIn = (l: Pick<LetterRecord, 'channels'>): boolean => !(l.channels ?? []).some((c) => c === 'email' || c === 'legal-notice');

/** When the send started: the claim (leaseUntil − lease, for records written before claimedAt existed). */
export const claimedAt = (l: Pick<LetterRecord, 'leaseUntil'> & { claimedAt?: string }, leaseMs: number): number =>
  l.claimedAt ? Date.parse(l.claimedAt) : Date.parse(l.leaseUntil) - leaseMs;

export function sesEventEvidence(opts: { graceMs?: number; leaseMs: number }): SendEvidence {
  const grace = opts.graceMs ?? DEFAULT_SEND_EVENT_GRACE_MS;
  return {
    async verdict(letter, now) {
      if (noEmailIn(letter)) return { verdict: 'not-sent', how: 'the letter has no email: nothing left the system' };
      if (letter.sesAccepted)
        return { verdict: 'sent', messageId: letter.sesAccepted.messageId, how: `SES send event ${letter.sesAccepted.messageId} at ${letter.sesAccepted.at}` };
      const waitedUntil = claimedAt(letter, opts.leaseMs) + grace;
      if (now.getTime() > waitedUntil) return { verdict: 'not-sent', how: `no SES send event within ${Math.round(grace / 60_000)} min of the send` };
      return { verdict: 'unknown', how: `waiting for SES's send event until ${new Date(waitedUntil).toISOString()}` };
    },
  };
}
