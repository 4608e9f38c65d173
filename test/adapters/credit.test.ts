import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../functions/adapters/compose-ledger.js';
import { composeCredit } from '../../functions/adapters/compose-credit.js';
import {
  checkCredit,
  grantOverride,
  listOverrides,
  overridesReport,
  refreshCustomer,
  reserveCredit,
  setTerms,
  sweep,
  SWEEP_RESERVE_MS,
} from '../../functions/app/credit/service.js';
import { WHOLESALE } from '../../functions/domain/policy/presets.js';
import { ForbiddenError } from '../../functions/domain/errors.js';
import type { LedgerCommand } from '../../functions/domain/ledger/commands.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { freshTable } from '../support/dynamo.js';

const NOW = new Date('2026-11-24T09:00:00.000Z');
const rub = (amount: string) => ({ amount, currency: 'RUB' as const });
const origin = (id: string) => ({ source: 'test', eventId: id, receivedAt: NOW.toISOString() });

async function setup(commands: LedgerCommand[]) {
  const { doc, tableName } = await freshTable('credit');
  const ledger = new DynamoLedger({ doc, tableName, now: () => NOW });
  const credit = composeCredit({ doc, tableName, ledger, timeZone: 'Europe/Moscow', dunningPolicy: WHOLESALE, now: () => NOW, settings: { refresh: 'inline' } });
  for (const [n, c] of commands.entries()) await ledger.apply(c, origin(`e${n}`));
  return { doc, tableName, ledger, credit, deps: credit.deps };
}

const customer = (id: string, creditLimit?: string): LedgerCommand => ({
  type: 'customer.upsert',
  customerId: id,
  legalName: `ООО ${id}`,
  emails: [],
  locale: 'ru',
  segment: 'wholesale',
  ...(creditLimit ? { creditLimit: rub(creditLimit) } : {}),
});
const invoice = (c: string, id: string, due: string, amount: string): LedgerCommand => ({
  type: 'invoice.issued',
  customerId: c,
  invoiceId: id,
  number: `СЧ-${id}`,
  issueDate: '2026-10-01' as CalendarDate,
  dueDate: due as CalendarDate,
  amount: rub(amount),
});
const req = (customerId: string, orderId: string, amount: string) => ({ customerId, orderId, amount: rub(amount), idempotencyKey: `k-${orderId}` });

