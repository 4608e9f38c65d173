import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { handleWebhook } from '../../../functions/ingest/http.js';
import { signBilling, verifyBillingSignature } from '../../../functions/ingest/billing.js';
import { replayArchived } from '../../../functions/ingest/replay.js';
import { ClosedPeriodError, ValidationError, AuthenticationError } from '../../../functions/domain/errors.js';
import { BILLING_SECRET, NOW, NOW_S, makeDeps } from './fakes.js';

const invoiceEvent = (over: Record<string, unknown> = {}, dataOver: Record<string, unknown> = {}) => ({
  eventId: 'evt-1001',
  type: 'invoice.issued',
  occurredAt: '2026-11-20T08:59:00Z',
  data: {
    customerId: 'cust-romashka',
    contractId: 'ctr-17',
    invoiceId: 'inv-2026-0415',
    number: '415',
    issueDate: '2026-11-10',
    dueDate: '2026-11-25',
    amount: { amount: '125000.00', currency: 'RUB' },
    ...dataOver,
  },
  ...over,
});

function billingRequest(body: unknown, opts: { secret?: string; t?: number; signature?: string | null; raw?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  const sig = opts.signature === null ? undefined : (opts.signature ?? signBilling(raw, opts.secret ?? BILLING_SECRET, opts.t ?? NOW_S));
  return {
    path: '/webhooks/billing',
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sig ? { 'X-Claimflow-Signature': sig } : {}) },
    rawBody: raw,
    sourceIp: '203.0.113.5',
  };
}

const fieldsOf = (body: string) => (JSON.parse(body) as { error: { fields: { field: string; message: string }[] } }).error.fields;

describe('billing webhook: authenticity', () => {
  it('applies a correctly signed invoice and archives the raw payload first', async () => {
    // Prepare
    const { deps, ledger, archive } = makeDeps();
    // Act
    const res = await handleWebhook(deps, billingRequest(invoiceEvent()));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'applied', eventId: 'evt-1001', entryKey: 'invoice:inv-2026-0415' });
    expect(ledger.calls).toHaveLength(1);
    expect(ledger.calls[0]!.command).toEqual({
      type: 'invoice.issued',
      customerId: 'cust-romashka',
      contractId: 'ctr-17',
      invoiceId: 'inv-2026-0415',
      number: '415',
      issueDate: '2026-11-10',
      dueDate: '2026-11-25',
      amount: { amount: '125000.00', currency: 'RUB' },
    });
    const [ref, item] = [...archive.items.entries()][0]!;
    expect(ledger.calls[0]!.origin).toEqual({ source: 'billing', eventId: 'evt-1001', archiveRef: ref, receivedAt: NOW.toISOString() });
    expect(item.raw).toBe(JSON.stringify(invoiceEvent()));
  });

  it.each([
    ['missing', { signature: null }],
    ['wrong secret', { secret: 'another-secret-0123456789' }],
    ['expired (301 s old)', { t: NOW_S - 301 }],
    ['from the future (301 s ahead)', { t: NOW_S + 301 }],
    ['malformed header', { signature: 'sha256=abc' }],
    ['tampered hex', { signature: `t=${NOW_S},v1=${'0'.repeat(64)}` }],
  ])('refuses a %s signature with 401 and stores nothing', async (_name, opts) => {
    // Prepare
    const { deps, ledger, archive } = makeDeps();
    // Act
    const res = await handleWebhook(deps, billingRequest(invoiceEvent(), opts as never));
    // Assess
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('UNAUTHENTICATED');
    expect(res.body).not.toMatch(/at .*\.ts/);
    expect(ledger.calls).toHaveLength(0);
    expect(archive.items.size).toBe(0);
  });

  it('refuses a body changed after signing', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const signedRaw = JSON.stringify(invoiceEvent());
    const req = billingRequest(undefined, { raw: signedRaw });
    req.rawBody = signedRaw.replace('125000.00', '1.00');
    // Act
    const res = await handleWebhook(deps, req);
    // Assess
    expect(res.statusCode).toBe(401);
    expect(ledger.calls).toHaveLength(0);
  });

  it('accepts a signature 299 s old and any secret of a rotation list', async () => {
    // Prepare
    const { deps, ledger } = makeDeps({ billingSecrets: ['new-secret-0123456789abcdef', BILLING_SECRET] });
    // Act
    const res = await handleWebhook(deps, billingRequest(invoiceEvent(), { t: NOW_S - 299 }));
    // Assess
    expect(res.statusCode).toBe(200);
    expect(ledger.calls).toHaveLength(1);
  });

  it('honours a configured tolerance window', async () => {
    // Prepare
    const { deps } = makeDeps({ signatureToleranceSeconds: 600 });
    const { deps: strict } = makeDeps({ signatureToleranceSeconds: 60 });
    // Act
    const wide = await handleWebhook(deps, billingRequest(invoiceEvent(), { t: NOW_S - 500 }));
    const narrow = await handleWebhook(strict, billingRequest(invoiceEvent(), { t: NOW_S - 61 }));
    // Assess
    expect(wide.statusCode).toBe(200);
    expect(narrow.statusCode).toBe(401);
  });

  it('property: a signed body verifies; changing any byte of it fails', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, pos, flip) => {
        // Prepare
        const header = signBilling(body, BILLING_SECRET, NOW_S);
        const tampered = Uint8Array.from(body);
        tampered[pos % body.length] = tampered[pos % body.length]! ^ flip;
        // Act
        const good = () => verifyBillingSignature(body, header, [BILLING_SECRET], NOW, 300);
        const bad = () => verifyBillingSignature(tampered, header, [BILLING_SECRET], NOW, 300);
        // Assess
        expect(good).not.toThrow();
        expect(bad).toThrow(AuthenticationError);
      }),
      { numRuns: 200 },
    );
  });
});

