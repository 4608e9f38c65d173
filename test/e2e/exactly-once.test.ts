/**
 * Exactly-once delivery under fault injection on the local stack: a crash before the outbox claim, a
 * crash between the claim and the send call, a crash between send and record, SES throttling, and two
 * concurrent runs of one date. Every re-run converges: no duplicate and no missed letter, and a letter
 * an attempt left `sending` is settled from the SES record (the local journal) without an operator.
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

  it('crash between the claim and the send call: the re-run settles it as not sent from the SES journal and sends it once', async () => {
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
    // Assess: SES (its journal) never got it, so it is sent now, once; no operator needed.
    expect(afterFirst?.status).toBe('sending');
    expect(rerun.summary).toMatchObject({ ambiguous: 0, letters: { reminder: 1 } });
    expect(await mailsTo(stack, 'crash-c@buyer.example')).toHaveLength(1);
    expect((await stack.app.dunning.getLetter('2026-11-24', 'crash-c', 'reminder'))?.status).toBe('sent');
  });

  it('the archived copy of a letter is the one that was sent: an attempt that died before the send stored none, and a later attempt with other amounts never overwrites it', async () => {
    // Prepare: the demo claim letter to demo-sever (400,000.00 RUB) is claimed, then the attempt dies
    // before the send; a partial payment lands before the re-run, another after it.
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
    const pay = (id: string, amount: string) =>
      postBilling(stack!, {
        eventId: `evt-${id}`,
        type: 'payment.received',
        data: { customerId: 'demo-sever', paymentId: id, date: '2026-11-24', amount: { amount, currency: 'RUB' }, invoiceIds: ['demo-inv-s-401'] },
      });
    await stack.runDunning({ runDate: RUN_DATE });
    const storedRaw = async () => stack!.app.processDeps.documents.get(letterDocumentKey('2026-11-24', 'demo-sever', 'claim', 'json'));
    const afterCrash = await storedRaw();
    await pay('pay-sever-part', '100000.00');
    crash = false;
    clock += 6 * 60_000;
    // Act
    const rerun = await stack.runDunning({ runDate: RUN_DATE, rerun: '1' });
    const sent = JSON.parse(Buffer.from((await storedRaw())!).toString('utf8'));
    await pay('pay-sever-part-2', '50000.00');
    clock += 6 * 60_000;
    await stack.runDunning({ runDate: RUN_DATE, rerun: '2' });
    // Assess: the re-run sent the 300,000.00 letter and stored that copy; the third run left it alone.
    expect(afterCrash).toBeUndefined();
    expect(rerun.summary).toMatchObject({ ambiguous: 0, letters: { claim: 1 } });
    expect(sent.totals).toEqual([{ amount: '300000.00', currency: 'RUB' }]);
    expect(JSON.parse(Buffer.from((await storedRaw())!).toString('utf8'))).toEqual(sent);
    expect(await mailsTo(stack, 'office@sever.example')).toHaveLength(1);
  });

  it('crash between send and record: the re-run settles it as sent from the SES journal, never resends', async () => {
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
    // Assess: one email, never two; recorded as sent with its stage, no operator needed.
    expect(await mailsTo(stack, 'crash-b@buyer.example')).toHaveLength(1);
    expect(rerun.summary).toMatchObject({ ambiguous: 0, letters: { reminder: 0 } });
    const letter = await stack.app.dunning.getLetter('2026-11-24', 'crash-b', 'reminder');
    expect(letter?.status).toBe('sent');
    expect(letter?.messageId).toBeTruthy();
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

  it("storing an emailed letter's copy fails once after the send: the email is not sent again and the copy is stored", async () => {
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
