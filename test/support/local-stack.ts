/** Starts the embedded local stack on free ports for a test (in-memory DynamoDB, no scheduler). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../bin/local/ports.js';
import { startLocalStack, LOCAL_SECRETS, type LocalStack, type LocalStackOptions } from '../../bin/local/stack.js';
import { signBilling, BILLING_SIGNATURE_HEADER } from '../../functions/ingest/billing.js';

export async function testStack(over: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  // Free ports are picked, released, then bound: another test file may grab one in between. Retry with
  // fresh ports when that race is lost (the stack stops whatever it started before rethrowing).
  for (let attempt = 1; ; attempt++) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'claimflow-e2e-'));
    try {
      return await startLocalStack({
        httpPort: await freePort(),
        dynamoPort: await freePort(),
        sesPort: await freePort(),
        dataDir,
        inMemory: true,
        demo: false,
        scheduler: false,
        log: () => undefined,
        ...over,
      });
    } catch (err) {
      const lostRace = /EADDRINUSE|already in use|did not start/.test(String((err as Error)?.message ?? err));
      if (!lostRace || attempt >= 3) throw err;
    }
  }
}

/** POSTs a billing event signed like a real sender would sign it. */
export async function postBilling(
  stack: LocalStack,
  envelope: unknown,
  opts: { secret?: string; at?: number; signature?: string | null } = {},
): Promise<{ status: number; body: any }> {
  const raw = JSON.stringify(envelope);
  const t = opts.at ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.signature !== null) headers[BILLING_SIGNATURE_HEADER] = opts.signature ?? signBilling(raw, opts.secret ?? LOCAL_SECRETS.billing, t);
  const res = await fetch(stack.urls.webhook, { method: 'POST', headers, body: raw });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export const customerEvent = (id: string, over: Record<string, unknown> = {}) => ({
  eventId: `evt-cust-${id}`,
  type: 'customer.upsert',
  data: {
    customerId: id,
    legalName: `ООО «${id}»`,
    taxId: '7801999001',
    emails: [`${id}@buyer.example`],
    locale: 'ru',
    postalAddress: { postalCode: '190000', city: 'Санкт-Петербург', line1: 'Невский пр., д. 2' },
    ...over,
  },
});

export const invoiceEvent = (customerId: string, invoiceId: string, dueDate: string, amount: string, over: Record<string, unknown> = {}) => ({
  eventId: `evt-inv-${invoiceId}`,
  type: 'invoice.issued',
  data: { customerId, invoiceId, number: invoiceId.toUpperCase(), issueDate: '2026-11-01', dueDate, amount: { amount, currency: 'RUB' }, ...over },
});

/** Calls the local operator API as the named operator (`x-claimflow-operator`). */
export async function operatorCall(stack: LocalStack, operator: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.urls.http}/operator/${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-claimflow-operator': operator },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls every 250 ms until `fn` gives a value (for work the stack finishes in the background). */
export async function until<T>(fn: () => Promise<T | undefined>, tries = 80): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('condition not reached');
}