describe('billing webhook: bad input', () => {
  it('answers 400 on malformed JSON', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    // Act
    const res = await handleWebhook(deps, billingRequest(undefined, { raw: '{"eventId": "evt-1", "type": ' }));
    // Assess
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(res.body)[0]!.field).toBe('(body)');
    expect(ledger.calls).toHaveLength(0);
  });

  it.each([
    ['not a decimal string', { amount: { amount: '125 000,00', currency: 'RUB' } }, 'data.amount.amount', /decimal string/],
    ['a JSON number', { amount: { amount: 125000, currency: 'RUB' } }, 'data.amount.amount', /string/],
    ['an exponent', { amount: { amount: '1e5', currency: 'RUB' } }, 'data.amount.amount', /decimal string/],
    ['negative', { amount: { amount: '-10.00', currency: 'RUB' } }, 'data.amount.amount', /negative/],
    ['too many decimals', { amount: { amount: '10.005', currency: 'RUB' } }, 'data.amount.amount', /at most 2 decimals/],
    ['decimals on a zero-decimal currency', { amount: { amount: '10.5', currency: 'JPY' } }, 'data.amount.amount', /at most 0 decimals/],
    ['zero', { amount: { amount: '0.00', currency: 'RUB' } }, 'data.amount.amount', /greater than zero/],
    ['unknown currency', { amount: { amount: '10.00', currency: 'XYZ' } }, 'data.amount.currency', /unknown currency/],
    ['an impossible date', { dueDate: '2025-02-30' }, 'data.dueDate', /real calendar date/],
    ['a non-ISO date', { issueDate: '10.11.2026' }, 'data.issueDate', /real calendar date/],
    ['an unknown field', { amout: '1' }, 'data', /amout/],
  ])('answers 400 naming the field when the amount is %s', async (_name, dataOver, field, message) => {
    // Prepare
    const { deps, ledger, archive } = makeDeps();
    // Act
    const res = await handleWebhook(deps, billingRequest(invoiceEvent({}, dataOver)));
    // Assess
    expect(res.statusCode).toBe(400);
    const fields = fieldsOf(res.body);
    expect(fields).toContainEqual({ field, message: expect.stringMatching(message) });
    expect(ledger.calls).toHaveLength(0);
    expect(archive.items.size).toBe(0);
  });

  it('names every bad field of one request', async () => {
    // Prepare
    const { deps } = makeDeps();
    const event = invoiceEvent({}, { issueDate: '2026-13-01', amount: { amount: '1,5', currency: 'RUR' } });
    delete (event.data as Record<string, unknown>).customerId;
    // Act
    const res = await handleWebhook(deps, billingRequest(event));
    // Assess
    expect(res.statusCode).toBe(400);
    expect(
      fieldsOf(res.body)
        .map((f) => f.field)
        .sort(),
    ).toEqual(['data.amount.amount', 'data.amount.currency', 'data.customerId', 'data.issueDate']);
  });

  it('answers 400 on an unknown event type and on a missing eventId', async () => {
    // Prepare
    const { deps } = makeDeps();
    // Act
    const unknownType = await handleWebhook(deps, billingRequest(invoiceEvent({ type: 'invoice.exploded' })));
    const noId = await handleWebhook(deps, billingRequest(invoiceEvent({ eventId: undefined })));
    // Assess
    expect(unknownType.statusCode).toBe(400);
    expect(fieldsOf(unknownType.body).map((f) => f.field)).toEqual(['type']);
    expect(noId.statusCode).toBe(400);
    expect(fieldsOf(noId.body).map((f) => f.field)).toEqual(['eventId']);
  });

  it('answers 413 for a body over 256 KB before checking anything else', async () => {
    // Prepare
    const { deps, ledger, archive } = makeDeps();
    const big = JSON.stringify(invoiceEvent({ padding: 'x'.repeat(256 * 1024) }));
    const exactly = 'x'.repeat(256 * 1024);
    // Act
    const res = await handleWebhook(deps, billingRequest(undefined, { raw: big, signature: null }));
    const atLimit = await handleWebhook(deps, billingRequest(undefined, { raw: exactly }));
    // Assess
    expect(res.statusCode).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(atLimit.statusCode).toBe(400); // at the limit: passes the size check, then fails as JSON
    expect(ledger.calls).toHaveLength(0);
    expect(archive.items.size).toBe(0);
  });

  it('counts bytes, not characters: 100 K Cyrillic letters are 200 KB, 140 K are over the limit', async () => {
    // Prepare
    const { deps } = makeDeps();
    const under = 'я'.repeat(100 * 1024);
    const over = 'я'.repeat(140 * 1024);
    // Act
    const a = await handleWebhook(deps, billingRequest(undefined, { raw: under }));
    const b = await handleWebhook(deps, billingRequest(undefined, { raw: over }));
    // Assess
    expect(a.statusCode).toBe(400);
    expect(b.statusCode).toBe(413);
  });

  it('answers 404 on an unknown route and 405 on GET', async () => {
    // Prepare
    const { deps } = makeDeps();
    // Act
    const unknown = await handleWebhook(deps, { ...billingRequest(invoiceEvent()), path: '/webhooks/paypal' });
    const get = await handleWebhook(deps, { ...billingRequest(invoiceEvent()), method: 'GET' });
    // Assess
    expect(unknown.statusCode).toBe(404);
    expect(get.statusCode).toBe(405);
  });
});

