/**
 * A letter's id: (run date, customer, stage) in the alphabet SES tags allow ([A-Za-z0-9_-], base64url),
 * so the SES send event, the X-Claimflow-Letter header and the outbox record name the same letter.
 */
export const LETTER_ID_HEADER = 'X-Claimflow-Letter';
export const LETTER_ID_TAG = 'letterId';

export const letterIdOf = (l: { runDate: string; customerId: string; stage: string }): string =>
  Buffer.from(`${l.runDate}/${l.stage}/${l.customerId}`, 'utf8').toString('base64url');

export function parseLetterId(id: string): { runDate: string; stage: string; customerId: string } | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(id)) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})\/([a-z]+)\/(.+)$/.exec(Buffer.from(id, 'base64url').toString('utf8'));
  return m ? { runDate: m[1]!, stage: m[2]!, customerId: m[3]! } : undefined;
}
