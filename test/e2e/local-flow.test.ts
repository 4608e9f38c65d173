/**
 * End to end on the local stack: a signed webhook in, the Tuesday run, the reminder email read back
 * from local SES and its .eml in the outbox folder.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { customerEvent, invoiceEvent, postBilling, testStack } from '../support/local-stack.js';

describe('local stack: webhook → dunning run → email', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses an unsigned or wrongly signed webhook and stores nothing', async () => {
    // Prepare
    const evt = customerEvent('nosig');
    // Act
    const unsigned = await postBilling(stack, evt, { signature: null });
    const wrong = await postBilling(stack, evt, { secret: 'not-the-secret' });
    const expired = await postBilling(stack, evt, { at: Math.floor(Date.now() / 1000) - 3600 });
    // Assess
    expect([unsigned.status, wrong.status, expired.status]).toEqual([401, 401, 401]);
    expect(unsigned.body.error.code).toBe('UNAUTHENTICATED');
    expect(await stack.app.ledger.getProfile('nosig')).toBeUndefined();
  });

  it('names each bad field with 400', async () => {
    // Act
    const res = await postBilling(stack, invoiceEvent('acme', 'bad-1', '2026-02-30', '12.345'));
    // Assess
    expect(res.status).toBe(400);
    const fields = res.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining([expect.stringContaining('dueDate'), expect.stringContaining('amount')]));
  });

  it('stores a duplicate delivery once and sends the Tuesday reminder through local SES', async () => {
    // Prepare: a customer and an invoice due in 5 days from Tuesday 2026-11-24, delivered twice.
    await stack.ses.clear();
    expect((await postBilling(stack, customerEvent('acme'))).status).toBe(200);
    const first = await postBilling(stack, invoiceEvent('acme', 'inv-77', '2026-11-29', '125000.00'));
    const again = await postBilling(stack, invoiceEvent('acme', 'inv-77', '2026-11-29', '125000.00'));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('duplicate');
    expect(await stack.app.ledger.openInvoices('acme')).toHaveLength(1);

    // Act
    const run = await stack.runDunning({ runDate: '2026-11-24' as never });

    // Assess: the run summary and the email as local SES stored it.
    expect(run.status).toBe('SUCCEEDED');
    expect(run.executionName).toBe('dunning-run-2026-11-24');
    expect(run.summary).toMatchObject({ runDate: '2026-11-24', customers: 1, failures: 0, letters: { reminder: 1, warning: 0, claim: 0, litigation: 0 } });
    const mails = await stack.ses.listEmails();
    const reminder = mails.find((m) => m.destination.to.includes('acme@buyer.example'));
    expect(reminder).toBeDefined();
    expect(reminder!.subject).toMatch(/Напоминание/);
    const text = reminder!.body.text!.replace(/[\u00a0\u202f]/g, ' ');
    expect(text).toContain('INV-77');
    expect(text).toContain('125 000,00');
    expect(text).toContain('29.11.2026');
    const digest = mails.find((m) => m.subject.startsWith('claimflow digest 2026-11-24'));
    expect(digest?.body.text).toContain('reminder: 1 letter(s)');
    const emlDirs = await readdir(path.join(stack.urls.outbox, 'emails'));
    const emls = (await Promise.all(emlDirs.map((d) => readdir(path.join(stack.urls.outbox, 'emails', d))))).flat();
    expect(emls.filter((f) => f.endsWith('.eml')).length).toBeGreaterThanOrEqual(2);
  });

  it('a second trigger for the same date does not start a second run', async () => {
    // Prepare
    const before = (await stack.ses.listEmails()).length;
    // Act
    const again = await stack.runDunning({ runDate: '2026-11-24' as never });
    // Assess
    expect(again.status).toBe('ALREADY_STARTED');
    expect((await stack.ses.listEmails()).length).toBe(before);
  });

  it('visits the states operators read in the console, in order', async () => {
    // Prepare
    await postBilling(stack, invoiceEvent('acme', 'inv-78', '2026-12-03', '10.00'));
    // Act
    const run = await stack.runDunning({ runDate: '2026-11-27' as never, dryRun: true });
    // Assess
    const entered = [...new Set(run.visits.filter((v) => v.event === 'entered').map((v) => v.name))];
    expect(entered).toEqual([
      'Start the dunning run',
      'Find customers with debts due',
      'Process each customer',
      'Decide and send letters to the customer',
      "Keep the customer's tally",
      'Add up this batch of customers',
      'More customers to process?',
      'Finish the run and send the digest',
      'Dunning run complete',
    ]);
    expect(run.summary?.dryRun).toBe(true);
  });
});
