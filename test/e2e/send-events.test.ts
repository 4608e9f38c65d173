/**
 * The cloud's settling path (issue 12, item 6): SES send events, recorded on the letter through the
 * feedback path, settle a letter a crash left `sending` — sent when its event came; sent again when no
 * event came within the grace period; ambiguous (for a later run) while waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { handleSesFeedback } from '../../functions/app/ses-feedback.js';
import { processCustomer } from '../../functions/app/process-customer.js';
import { letterIdOf } from '../../functions/app/letter-id.js';
import { sesEventEvidence } from '../../functions/adapters/ses-send-evidence.js';
import { LEASE_MS } from '../../functions/adapters/dynamo-dunning.js';
import { customerEvent, invoiceEvent, postBilling, testStack } from '../support/local-stack.js';

const RUN_DATE = '2026-11-24' as never;

describe('settling interrupted letters from SES send events', () => {
  let stack: LocalStack;
  let clock = Date.parse('2026-11-24T06:00:00Z');
  const crashed = new Set<string>();
  beforeAll(async () => {
    stack = await testStack({
      now: () => new Date(clock),
      faults: {
        beforeSend: (k) => {
          if (k.customerId === 'ev-before' && !crashed.has('ev-before')) {
            crashed.add('ev-before');
            throw new Error('crash before the send');
          }
        },
        afterSend: (k) => {
          if (k.customerId === 'ev-after' && !crashed.has('ev-after')) {
            crashed.add('ev-after');
            throw new Error('crash after the send');
          }
        },
      },
    });
    for (const id of ['ev-before', 'ev-after']) {
      await postBilling(stack, customerEvent(id));
      await postBilling(stack, invoiceEvent(id, `${id}-inv`, '2026-11-28', '1000.00'));
    }
    await stack.runDunning({ runDate: RUN_DATE });
  });
  afterAll(async () => stack?.stop());

  const cloudDeps = () => ({ ...stack.app.processDeps, sendEvidence: sesEventEvidence({ leaseMs: LEASE_MS }), now: () => new Date(clock) });
  const mailsTo = async (to: string) => (await stack.ses.listEmails()).filter((m) => m.destination.to.includes(to));

  it('records the send event on the letter it names, and settles that letter as sent', async () => {
    // Prepare: SES's "Email Sent" event for the letter whose attempt died after the send.
    const email = (await mailsTo('ev-after@buyer.example'))[0]!;
    const letterId = letterIdOf({ runDate: '2026-11-24', customerId: 'ev-after', stage: 'reminder' });
    // Act
    const recorded = await handleSesFeedback(
      { contacts: stack.app.dunning, sends: stack.app.dunning, now: () => new Date(clock) },
      {
        eventType: 'Send',
        mail: {
          messageId: email.messageId,
          destination: ['ev-after@buyer.example'],
          tags: { letterId: [letterId], customerId: ['ev-after'] },
          timestamp: new Date(clock).toISOString(),
        },
      },
    );
    clock += LEASE_MS + 60_000;
    const out = await processCustomer(cloudDeps(), { customerId: 'ev-after', runDate: RUN_DATE, executionName: 'dunning-run-2026-11-24-rerun-ev' });
    // Assess
    expect(recorded).toMatchObject({ status: 'send-recorded', letterId });
    expect(out.letters?.[0]).toMatchObject({ outcome: 'already-sent' });
    expect((await stack.app.dunning.getLetter('2026-11-24', 'ev-after', 'reminder'))?.status).toBe('sent');
    expect(await mailsTo('ev-after@buyer.example')).toHaveLength(1);
  });

  it('without a send event: ambiguous within the grace period, sent again once it is over', async () => {
    // Act
    const waiting = await processCustomer(cloudDeps(), { customerId: 'ev-before', runDate: RUN_DATE, executionName: 'dunning-run-2026-11-24-rerun-w' });
    clock += 16 * 60_000;
    const settled = await processCustomer(cloudDeps(), { customerId: 'ev-before', runDate: RUN_DATE, executionName: 'dunning-run-2026-11-24-rerun-x' });
    // Assess
    expect(waiting.letters?.[0]).toMatchObject({ outcome: 'ambiguous' });
    expect(settled.letters?.[0]).toMatchObject({ outcome: 'sent' });
    expect((await stack.app.dunning.getLetter('2026-11-24', 'ev-before', 'reminder'))?.status).toBe('sent');
    expect(await mailsTo('ev-before@buyer.example')).toHaveLength(1);
  });

  it('a send event without a letter tag is ignored; one naming no letter stays in the DLQ', async () => {
    // Act
    const untagged = await handleSesFeedback(
      { contacts: stack.app.dunning, sends: stack.app.dunning, now: () => new Date() },
      { eventType: 'Send', mail: { messageId: 'm-x', destination: [], tags: {} } },
    );
    const unknown = handleSesFeedback(
      { contacts: stack.app.dunning, sends: stack.app.dunning, now: () => new Date() },
      { eventType: 'Send', mail: { messageId: 'm-y', destination: [], tags: { letterId: [letterIdOf({ runDate: '2026-11-24', customerId: 'nobody', stage: 'reminder' })] } } },
    );
    // Assess
    expect(untagged.status).toBe('ignored');
    await expect(unknown).rejects.toThrow(/not in the outbox/);
  });
});
