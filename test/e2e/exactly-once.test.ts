/**
 * Exactly-once delivery under fault injection on the local stack: a crash before the outbox claim, a
 * crash between the claim and the send call, a crash between send and record, SES throttling, and two
 * concurrent runs of one date. Every re-run converges: no duplicate and no missed letter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { TransientError } from '../../functions/domain/errors.js';
import type { DocumentStore, Mailer } from '../../functions/ports/index.js';
import { customerEvent, invoiceEvent, postBilling, testStack } from '../support/local-stack.js';
import { letterDocumentKey } from '../../functions/app/process-customer.js';

const RUN_DATE = '2026-11-24' as never;

async function seed(stack: LocalStack, id: string) {
  expect((await postBilling(stack, customerEvent(id))).status).toBe(200);
  expect((await postBilling(stack, invoiceEvent(id, `${id}-inv`, '2026-11-28', '1000.00'))).status).toBe(200);
}
const mailsTo = async (stack: LocalStack, to: string) => (await stack.ses.listEmails()).filter((m) => m.destination.to.includes(to));

describe('exactly-once letters', () => {
  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('crash before the outbox claim (deciding, rendering): nothing is recorded and the re-run sends the letter once', async () => {
    // Prepare: the first attempt dies after deciding, before anything is claimed or sent.
    let crash = true;
    stack = await testStack({
      faults: {
        beforeRecheck: () => {
          if (crash) throw new Error('simulated crash before the claim');
        },
      },
    });
    await seed(stack, 'crash-a');
    // Act
    const first = await stack.runDunning({ runDate: RUN_DATE });
    const afterFirst = await stack.app.dunning.getLetter('2026-11-24', 'crash-a', 'reminder');
    crash = false;
    const rerun = await stack.runDunning({ runDate: RUN_DATE, rerun: '1' });
    // Assess
    expect(first.summary).toMatchObject({ failures: 1, letters: { reminder: 0 } });
    expect(afterFirst).toBeUndefined();
    expect(rerun.summary).toMatchObject({ failures: 0, letters: { reminder: 1 } });
    expect(await mailsTo(stack, 'crash-a@buyer.example')).toHaveLength(1);
    expect((await stack.app.dunning.getLetter('2026-11-24', 'crash-a', 'reminder'))?.status).toBe('sent');
  });

  it('crash between the claim and the send call: the re-run does not send and surfaces the letter as ambiguous', async () => {
    // Prepare: the claim recorded `sending`, then the attempt dies before calling SES.
    let clock = Date.parse('2026-11-24T06:00:00Z');
    let crash = true;
    stack = await testStack({
      now: () => new Date(clock),
      faults: {
        beforeSend: () => {
          if (crash) throw new Error('simulated crash before the send call');
        },
      },
    });
    await seed(stack, 'crash-c');
    // Act
    await stack.runDunning({ runDate: RUN_DATE });
    const afterFirst = await stack.app.dunning.getLetter('2026-11-24', 'crash-c', 'reminder');
    crash = false;
    clock += 6 * 60_000; // past the lease of the crashed attempt
    const rerun = await stack.runDunning({ runDate: RUN_DATE, rerun: '1' });
    // Assess: the outbox cannot tell whether SES got it, so it is never sent blindly.
    expect(afterFirst?.status).toBe('sending');
    expect(rerun.summary).toMatchObject({ ambiguous: 1, letters: { reminder: 0 } });
    expect(await mailsTo(stack, 'crash-c@buyer.example')).toHaveLength(0);
    expect((await stack.app.dunning.getLetter('2026-11-24', 'crash-c', 'reminder'))?.status).toBe('ambiguous');
  });

  it('the archived copy of a letter is the one that was claimed: a later attempt with other amounts never overwrites it', async () => {
    // Prepare: the demo claim letter to demo-sever (400,000.00 RUB) is claimed and stored, then the
    // attempt dies before the send; a partial payment lands before the re-run.
    let clock = Date.parse('2026-11-24T06:00:00Z');
    let crash = true;
    stack = await testStack({
      demo: true,
      demoAsOf: RUN_DATE,
      now: () => new Date(clock),
      faults: {
        beforeSend: (k) => {
          if (crash && k.customerId === 'demo-sever') throw new Error('simulated crash before the send call');
        },
      },
    });
    await stack.runDunning({ runDate: RUN_DATE });
    const stored = async () => JSON.parse(Buffer.from((await stack!.app.processDeps.documents.get(letterDocumentKey('2026-11-24', 'demo-sever', 'claim', 'json')))!).toString('utf8'));
    const first = await stored();
    const pay = await postBilling(stack, {
      eventId: 'evt-sever-part',
      type: 'payment.received',
      data: { customerId: 'demo-sever', paymentId: 'pay-sever-part', date: '2026-11-24', amount: { amount: '100000.00', currency: 'RUB' }, invoiceIds: ['demo-inv-s-401'] },
    });
    crash = false;
    clock += 6 * 60_000;
    // Act
    const rerun = await stack.runDunning({ runDate: RUN_DATE, rerun: '1' });
    // Assess: the re-run decided a 300,000.00 letter, found the claimed one, and left its copy alone.
    expect(pay.status).toBe(200);
    expect(first.totals).toEqual([{ amount: '400000.00', currency: 'RUB' }]);
    expect(rerun.summary).toMatchObject({ ambiguous: 1 });
    expect((await stack.app.dunning.getLetter('2026-11-24', 'demo-sever', 'claim'))?.status).toBe('ambiguous');
    expect(await stored()).toEqual(first);
  });

  it('crash between send and record: the re-run does not resend and surfaces the letter as ambiguous', async () => {
    // Prepare: the first attempt sends, then dies before recording it.
    let clock = Date.parse('2026-11-24T06:00:00Z');
    let crash = true;
    stack = await testStack({
      now: () => new Date(clock),
      faults: {
        afterSend: () => {
          if (crash) throw new Error('simulated crash after send');
        },
      },
    });
    await seed(stack, 'crash-b');
    // Act
    await stack.runDunning({ runDate: RUN_DATE });
    crash = false;
    clock += 6 * 60_000; // past the lease of the crashed attempt
    const rerun = await stack.runDunning({ runDate: RUN_DATE, rerun: '1' });
    // Assess: one email, never two; operators see it.
    expect(await mailsTo(stack, 'crash-b@buyer.example')).toHaveLength(1);
    expect(rerun.summary).toMatchObject({ ambiguous: 1, letters: { reminder: 0 } });
    expect((await stack.app.dunning.getLetter('2026-11-24', 'crash-b', 'reminder'))?.status).toBe('ambiguous');
  });

  it('SES throttling: the state retries and the letter goes out once', async () => {
    // Prepare: SES throttles the first two attempts.
    let throttles = 2;
    stack = await testStack({
      wrapMailer: (inner: Mailer): Mailer => ({
        send: async (mail) => {
          if (mail.to.includes('throttle@buyer.example') && throttles-- > 0) throw new TransientError('Throttling: Maximum sending rate exceeded');
          return inner.send(mail);
        },
      }),
    });
    await seed(stack, 'throttle');
    // Act
    const run = await stack.runDunning({ runDate: RUN_DATE });
    // Assess
    expect(run.status).toBe('SUCCEEDED');
    expect(run.visits.filter((v) => v.event === 'retried' && v.name === 'Decide and send letters to the customer')).toHaveLength(2);
    expect(run.summary).toMatchObject({ failures: 0, letters: { reminder: 1 } });
    expect(await mailsTo(stack, 'throttle@buyer.example')).toHaveLength(1);
  });

  it('storing the letter fails after the claim: the letter is released (not sent, not ambiguous), the state retries and sends it once', async () => {
    // Prepare: the document store throttles the first write of demo-sever's claim letter.
    let failures = 1;
    stack = await testStack({
      demo: true,
      demoAsOf: RUN_DATE,
      wrapDocuments: (inner: DocumentStore): DocumentStore => ({
        get: (key) => inner.get(key),
        put: async (key, body, type) => {
          if (key.includes('demo-sever') && failures-- > 0) throw new TransientError('SlowDown: please reduce your request rate');
          return inner.put(key, body, type);
        },
      }),
    });
    // Act
    const run = await stack.runDunning({ runDate: RUN_DATE });
    // Assess
    expect(run.visits.filter((v) => v.event === 'retried' && v.name === 'Decide and send letters to the customer')).toHaveLength(1);
    expect(run.summary).toMatchObject({ failures: 0, ambiguous: 0, letters: { claim: 1 } });
    expect(await mailsTo(stack, 'office@sever.example')).toHaveLength(1);
    const letter = await stack.app.dunning.getLetter('2026-11-24', 'demo-sever', 'claim');
    expect(letter).toMatchObject({ status: 'sent', documentUri: expect.stringMatching(/^file:/) });
  });

  it('two concurrent runs of one date send each letter once', async () => {
    // Prepare
    stack = await testStack();
    await seed(stack, 'conc-1');
    await seed(stack, 'conc-2');
    // Act
    const [a, b] = await Promise.all([stack.runDunning({ runDate: RUN_DATE, rerun: 'a' }), stack.runDunning({ runDate: RUN_DATE, rerun: 'b' })]);
    // Assess
    expect(a.summary!.letters.reminder + b.summary!.letters.reminder).toBe(2);
    expect(await mailsTo(stack, 'conc-1@buyer.example')).toHaveLength(1);
    expect(await mailsTo(stack, 'conc-2@buyer.example')).toHaveLength(1);
  });

  it('a payment that lands during the run cancels its letter', async () => {
    // Prepare: the payment arrives between the decision and the send.
    let s!: LocalStack;
    s = stack = await testStack({
      faults: {
        beforeRecheck: async () => {
          await postBilling(s, {
            eventId: 'evt-pay-during',
            type: 'payment.received',
            data: { customerId: 'payer', paymentId: 'pay-during', date: '2026-11-24', amount: { amount: '1000.00', currency: 'RUB' } },
          });
        },
      },
    });
    await seed(stack, 'payer');
    // Act
    const run = await stack.runDunning({ runDate: RUN_DATE });
    // Assess
    expect(run.summary).toMatchObject({ letters: { reminder: 0 }, failures: 0 });
    expect(await mailsTo(stack, 'payer@buyer.example')).toHaveLength(0);
    expect((await stack.app.dunning.getLetter('2026-11-24', 'payer', 'reminder'))?.status).toBe('cancelled');
  });
});
