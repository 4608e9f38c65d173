import { beforeEach, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../support/dynamo.js';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { keys } from '../../functions/adapters/table-design.js';
import { ClosedPeriodError, ConflictError, ValidationError } from '../../functions/domain/errors.js';
import type { CommandOrigin } from '../../functions/ports/index.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { cmd, contract, customer, invoice, payment, split } from '../unit/ledger/builders.js';

const NOW = new Date('2025-03-15T10:00:00Z');
let n = 0;
const origin = (eventId = `ev-${++n}`, source = 'billing'): CommandOrigin => ({ source, eventId, receivedAt: NOW.toISOString() });
const d = (s: string) => s as CalendarDate;

let ledger: DynamoLedger;
let doc: DynamoDBDocumentClient;
let tableName: string;

beforeEach(async () => {
  ({ doc, tableName } = await freshTable('ledger'));
  ledger = new DynamoLedger({ doc, tableName, now: () => NOW });
});

async function seedCustomer(id = 'C1') {
  await ledger.apply(customer(id), origin());
  await ledger.apply(contract('K1', 'RUB', id), origin());
}

describe('DynamoLedger.apply — exactly once', () => {
  it('stores an event delivered twice once, and the same entry under another event id is a duplicate too', async () => {
    // Prepare
    await seedCustomer();
    const inv = invoice('I1', '1000.00', '2025-02-01', '2025-02-15', { contractId: 'K1' });
    const o = origin('evt-42');
    // Act
    const first = await ledger.apply(inv, o);
    const again = await ledger.apply(inv, o);
    const otherEvent = await ledger.apply(inv, origin('evt-43'));
    // Assess
    expect(first).toEqual({ status: 'applied', entryKey: 'invoice:I1' });
    expect(again).toEqual({ status: 'duplicate', entryKey: 'invoice:I1' });
    expect(otherEvent).toEqual({ status: 'duplicate', entryKey: 'invoice:I1' });
    const entries = await ledger.listEntries('C1');
    expect(entries.filter((e) => e.entryKey === 'invoice:I1')).toHaveLength(1);
    expect((await ledger.getSummary('C1'))?.balances.RUB).toBe('1000.00');
    const dedupe = await doc.send(new GetCommand({ TableName: tableName, Key: keys.dedupe('billing', 'evt-42') }));
    expect(dedupe.Item?.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + 14 * 86_400);
  });

  it('a redelivered customer upsert is a duplicate; a new upsert event updates the profile and keeps foreign attributes', async () => {
    // Prepare
    await ledger.apply(customer('C1', { emails: ['a@example.com'] }), origin('cu-1'));
    await doc.send(
      new UpdateCommand({ TableName: tableName, Key: keys.customerProfile('C1'), UpdateExpression: 'SET lastLetterDate = :d', ExpressionAttributeValues: { ':d': '2025-03-01' } }),
    );
    // Act
    const dup = await ledger.apply(customer('C1', { emails: ['a@example.com'] }), origin('cu-1'));
    const upd = await ledger.apply(customer('C1', { emails: ['b@example.com'], manager: 'Иванова' }), origin('cu-2'));
    // Assess
    expect(dup.status).toBe('duplicate');
    expect(upd.status).toBe('applied');
    expect(await ledger.getProfile('C1')).toMatchObject({ emails: ['b@example.com'], manager: 'Иванова', legalName: 'ООО «C1»' });
    const raw = await doc.send(new GetCommand({ TableName: tableName, Key: keys.customerProfile('C1') }));
    expect(raw.Item?.lastLetterDate).toBe('2025-03-01');
    expect((await ledger.getSummary('C1'))?.version).toBe(2);
  });
});

describe('DynamoLedger.apply — settlement', () => {
  it('a payment that arrives before its invoice is pending and converges when the invoice arrives', async () => {
    // Prepare
    await seedCustomer();
    // Act
    const early = await ledger.apply(payment('P1', '700.00', '2025-02-10', { invoiceIds: ['I7'] }), origin());
    const summaryBefore = await ledger.getSummary('C1');
    const late = await ledger.apply(invoice('I7', '700.00', '2025-02-01', '2025-02-20', { contractId: 'K1' }), origin());
    // Assess
    expect(early).toEqual({ status: 'pending', entryKey: 'payment:P1', waitingFor: 'invoice:I7' });
    expect(summaryBefore).toMatchObject({ unappliedCredit: { RUB: '700.00' }, pendingCount: 1, balances: { RUB: '-700.00' } });
    expect(late.status).toBe('applied');
    expect(await ledger.getInvoice('C1', 'I7')).toMatchObject({
      status: 'paid',
      outstanding: { amount: '0.00', currency: 'RUB' },
      contractNumber: 'Д-K1',
      paidOn: '2025-02-10', // the invoice is dated before the payment, so the re-fold allocates on the payment date
      allocations: [{ source: 'payment:P1', amount: '700.00', reason: 'named-by-payer' }],
    });
    expect(await ledger.getSummary('C1')).toMatchObject({ balances: { RUB: '0.00' }, unappliedCredit: { RUB: '0.00' }, pendingCount: 0 });
  });

  it('partial and multi-invoice payments leave exactly the rest open', async () => {
    // Prepare
    await seedCustomer();
    await ledger.apply(invoice('I1', '1000.00', '2025-01-10', '2025-01-20', { contractId: 'K1' }), origin());
    await ledger.apply(invoice('I2', '500.00', '2025-01-11', '2025-01-25', { contractId: 'K1' }), origin());
    await ledger.apply(invoice('I3', '300.00', '2025-01-12', '2025-01-30', { contractId: 'K1' }), origin());
    // Act
    await ledger.apply(payment('P1', '1200.00', '2025-02-01', { invoiceIds: ['I1', 'I2'] }), origin());
    await ledger.apply(payment('P2', '100.00', '2025-02-02', { allocations: [split('I3', '40.00')] }), origin());
    // Assess
    const open = await ledger.openInvoices('C1');
    expect(open.map((i) => [i.invoiceId, i.outstanding.amount])).toEqual([
      ['I2', '240.00'],
      ['I3', '260.00'],
    ]);
    expect((await ledger.getInvoice('C1', 'I2'))?.allocations).toEqual([
      { source: 'payment:P1', amount: '200.00', date: '2025-02-01', reason: 'named-by-payer' },
      { source: 'payment:P2', amount: '60.00', date: '2025-02-02', reason: 'oldest-due-first' },
    ]);
    expect((await ledger.getSummary('C1'))?.balances.RUB).toBe('500.00');
  });

  it('concurrent payments for one customer all land, each allocated once', async () => {
    // Prepare
    await seedCustomer();
    await ledger.apply(invoice('I1', '1000.00', '2025-01-10', '2025-01-20', { contractId: 'K1' }), origin());
    const payments = Array.from({ length: 10 }, (_, i) => payment(`P${i}`, '55.50', '2025-02-01'));
    // Act
    const results = await Promise.all(payments.map((p) => ledger.apply(p, origin())));
    // Assess
    expect(results.map((r) => r.status)).toEqual(Array(10).fill('applied'));
    const inv = await ledger.getInvoice('C1', 'I1');
    expect(inv?.outstanding.amount).toBe('445.00');
    expect(inv?.allocations.map((a) => a.source).sort()).toEqual(payments.map((_, i) => `payment:P${i}`).sort());
    const summary = await ledger.getSummary('C1');
    expect(summary?.balances.RUB).toBe('445.00');
    expect(summary?.version).toBe((await ledger.listEntries('C1')).length);
  });
});

describe('DynamoLedger.apply — corrections', () => {
  it('a reversal reopens the invoice and brings the customer back into the debtor index; a void drops it again', async () => {
    // Prepare
    await seedCustomer();
    await ledger.apply(invoice('I1', '300.00', '2025-01-10', '2025-01-20', { contractId: 'K1' }), origin());
    await ledger.apply(payment('P1', '300.00', '2025-01-15', { invoiceIds: ['I1'] }), origin());
    const paid = await ledger.listDebtors(d('2025-03-01'));
    // Act
    await ledger.apply(cmd({ type: 'payment.reversed', customerId: 'C1', paymentId: 'P1', date: '2025-01-18' }), origin());
    const reopened = await ledger.getInvoice('C1', 'I1');
    const afterReversal = await ledger.listDebtors(d('2025-03-01'));
    await ledger.apply(cmd({ type: 'invoice.voided', customerId: 'C1', invoiceId: 'I1', date: '2025-02-01' }), origin());
    // Assess
    expect(paid.customerIds).toEqual([]);
    expect(reopened).toMatchObject({ status: 'open', outstanding: { amount: '300.00' }, allocations: [] });
    expect(afterReversal.customerIds).toEqual(['C1']);
    expect(await ledger.getInvoice('C1', 'I1')).toMatchObject({ status: 'void', outstanding: { amount: '0.00' }, voidedOn: '2025-02-01' });
    expect((await ledger.listDebtors(d('2025-03-01'))).customerIds).toEqual([]);
    expect((await ledger.getSummary('C1'))?.balances.RUB).toBe('0.00');
  });
});

describe('DynamoLedger.apply — refusals', () => {
  it('an entry dated inside a closed period is refused with 409 and the refusal is recorded', async () => {
    // Prepare
    await seedCustomer();
    await ledger.closePeriod(d('2025-01-31'), 'главбух Петрова', 'январь закрыт');
    const late = invoice('I9', '100.00', '2025-01-15', '2025-01-30', { contractId: 'K1' });
    // Act
    const err = await ledger.apply(late, origin('evt-closed')).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ClosedPeriodError);
    expect((err as ClosedPeriodError).status).toBe(409);
    expect((err as ClosedPeriodError).closedThrough).toBe('2025-01-31');
    expect(await ledger.getInvoice('C1', 'I9')).toBeUndefined();
    const refusals = await ledger.listRefusals({ customerId: 'C1' });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ code: 'PERIOD_CLOSED', entryKey: 'invoice:I9', closedThrough: '2025-01-31', origin: { eventId: 'evt-closed' } });
    expect((await ledger.apply(invoice('I10', '100.00', '2025-02-01', '2025-02-10', { contractId: 'K1' }), origin())).status).toBe('applied');
  });

  it('a closed period is never reopened', async () => {
    // Prepare
    await ledger.closePeriod(d('2025-02-28'), 'главбух', 'февраль');
    // Act
    const err = await ledger.closePeriod(d('2025-01-31'), 'кто-то', 'назад').catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ConflictError);
    expect(await ledger.getClosedThrough()).toBe('2025-02-28');
  });

  it('unknown customer and a payment currency other than the contract currency are refused field by field, nothing stored', async () => {
    // Prepare
    await seedCustomer();
    const stranger = cmd({
      type: 'invoice.issued',
      customerId: 'NOBODY',
      invoiceId: 'X1',
      number: '1',
      issueDate: '2025-02-01',
      dueDate: '2025-02-10',
      amount: { amount: '1.00', currency: 'RUB' },
    });
    const usd = cmd({ type: 'payment.received', customerId: 'C1', paymentId: 'PU', date: '2025-02-01', amount: { amount: '10.00', currency: 'USD' } });
    // Act
    const e1 = await ledger.apply(stranger, origin()).catch((e: unknown) => e);
    const e2 = await ledger.apply(usd, origin()).catch((e: unknown) => e);
    // Assess
    expect(e1).toBeInstanceOf(ValidationError);
    expect((e1 as ValidationError).fields.map((f) => f.field)).toEqual(['customerId']);
    expect((e2 as ValidationError).fields.map((f) => f.field)).toEqual(['amount.currency']);
    expect(await ledger.listEntries('NOBODY')).toEqual([]);
    expect((await ledger.listEntries('C1')).map((e) => e.entryKey).sort()).toEqual(['contract:K1', 'customer:C1']);
    expect((await ledger.listRefusals()).map((r) => r.code)).toEqual(['VALIDATION_FAILED', 'VALIDATION_FAILED']);
  });
});

