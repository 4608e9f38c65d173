/**
 * Channels per stage (pure).
 * - email stages (reminder): email to the usable addresses; a customer without a usable email gets the
 *   printed letter instead (unless the stage says printIfNoEmail: false).
 * - print stages (warning, claim): printed, signed and posted; plus an email copy when the customer has a
 *   usable email. No postal address → email only (the letter must still reach the customer).
 * - legal (litigation): an internal notice to the legal team and a task; the customer gets nothing here.
 */
import type { Policy, StageName } from './schema.js';

export type Channel = 'email' | 'print' | 'legal-notice' | 'legal-task';

export interface Contact {
  /** Usable emails only (valid, not bounced or complained). See usableContact(). */
  emails: readonly string[];
  /** Postal address present (needed to post a printed letter). */
  hasPostalAddress: boolean;
}

export interface ChannelPlan {
  channels: Channel[];
  /** 'primary' when email is the letter itself, 'copy' when it accompanies the printed letter. */
  emailRole?: 'primary' | 'copy';
  /** Plain-words note when the plan differs from the stage's normal channel (or is empty). */
  note?: string;
}

// Deliberately simple: one @, no spaces, a dot in the domain. SES validates nothing locally.
const EMAIL_RE = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;
export const isUsableEmailSyntax = (e: string): boolean => EMAIL_RE.test(e.trim());

/** Builds a Contact from a customer profile: drops malformed and undeliverable (bounced/complained) emails. */
export function usableContact(profile: {
  emails: readonly string[];
  undeliverableEmails?: readonly string[];
  postalAddress?: { city?: string; line1?: string } | undefined;
}): Contact {
  const bad = new Set((profile.undeliverableEmails ?? []).map((e) => e.trim().toLowerCase()));
  const seen = new Set<string>();
  const emails: string[] = [];
  for (const raw of profile.emails) {
    const e = raw.trim();
    const key = e.toLowerCase();
    if (!isUsableEmailSyntax(e) || bad.has(key) || seen.has(key)) continue;
    seen.add(key);
    emails.push(e);
  }
  const a = profile.postalAddress;
  return { emails, hasPostalAddress: !!a && !!a.city?.trim() && !!a.line1?.trim() };
}

export function channelsFor(stage: StageName, contact: Contact, policy: Policy): ChannelPlan {
  const rule = policy.stages[stage];
  if (!rule?.enabled) return { channels: [], note: `stage ${stage} is not enabled in policy ${policy.name}` };
  const hasEmail = contact.emails.length > 0;
  const hasPost = contact.hasPostalAddress;
  switch (rule.channel.primary) {
    case 'legal':
      return { channels: ['legal-notice', 'legal-task'] };
    case 'email':
      if (hasEmail) return { channels: ['email'], emailRole: 'primary' };
      if (rule.channel.printIfNoEmail && hasPost) return { channels: ['print'], note: 'no usable email: printed letter instead' };
      return {
        channels: [],
        note: rule.channel.printIfNoEmail ? 'no usable email and no postal address' : 'no usable email (this stage is email only)',
      };
    case 'print':
      if (hasPost) {
        return hasEmail && rule.channel.emailCopy ? { channels: ['print', 'email'], emailRole: 'copy' } : { channels: ['print'] };
      }
      if (hasEmail) return { channels: ['email'], emailRole: 'primary', note: 'no postal address: sent by email only' };
      return { channels: [], note: 'no usable email and no postal address' };
  }
}