describe('credit snapshot and reservations on DynamoDB', () => {
  it('a ledger write refreshes the snapshot; a check reads it; an unknown customer is 404', async () => {
    // Prepare
    const { deps } = await setup([customer('c1', '500000.00'), invoice('c1', 'i1', '2026-11-10', '120000.00')]);
    // Act
    const d = await checkCredit(deps, req('c1', 'o1', '1000.00'));
    // Assess
    expect(d).toMatchObject({ decision: 'HOLD', reasons: [{ code: 'OVERDUE', documents: ['СЧ-i1'], value: '120000.00' }] });
    await expect(checkCredit(deps, req('nobody', 'o1', '1.00'))).rejects.toMatchObject({ status: 404, message: expect.stringContaining('unknown customer "nobody"') });
  });

  it('20 parallel reservations against a limit that fits 5: exactly 5 pass', async () => {
    // Prepare
    const { deps, credit } = await setup([customer('race', '500000.00')]);
    await refreshCustomer(deps, 'race');
    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => reserveCredit(deps, req('race', `o-${n}`, '100000.00'))));
    // Assess
    const passed = answers.filter((a) => a.reservation);
    expect(passed).toHaveLength(5);
    expect(answers.filter((a) => a.decision === 'HOLD').every((a) => a.reasons.some((r) => r.code === 'OVER_LIMIT'))).toBe(true);
    const snap = await credit.store.snapshot('race', { consistent: true });
    expect(Object.keys(snap!.reservations)).toHaveLength(5);
    expect(Number(snap!.headroom)).toBe(0);
  });

  it('the same reservation again (same key) answers the same; an invoice with the orderId consumes it', async () => {
    // Prepare
    const { deps, ledger, credit } = await setup([customer('c2', '500000.00')]);
    const first = await reserveCredit(deps, req('c2', 'o-1', '200000.00'));
    // Act
    const again = await reserveCredit(deps, req('c2', 'o-1', '200000.00'));
    await ledger.apply({ ...(invoice('c2', 'i-9', '2026-12-20', '200000.00') as object), orderId: 'o-1' } as LedgerCommand, origin('inv'));
    // Assess
    expect(again.reservation).toEqual(first.reservation);
    const snap = await credit.store.snapshot('c2', { consistent: true });
    expect(snap!.reservations).toEqual({});
    expect(Number(snap!.headroom)).toBe(300000);
  });

  it('overrides: a clerk is refused (403, audited); head_of_sales grants; the check names the override', async () => {
    // Prepare
    const { deps } = await setup([customer('c3', '500000.00'), invoice('c3', 'i1', '2026-11-10', '120000.00')]);
    const grant = { customerId: 'c3', scope: 'customer' as const, maxAmount: rub('100000.00'), hours: 48, reason: 'paid by letter of credit' };
    // Act
    const refused = await grantOverride(deps, { by: 'clerk-anna', roles: ['clerk'] }, grant).catch((e: unknown) => e);
    const o = await grantOverride(deps, { by: 'head-ivan', roles: ['head_of_sales'] }, grant);
    const d = await checkCredit(deps, req('c3', 'o1', '50000.00'));
    // Assess
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as ForbiddenError).toBody().error).toMatchObject({
      code: 'FORBIDDEN',
      action: 'credit.override.grant',
      requiredRoles: ['head_of_sales'],
      roles: ['head_of_sales'],
    });
    expect(d).toMatchObject({ decision: 'ALLOW', override: { overrideId: o.overrideId, grantedBy: 'head-ivan' } });
    expect(await listOverrides(deps, { customerId: 'c3' })).toEqual([
      expect.objectContaining({ overrideId: o.overrideId, status: 'active', atGrant: { overdue: '120000.00', maxDaysOverdue: 14 } }),
    ]);
    await expect(grantOverride(deps, { by: 'head-ivan', roles: ['head_of_sales'] }, { ...grant, hours: 73 })).rejects.toMatchObject({ status: 400 });
  });

  it('terms set by finance make a customer flexible: ALLOW_WITH_PREPAYMENT', async () => {
    // Prepare
    const { deps } = await setup([customer('c4', '500000.00'), invoice('c4', 'i1', '2026-11-10', '120000.00')]);
    // Act
    await setTerms(deps, { by: 'fin', roles: ['finance'] }, 'c4', { terms: { mode: 'flexible' }, reason: 'key account' });
    const d = await checkCredit(deps, req('c4', 'o1', '50000.00'));
    // Assess
    expect(d).toMatchObject({ decision: 'ALLOW_WITH_PREPAYMENT', prepayment: rub('50000.00'), mode: 'flexible' });
  });

  it('two customers of one group: 20 parallel reservations (10 each) against a group limit that fits 5 — exactly 5 pass', async () => {
    // Prepare: each customer's own limit fits all its orders; only the group's limit binds.
    const { deps, credit } = await setup([customer('g-a', '5000000.00'), customer('g-b', '5000000.00')]);
    const fin = { by: 'fin', roles: ['finance'] };
    for (const id of ['g-a', 'g-b']) await setTerms(deps, fin, id, { groupId: 'holding-1', groupLimit: rub('500000.00'), reason: 'one holding' });
    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => reserveCredit(deps, req(n % 2 ? 'g-b' : 'g-a', `go-${n}`, '100000.00'))));
    // Assess
    const passed = answers.filter((a) => a.reservation);
    expect(passed).toHaveLength(5);
    const held = answers.filter((a) => !a.reservation);
    expect(held.every((a) => a.decision === 'HOLD' && a.reasons.some((r) => r.code === 'OVER_LIMIT' && r.scope === 'group'))).toBe(true);
    const [a, b] = [await credit.store.snapshot('g-a', { consistent: true }), await credit.store.snapshot('g-b', { consistent: true })];
    expect(Object.keys(a!.reservations).length + Object.keys(b!.reservations).length).toBe(5);
    expect(await credit.store.groupExposure('holding-1', { consistent: true })).toEqual({ RUB: '500000.00' });
    expect(Number(a!.groupShare!.byCurrency.RUB ?? 0) + Number(b!.groupShare!.byCurrency.RUB ?? 0)).toBe(500000);
  });

  it('two orders on one contract: 20 parallel reservations against a contract limit that fits 5 — exactly 5 pass', async () => {
    // Prepare
    const { deps, credit } = await setup([customer('k-1', '5000000.00')]);
    await setTerms(deps, { by: 'fin', roles: ['finance'] }, 'k-1', { contracts: { 'K-7': { limit: rub('500000.00') } }, reason: 'contract cap' });
    // Act
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => reserveCredit(deps, { ...req('k-1', `ko-${n}`, '100000.00'), contractId: 'K-7' })));
    // Assess
    expect(answers.filter((a) => a.reservation)).toHaveLength(5);
    expect(answers.filter((a) => !a.reservation).every((a) => a.reasons.some((r) => r.code === 'OVER_LIMIT' && r.scope === 'contract'))).toBe(true);
    const snap = await credit.store.snapshot('k-1', { consistent: true });
    expect(snap!.contractHeadroom).toEqual({ 'K-7': '0.00' });
    expect(Number(snap!.headroom)).toBe(4500000);
  });

  it("the group's running exposure follows its members' ledgers: invoicing a reservation, a payment, leaving the group", async () => {
    // Prepare
    const { deps, ledger, credit } = await setup([customer('h-a', '5000000.00'), customer('h-b', '5000000.00'), invoice('h-b', 'ib1', '2026-12-20', '70000.00')]);
    const fin = { by: 'fin', roles: ['finance'] };
    for (const id of ['h-a', 'h-b']) await setTerms(deps, fin, id, { groupId: 'holding-2', groupLimit: rub('300000.00'), reason: 'one holding' });
    const used = async () => (await credit.store.groupExposure('holding-2', { consistent: true })).RUB ?? '0';
    const before = await used();
    // Act
    await reserveCredit(deps, req('h-a', 'ho-1', '200000.00'));
    const afterReserve = await used();
    const over = await checkCredit(deps, req('h-a', 'ho-2', '40000.00'));
    await ledger.apply({ ...(invoice('h-a', 'ia1', '2026-12-20', '200000.00') as object), orderId: 'ho-1' } as LedgerCommand, origin('inv-ho-1'));
    const afterInvoice = await used();
    await ledger.apply(
      {
        type: 'payment.received',
        customerId: 'h-b',
        paymentId: 'p-1',
        date: '2026-11-24' as CalendarDate,
        amount: rub('70000.00'),
        invoiceIds: ['ib1'],
        channel: 'bank',
      } as LedgerCommand,
      origin('pay-1'),
    );
    const afterPayment = await used();
    await setTerms(deps, fin, 'h-a', { groupId: null, groupLimit: null, reason: 'sold' });
    const afterLeaving = await used();
    // Assess
    expect([before, afterReserve, afterInvoice, afterPayment, afterLeaving]).toEqual(['70000.00', '270000.00', '270000.00', '200000.00', '0.00']);
    expect(over).toMatchObject({ decision: 'HOLD', reasons: [expect.objectContaining({ code: 'OVER_LIMIT', scope: 'group', value: '310000.00', threshold: '300000.00' })] });
  });

  it('the overrides report lists the overrides whose customers went further overdue after the grant, and only those', async () => {
    // Prepare: two held customers, each with an override; then one of them gets another invoice past its hold date.
    const { deps, ledger } = await setup([
      customer('r-1', '500000.00'),
      invoice('r-1', 'i1', '2026-11-10', '120000.00'),
      customer('r-2', '500000.00'),
      invoice('r-2', 'j1', '2026-11-10', '50000.00'),
    ]);
    const head = { by: 'head-ivan', roles: ['head_of_sales'] };
    const grant = (customerId: string) => grantOverride(deps, head, { customerId, scope: 'customer', maxAmount: rub('10000.00'), hours: 48, reason: 'paid by letter of credit' });
    const o1 = await grant('r-1');
    await grant('r-2');
    // Act
    await ledger.apply(invoice('r-1', 'i2', '2026-11-12', '30000.00'), origin('r-1-i2'));
    const report = await overridesReport(deps);
    // Assess
    expect(report).toEqual([
      expect.objectContaining({
        overrideId: o1.overrideId,
        customerId: 'r-1',
        atGrant: { overdue: '120000.00', maxDaysOverdue: 14 },
        now: { overdue: '150000.00', maxDaysOverdue: 14 },
        furtherOverdue: true,
      }),
    ]);
  });

  it('a sweep stops while time is left and the next one starts with the snapshots computed longest ago', async () => {
    // Prepare: three customers' snapshots written at 09:00; the sweeps run at 10:00 and 11:00
    const { doc, tableName } = await freshTable('credit-sweep');
    let clock = NOW;
    const ledger = new DynamoLedger({ doc, tableName, now: () => clock });
    const credit = composeCredit({ doc, tableName, ledger, timeZone: 'Europe/Moscow', dunningPolicy: WHOLESALE, now: () => clock, settings: { refresh: 'inline' } });
    for (const [n, c] of [customer('s1', '500000.00'), customer('s2', '500000.00'), customer('s3', '500000.00')].entries()) await ledger.apply(c, origin(`s${n}`));
    /** Time left: enough for `n` refreshes, then below the reserve. */
    const budget = (n: number) => {
      let calls = 0;
      return () => (calls++ < n ? SWEEP_RESERVE_MS + 1 : SWEEP_RESERVE_MS - 1);
    };
    // Act
    clock = new Date('2026-11-24T10:00:00.000Z');
    const first = await sweep(credit.deps, { timeLeftMs: budget(2) });
    clock = new Date('2026-11-24T11:00:00.000Z');
    const second = await sweep(credit.deps, { timeLeftMs: budget(1) });
    const stamps = Object.fromEntries((await credit.deps.store.allSnapshots()).map((x) => [x.customerId, x.updatedAt]));
    const all = await sweep(credit.deps);
    // Assess
    expect(first).toMatchObject({ customers: 3, refreshed: 2, left: 1 });
    expect(second).toMatchObject({ customers: 3, refreshed: 1, left: 2 });
    expect(all).toMatchObject({ customers: 3, refreshed: 3, left: 0 });
    // s1 and s2 at 10:00; at 11:00 s3, the one still from 09:00, goes first.
    expect(stamps).toEqual({ s1: '2026-11-24T10:00:00.000Z', s2: '2026-11-24T10:00:00.000Z', s3: '2026-11-24T11:00:00.000Z' });
  });
});