describe('DynamoLedger read side', () => {
  it('the debtor index lists a customer while an invoice is open and drops it when paid', async () => {
    // Prepare
    await seedCustomer('C1');
    await seedCustomer('C2');
    await ledger.apply(
      cmd({ type: 'invoice.issued', customerId: 'C1', invoiceId: 'A', number: 'A', issueDate: '2025-01-01', dueDate: '2025-01-10', amount: { amount: '10.00', currency: 'RUB' } }),
      origin(),
    );
    await ledger.apply(
      cmd({ type: 'invoice.issued', customerId: 'C2', invoiceId: 'B', number: 'B', issueDate: '2025-01-01', dueDate: '2025-03-10', amount: { amount: '10.00', currency: 'RUB' } }),
      origin(),
    );
    // Act
    const early = await ledger.listDebtors(d('2025-01-31'));
    const later = await ledger.listDebtors(d('2025-03-31'));
    await ledger.apply(cmd({ type: 'payment.received', customerId: 'C1', paymentId: 'PA', date: '2025-02-01', amount: { amount: '10.00', currency: 'RUB' } }), origin());
    const afterPay = await ledger.listDebtors(d('2025-03-31'));
    // Assess
    expect(early.customerIds).toEqual(['C1']);
    expect(later.customerIds.sort()).toEqual(['C1', 'C2']);
    expect(afterPay.customerIds).toEqual(['C2']);
    const s1 = await doc.send(new GetCommand({ TableName: tableName, Key: keys.customerSummary('C1') }));
    expect(s1.Item?.GSI1PK).toBeUndefined();
  });

  it('pages the debtor index across shards with an opaque token', async () => {
    // Prepare
    const ids = Array.from({ length: 7 }, (_, i) => `D${i}`);
    for (const id of ids) {
      await ledger.apply(customer(id), origin());
      await ledger.apply(
        cmd({
          type: 'invoice.issued',
          customerId: id,
          invoiceId: `I-${id}`,
          number: id,
          issueDate: '2025-01-01',
          dueDate: '2025-01-05',
          amount: { amount: '1.00', currency: 'RUB' },
        }),
        origin(),
      );
    }
    // Act
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ledger.listDebtors(d('2025-01-31'), token, 3);
      expect(page.customerIds.length).toBeLessThanOrEqual(3);
      seen.push(...page.customerIds);
      token = page.nextToken;
      pages++;
    } while (token && pages < 20);
    // Assess
    expect(seen.sort()).toEqual(ids);
    await expect(ledger.listDebtors(d('2025-01-31'), 'garbage')).rejects.toBeInstanceOf(ValidationError);
  });

  it('produces the reconciliation statement of a customer for a period', async () => {
    // Prepare
    await seedCustomer();
    await ledger.apply(invoice('I1', '1000.00', '2025-01-10', '2025-01-20', { contractId: 'K1' }), origin());
    await ledger.apply(payment('P1', '400.00', '2025-01-25'), origin());
    await ledger.apply(invoice('I2', '250.00', '2025-02-03', '2025-02-13', { contractId: 'K1' }), origin());
    await ledger.apply(payment('P2', '100.00', '2025-02-05', { reference: 'п/п 17' }), origin());
    // Act
    const st = await ledger.reconciliation('C1', d('2025-02-01'), d('2025-02-28'));
    // Assess
    expect(st.opening).toEqual({ balance: '600.00', debit: '600.00', credit: '0.00' });
    expect(st.rows.map((r) => [r.date, r.description, r.debit, r.credit])).toEqual([
      ['2025-02-03', 'Счет № N-I2', '250.00', '0.00'],
      ['2025-02-05', 'Оплата (п/п 17)', '0.00', '100.00'],
    ]);
    expect(st.closing.balance).toBe('750.00');
    expect(st.atClose.openInvoices.map((i) => [i.invoiceId, i.outstanding])).toEqual([
      ['I1', '500.00'],
      ['I2', '250.00'],
    ]);
  });
});

describe('item shapes', () => {
  it('writes the entry with its origin and the summary with the debtor key', async () => {
    // Prepare
    await seedCustomer();
    // Act
    await ledger.apply(invoice('I1', '10.00', '2025-01-10', '2025-01-20', { contractId: 'K1' }), { ...origin('e1'), archiveRef: 's3://raw/e1' });
    // Assess
    const q = await doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'CUST#C1' } }));
    const bySk = Object.fromEntries((q.Items ?? []).map((i) => [i.SK, i]));
    expect(bySk['ENTRY#invoice:I1']).toMatchObject({ type: 'invoice.issued', date: '2025-01-10', rev: 1, origin: { eventId: 'e1', archiveRef: 's3://raw/e1' } });
    expect(bySk.SUMMARY).toMatchObject({ GSI1SK: '2025-01-20#C1', minOpenDueDate: '2025-01-20', openInvoiceCount: 1, version: 3 });
    expect(bySk.SUMMARY.GSI1PK).toMatch(/^DEBTORS#\d$/);
  });
});