describe('billing webhook: delivery and failures', () => {
  it('stores a duplicate delivery once and answers 200 "duplicate"', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const req = billingRequest(invoiceEvent());
    // Act
    const first = await handleWebhook(deps, req);
    const second = await handleWebhook(deps, req);
    // Assess
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(second.body).status).toBe('duplicate');
    expect(ledger.stored.size).toBe(1);
  });

  it('maps every event type to its ledger command', async () => {
    // Prepare
    const { deps, ledger } = makeDeps();
    const events = [
      { type: 'customer.upsert', data: { customerId: 'c1', legalName: 'ООО «Ромашка»', taxId: '7701234567', kpp: '770101001', emails: ['buh@romashka.ru'] } },
      { type: 'contract.upsert', data: { customerId: 'c1', contractId: 'k1', number: '17/2026', date: '2026-01-15', currency: 'RUB', paymentTermsDays: 14 } },
      { type: 'invoice.voided', data: { customerId: 'c1', invoiceId: 'i1', date: '2026-11-19', reason: 'duplicate' } },
      { type: 'creditNote.issued', data: { customerId: 'c1', creditNoteId: 'cn1', invoiceId: 'i2', date: '2026-11-19', amount: { amount: '500.00', currency: 'RUB' } } },
      { type: 'payment.received', data: { customerId: 'c1', paymentId: 'p1', date: '2026-11-19', amount: { amount: '1000.50', currency: 'RUB' }, invoiceIds: ['i2'] } },
      { type: 'payment.reversed', data: { customerId: 'c1', paymentId: 'p1', date: '2026-11-20' } },
      { type: 'refund.issued', data: { customerId: 'c1', refundId: 'r1', paymentId: 'p1', date: '2026-11-20', amount: { amount: '10.00', currency: 'RUB' } } },
      {
        type: 'writeOff.recorded',
        data: { customerId: 'c1', writeOffId: 'w1', invoiceId: 'i3', date: '2026-11-20', amount: { amount: '0.01', currency: 'RUB' }, reason: 'rounding' },
      },
    ];
    // Act
    const statuses = [];
    for (const [i, e] of events.entries()) statuses.push((await handleWebhook(deps, billingRequest({ eventId: `e${i}`, ...e }))).statusCode);
    // Assess
    expect(statuses).toEqual(events.map(() => 200));
    expect(ledger.calls.map((c) => c.command.type)).toEqual(events.map((e) => e.type));
    expect(ledger.calls[0]!.command).toMatchObject({ locale: 'ru', segment: 'wholesale' });
    expect(ledger.calls[4]!.command).toMatchObject({ channel: 'webhook', amount: { amount: '1000.50', currency: 'RUB' } });
  });

  it('maps ledger refusals to 400 and 409 without dead-lettering them', async () => {
    // Prepare
    const { deps, ledger, deadLetters } = makeDeps();
    ledger.failWith = new ValidationError([{ field: 'data.customerId', message: 'unknown customer' }]);
    const { deps: deps2, ledger: ledger2 } = makeDeps();
    ledger2.failWith = new ClosedPeriodError('2026-10-31', '2026-10-15');
    // Act
    const unknown = await handleWebhook(deps, billingRequest(invoiceEvent()));
    const closed = await handleWebhook(deps2, billingRequest(invoiceEvent()));
    // Assess
    expect(unknown.statusCode).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual([{ field: 'data.customerId', message: 'unknown customer' }]);
    expect(closed.statusCode).toBe(409);
    expect(JSON.parse(closed.body).error).toMatchObject({ code: 'PERIOD_CLOSED', closedThrough: '2026-10-31' });
    expect(deadLetters.sent).toHaveLength(0);
  });

  it('dead-letters a processing failure with the archive reference, answers 500 without a stack, and replays it', async () => {
    // Prepare
    const { deps, ledger, archive, deadLetters } = makeDeps();
    ledger.failWith = new Error('ProvisionedThroughputExceededException at DynamoDB.send (/var/task/index.js:1:1)');
    // Act
    const res = await handleWebhook(deps, billingRequest(invoiceEvent()));
    ledger.failWith = undefined;
    const ref = deadLetters.sent[0]?.context['archiveRef'] as string;
    const replayed = await replayArchived({ archive, ledger, config: deps.config, now: () => new Date('2026-11-21T10:00:00Z') }, ref);
    const again = await replayArchived({ archive, ledger, config: deps.config, now: () => new Date('2026-11-21T10:00:00Z') }, ref);
    // Assess
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error. The request was logged and can be replayed.' } });
    expect(deadLetters.sent).toHaveLength(1);
    expect(deadLetters.sent[0]!.context).toMatchObject({ source: 'billing', eventId: 'evt-1001', replay: `claimflow replay ${ref}` });
    expect(archive.items.has(ref)).toBe(true);
    expect(replayed).toMatchObject({ source: 'billing', eventId: 'evt-1001', status: 'applied', statusCode: 200 });
    expect(again.status).toBe('duplicate');
    expect(ledger.stored.get('invoice:inv-2026-0415')!.origin.archiveRef).toBe(ref);
  });
});
