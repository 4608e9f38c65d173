/**
 * Replay reads only the archive (issue 12, item 4): a reference outside the archive folder is refused
 * without reading it, and a record that the archive did not write (crafted, or changed afterwards) is
 * refused; a genuine archived payload replays.
 */
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { customerEvent, invoiceEvent, operatorCall, postBilling, testStack } from '../support/local-stack.js';

const op = (stack: LocalStack, body: unknown) => operatorCall(stack, 'clerk-anna', 'POST', 'replay', body);

/** A record shaped like the archive's, written by someone else (digest computed, no seal). */
function crafted(raw: string) {
  const rec = { version: 2, source: 'billing', id: 'evt-crafted', archivedAt: '2026-11-20T09:00:00.000Z', headers: { 'x-claimflow-route': '/webhooks/billing' }, raw };
  const canonical = JSON.stringify(['claimflow-archive-v2', rec.source, rec.id, rec.archivedAt, [['x-claimflow-route', '/webhooks/billing']], rec.raw]);
  return { ...rec, digest: createHash('sha256').update(canonical).digest('hex') };
}
const digest12 = (raw: string) => createHash('sha256').update(raw).digest('hex').slice(0, 12);

describe('replay reads only the archive', () => {
  let stack: LocalStack;
  let archiveDir: string;
  const payment = JSON.stringify({
    eventId: 'evt-crafted',
    type: 'payment.received',
    data: { customerId: 'replay-c', paymentId: 'p-crafted', date: '2026-11-20', amount: { amount: '1000.00', currency: 'RUB' } },
  });
  beforeAll(async () => {
    stack = await testStack();
    archiveDir = path.join(path.dirname(stack.urls.outbox), 'archive');
    await postBilling(stack, customerEvent('replay-c'));
    await postBilling(stack, invoiceEvent('replay-c', 'replay-inv', '2026-11-20', '1000.00'));
  });
  afterAll(async () => stack?.stop());
  const outstanding = async () => (await stack.app.ledger.openInvoices('replay-c'))[0]?.outstanding.amount;

  it.each(['file:///etc/passwd', '../../../../etc/passwd', '/etc/passwd', 's3://other-bucket/archive/billing/2026-11-20/x-0123456789ab.json', 'http://127.0.0.1:1/x'])(
    'refuses %s without reading it',
    async (ref) => {
      // Act
      const res = await op(stack, { archiveRef: ref });
      // Assess
      expect(res.status).toBe(400);
      expect(res.body.error.fields[0].field).toBe('archiveRef');
      expect(JSON.stringify(res.body)).not.toMatch(/root:|daemon/);
    },
  );

  it('refuses a symlink in the archive folder that leads out of it', async () => {
    // Prepare
    const dir = path.join(archiveDir, 'billing', '2026-11-20');
    await mkdir(dir, { recursive: true });
    const link = path.join(dir, 'evt-link-0123456789ab.json');
    await symlink('/etc/passwd', link);
    // Act
    const res = await op(stack, { archiveRef: pathToFileURL(link).href });
    // Assess
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/root:|daemon/);
  });

  it('refuses a record crafted outside the archive, and one crafted inside it, applying nothing', async () => {
    // Prepare
    const outsideFile = path.join(path.dirname(archiveDir), `evt-crafted-${digest12(payment)}.json`);
    await writeFile(outsideFile, JSON.stringify(crafted(payment)));
    const dir = path.join(archiveDir, 'billing', '2026-11-20');
    await mkdir(dir, { recursive: true });
    const insideFile = path.join(dir, `evt-crafted-${digest12(payment)}.json`);
    await writeFile(insideFile, JSON.stringify(crafted(payment)));
    // Act
    const outside = await op(stack, { archiveRef: pathToFileURL(outsideFile).href });
    const inside = await op(stack, { archiveRef: pathToFileURL(insideFile).href });
    // Assess
    expect(outside.status).toBe(400);
    expect(inside.status).toBe(409);
    expect(inside.body.error.code).toBe('ARCHIVE_TAMPERED');
    expect(await outstanding()).toBe('1000.00');
  });

  it('replays a genuine archived payload, and refuses it once its content was changed', async () => {
    // Prepare: a payment the webhook archived and applied.
    const sent = await postBilling(stack, {
      eventId: 'evt-genuine',
      type: 'payment.received',
      data: { customerId: 'replay-c', paymentId: 'p-genuine', date: '2026-11-20', amount: { amount: '10.00', currency: 'RUB' } },
    });
    const day = (await readdir(path.join(archiveDir, 'billing'))).find((d) => /^\d{4}-/.test(d) && d !== '2026-11-20') ?? new Date().toISOString().slice(0, 10);
    const name = (await readdir(path.join(archiveDir, 'billing', day))).find((f) => f.startsWith('evt-genuine-'))!;
    const file = path.join(archiveDir, 'billing', day, name);
    // Act
    const replayed = await op(stack, { archiveRef: pathToFileURL(file).href });
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('10.00', '99.00'));
    const tampered = await op(stack, { archiveRef: pathToFileURL(file).href });
    // Assess
    expect(sent.status).toBe(200);
    expect([replayed.status, replayed.body.status]).toEqual([200, 'duplicate']);
    expect(tampered.status).toBe(409);
    expect(await outstanding()).toBe('990.00');
  });
});
