/**
 * Credit control in the Lambda compositions, over DynamoDB Local: a payment that lands through the
 * webhook function's composition refreshes the customer's credit snapshot before the write returns (in
 * Lambda nothing runs after the answer), and stores the "released" event as a pending delivery for each
 * configured endpoint (the credit-jobs schedule delivers it), EventBridge included.
 */
import { describe, expect, it } from 'vitest';
import { composeWebhookLambda } from '../../functions/adapters/compose.js';
import type { AwsClients } from '../../functions/adapters/aws-clients.js';
import { DynamoCreditStore } from '../../functions/adapters/dynamo-credit.js';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { loadFunctionConfig } from '../../functions/config.js';
import { silentLogger } from '../../functions/ports/ingest.js';
import type { LedgerCommand } from '../../functions/domain/ledger/commands.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { freshTable } from '../support/dynamo.js';

const rub = (amount: string) => ({ amount, currency: 'RUB' as const });
const origin = (id: string) => ({ source: 'billing', eventId: id, receivedAt: new Date().toISOString() });

describe('credit control in the webhook Lambda composition', () => {
  it('a payment refreshes the snapshot inline: HOLD → clear, and the released event waits for credit-jobs at each endpoint', async () => {
    // Prepare
    const { doc, tableName } = await freshTable('credit-lambda');
    const cfg = loadFunctionConfig('webhook', {
      TABLE_NAME: tableName,
      BUCKET_NAME: 'unused',
      DLQ_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/dlq',
      BILLING_WEBHOOK_SECRETS: 's',
      CREDIT_WEBHOOK_URLS: 'https://erp.example.ru/claimflow-events',
      CREDIT_EVENTBRIDGE: 'on',
    });
    const deps = await composeWebhookLambda(cfg, { doc } as unknown as AwsClients, silentLogger)();
    const store = new DynamoCreditStore({ doc, tableName, ledger: new DynamoLedger({ doc, tableName }) });
    const dueDate = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10) as CalendarDate;
    const cmds: LedgerCommand[] = [
      { type: 'customer.upsert', customerId: 'l-1', legalName: 'ООО Л', emails: [], locale: 'ru', segment: 'wholesale', creditLimit: rub('500000.00') },
      { type: 'invoice.issued', customerId: 'l-1', invoiceId: 'i1', number: 'СЧ-1', issueDate: dueDate, dueDate, amount: rub('120000.00') },
    ];
    for (const [n, c] of cmds.entries()) await deps.ledger.apply(c, origin(`e${n}`));
    const held = await store.snapshot('l-1', { consistent: true });
    // Act
    await deps.ledger.apply(
      { type: 'payment.received', customerId: 'l-1', paymentId: 'p1', date: dueDate, amount: rub('120000.00'), invoiceIds: ['i1'], channel: 'bank' } as LedgerCommand,
      origin('pay'),
    );
    const after = await store.snapshot('l-1', { consistent: true });
    const pending = await store.due('\uffff', 100);
    // Assess
    expect(held?.status.state).toBe('held');
    expect(after?.status.state).toBe('clear');
    const released = pending.filter((d) => d.event.type === 'credit.released');
    expect(released.map((d) => d.endpoint).sort()).toEqual(['eventbridge', 'https://erp.example.ru/claimflow-events']);
    expect(released.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
  });
});
