/** SES feedback: a permanent bounce marks the address undeliverable; the next letter goes to print. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { handleSesFeedback, type SesEvent } from '../../functions/app/ses-feedback.js';
import { customerEvent, invoiceEvent, postBilling, testStack } from '../support/local-stack.js';

const bounce = (bounceType: string, customerId?: string): SesEvent => ({
  eventType: 'Bounce' as const,
  mail: { messageId: 'm-1', destination: ['bouncy@buyer.example'], tags: customerId ? { customerId: [customerId] } : ({} as Record<string, string[]>) },
  bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'bouncy@buyer.example' }] },
});

describe('SES bounce and complaint feedback', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack();
    await postBilling(stack, customerEvent('bouncy'));
    await postBilling(stack, invoiceEvent('bouncy', 'b-1', '2026-11-17', '5000.00'));
  });
  afterAll(async () => stack?.stop());

  it('ignores transient bounces and messages without a customer tag', async () => {
    // Act
    const soft = await handleSesFeedback({ contacts: stack.app.dunning, now: () => new Date() }, bounce('Transient', 'bouncy'));
    const untagged = await handleSesFeedback({ contacts: stack.app.dunning, now: () => new Date() }, bounce('Permanent'));
    // Assess
    expect(soft.status).toBe('ignored');
    expect(untagged.status).toBe('ignored');
    expect((await stack.app.ledger.getProfile('bouncy'))?.undeliverableEmails ?? []).toEqual([]);
  });

  it('a permanent bounce sends the next warning to print only', async () => {
    // Prepare
    const res = await handleSesFeedback({ contacts: stack.app.dunning, now: () => new Date() }, bounce('Permanent', 'bouncy'));
    expect(res.status).toBe('marked');
    // Act: 7 days overdue on 2026-11-24 → warning.
    const run = await stack.runDunning({ runDate: '2026-11-24' as never });
    // Assess
    expect(run.summary?.letters.warning).toBe(1);
    const letter = await stack.app.dunning.getLetter('2026-11-24', 'bouncy', 'warning');
    expect(letter?.channels).toEqual(['print']);
    expect((await stack.ses.listEmails()).filter((m) => m.destination.to.includes('bouncy@buyer.example'))).toHaveLength(0);
  });

  it('feedback for an unknown customer fails loudly (kept in the DLQ)', async () => {
    // Act / Assess
    await expect(handleSesFeedback({ contacts: stack.app.dunning, now: () => new Date() }, bounce('Permanent', 'ghost'))).rejects.toThrow(/no profile/);
  });
});
