/**
 * The machine interface of credit control, framework-free (the Lambda handler functions/handlers/credit-api.ts
 * and the local HTTP server both call `handleCreditApi`):
 *
 *   POST /credit/checks         {customerId, contractId?, orderId, amount, currency, prepaid?, idempotencyKey} → the decision
 *   POST /credit/reservations   same body → the decision, and the reservation when the order passed
 *
 * Authenticated for machines: `X-Claimflow-Signature: t=<unix s>,v1=<HMAC-SHA256(secret, "<t>.<body>")>` (as the
 * billing webhook, with the credit secret), or — in AWS — an IAM-signed request (API Gateway passes the principal).
 * Errors: 400 naming the field, 401 bad signature, 404 unknown customer, 409 the order reserved under another key.
 */
import { z } from 'zod';
import { AuthenticationError, ClaimflowError, errorBody, ValidationError, type FieldIssue } from '../domain/errors.js';
import { zId, zodFields } from '../domain/ledger/commands.js';
import { parseMoney, type Money } from '../domain/money.js';
import { BILLING_SIGNATURE_HEADER, verifyBillingSignature } from '../ingest/billing.js';
import { checkCredit, reserveCredit, type CheckRequest, type CreditDeps } from '../app/credit/service.js';

export const CREDIT_SIGNATURE_HEADER = BILLING_SIGNATURE_HEADER;
export const MAX_CREDIT_BODY_BYTES = 16 * 1024;

export const zCreditCheckBody = z
  .object({
    customerId: zId.describe('The customer as billing sends it (customer.upsert customerId).'),
    contractId: zId.optional().describe('The contract the order is under; its own terms and limit apply when it has them.'),
    orderId: zId.describe("The order system's order id. An invoice carrying it (invoice.issued orderId) consumes the reservation."),
    amount: z.string().describe('Order amount, a decimal string such as "125000.00".'),
    currency: z.string().describe('ISO 4217 code, e.g. "RUB".'),
    prepaid: z.string().optional().describe('Already prepaid for this order, a decimal string in the same currency.'),
    idempotencyKey: z.string().min(1).max(128).describe('Echoed back; a repeated reservation with the same key returns the first answer.'),
  })
  .strict()
  .meta({ title: 'Credit check or reservation request' });

export interface CreditApiRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  rawBody: Uint8Array;
  /** IAM principal ARN when API Gateway authorized the call with SigV4. */
  principal?: string;
}

export interface CreditApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface CreditApiDeps {
  credit: CreditDeps;
  secrets: readonly string[];
  toleranceSeconds?: number;
  now?: () => Date;
}

const answer = (statusCode: number, body: unknown): CreditApiResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

export function parseCheckBody(value: unknown): CheckRequest {
  const r = zCreditCheckBody.safeParse(value);
  if (!r.success) {
    throw new ValidationError(
      zodFields(r.error).map((f, i) => (r.error.issues[i]?.code === 'invalid_type' && r.error.issues[i]?.input === undefined ? { field: f.field, message: 'required' } : f)),
      { cause: r.error },
    );
  }
  const b = r.data;
  const issues: FieldIssue[] = [];
  let amount: Money | undefined;
  let prepaid: Money | undefined;
  try {
    amount = parseMoney(b.amount, b.currency, 'amount', { allowZero: false });
  } catch (e) {
    issues.push(...(e as ValidationError).fields);
  }
  if (b.prepaid !== undefined && amount) {
    try {
      prepaid = parseMoney(b.prepaid, b.currency, 'prepaid');
    } catch (e) {
      issues.push(...(e as ValidationError).fields);
    }
  }
  if (issues.length) throw new ValidationError(issues);
  return {
    customerId: b.customerId,
    ...(b.contractId ? { contractId: b.contractId } : {}),
    orderId: b.orderId,
    amount: amount!,
    ...(prepaid ? { prepaid } : {}),
    idempotencyKey: b.idempotencyKey,
  };
}

export async function handleCreditApi(deps: CreditApiDeps, req: CreditApiRequest): Promise<CreditApiResponse> {
  try {
    const path = (req.path.split('?')[0] ?? '').replace(/\/+$/, '');
    const kind = path.endsWith('/credit/checks') ? 'check' : path.endsWith('/credit/reservations') ? 'reserve' : undefined;
    if (!kind) return answer(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${path}` } });
    if (req.method.toUpperCase() !== 'POST')
      return { ...answer(405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'use POST' } }), headers: { 'content-type': 'application/json; charset=utf-8', allow: 'POST' } };
    if (req.rawBody.byteLength > MAX_CREDIT_BODY_BYTES) return answer(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: `larger than ${MAX_CREDIT_BODY_BYTES} bytes` } });
    if (!req.principal) {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
      verifyBillingSignature(req.rawBody, headers[CREDIT_SIGNATURE_HEADER], deps.secrets, (deps.now ?? (() => new Date()))(), deps.toleranceSeconds ?? 300);
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(req.rawBody).toString('utf8') || '{}');
    } catch (err) {
      throw new ValidationError([{ field: '(body)', message: `is not valid JSON: ${(err as Error).message}` }]);
    }
    const r = parseCheckBody(body);
    return answer(200, kind === 'check' ? await checkCredit(deps.credit, r) : await reserveCredit(deps.credit, r));
  } catch (err) {
    if (err instanceof AuthenticationError) return answer(401, err.toBody());
    const { status, body } = errorBody(err);
    if (!(err instanceof ClaimflowError)) console.error('credit api failed', err);
    return answer(status, body);
  }
}
