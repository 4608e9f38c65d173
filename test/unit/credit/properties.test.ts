import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import {
  decideCredit,
  decisionRank,
  exposureOf,
  groupExposure,
  NO_CONTRACT,
  type CreditFacts,
  type CreditInvoice,
  type Reservation,
} from '../../../functions/domain/credit/index.js';
import { addDays } from '../../../functions/domain/dates.js';
import { ctx, NOW, rub, TERMS, TODAY } from './support.js';

const cents = fc.integer({ min: 1, max: 50_000_000 }).map((c) => new Decimal(c).div(100).toFixed(2));
const contract = fc.constantFrom(undefined, 'k-1', 'k-2');
const invoiceArb = fc.record({ id: fc.uuid(), age: fc.integer({ min: -30, max: 60 }), amount: cents, contractId: contract });
const reservationArb = fc.record({ id: fc.uuid(), amount: cents, contractId: contract, active: fc.boolean() });

type Inv = { id: string; age: number; amount: string; contractId: string | undefined };
type Res = { id: string; amount: string; contractId: string | undefined; active: boolean };
function build(customerId: string, invs: Inv[], res: Res[], credit: string | null): CreditFacts {
  const invoices: CreditInvoice[] = invs.map((i) => ({
    invoiceId: i.id,
    number: i.id.slice(0, 8),
    dueDate: addDays(TODAY, -i.age),
    outstanding: rub(i.amount),
    ...(i.contractId ? { contractId: i.contractId } : {}),
  }));
  const reservations: Reservation[] = res.map((r) => ({
    orderId: r.id,
    amount: rub(r.amount),
    createdAt: NOW,
    expiresAt: r.active ? '2026-11-25T00:00:00.000Z' : '2026-11-24T00:00:00.000Z',
    ...(r.contractId ? { contractId: r.contractId } : {}),
  }));
  return { customerId, invoices, reservations, unappliedCredit: credit ? [rub(credit)] : [] };
}
const factsArb = fc.tuple(fc.array(invoiceArb, { maxLength: 8 }), fc.array(reservationArb, { maxLength: 5 }), fc.option(cents));

describe('exposure invariants', () => {
  it('a customer’s invoices and reservations are the sums over its contracts; total = invoices + reservations − credit', () => {
    fc.assert(
      fc.property(factsArb, ([invs, res, credit]) => {
        // Prepare
        const f = build('c', invs, res, credit);
        // Act
        const e = exposureOf(f, NOW);
        // Assess
        const line = e.byCurrency.RUB;
        if (!line) return invs.length === 0 && res.filter((r) => r.active).length === 0 && !credit;
        const sumOver = (k: 'invoices' | 'reservations') => Object.values(e.byContract).reduce((s, c) => s.plus(c.RUB?.[k] ?? 0), new Decimal(0));
        expect(sumOver('invoices').toFixed(2)).toBe(line.invoices);
        expect(sumOver('reservations').toFixed(2)).toBe(line.reservations);
        expect(new Decimal(line.invoices).plus(line.reservations).minus(line.unappliedCredit).toFixed(2)).toBe(line.total);
        expect(Object.keys(e.byContract).every((k) => k === NO_CONTRACT || k.startsWith('k-'))).toBe(true);
      }),
    );
  });

  it('a group’s exposure is the sum of its customers’, in any order', () => {
    fc.assert(
      fc.property(fc.array(factsArb, { minLength: 1, maxLength: 4 }), (members) => {
        // Prepare
        const es = members.map(([i, r, c], n) => exposureOf(build(`c${n}`, i, r, c), NOW).byCurrency);
        // Act
        const g = groupExposure(es);
        const reversed = groupExposure([...es].reverse());
        // Assess
        const total = es.reduce((s, e) => s.plus(e.RUB?.total ?? 0), new Decimal(0));
        expect(new Decimal(g.RUB?.total ?? 0).toFixed(2)).toBe(total.toFixed(2));
        expect(reversed).toEqual(g);
      }),
    );
  });
});

describe('decision monotonicity', () => {
  const mode = fc.constantFrom('hard' as const, 'flexible' as const);
  it('more overdue debt never gives a better answer (rank, then prepayment)', () => {
    fc.assert(
      fc.property(factsArb, fc.integer({ min: -30, max: 60 }), fc.tuple(cents, cents, cents), mode, ([invs, res, credit], age, [a, extra, orderAmount], mode) => {
        // Prepare
        const f = build('c', invs, res, credit);
        const more = { ...f, invoices: [...f.invoices, { invoiceId: 'x', number: 'X', dueDate: addDays(TODAY, -age), outstanding: rub(a) }] };
        const most = { ...f, invoices: [...f.invoices, { invoiceId: 'x', number: 'X', dueDate: addDays(TODAY, -age), outstanding: rub(new Decimal(a).plus(extra).toFixed(2)) }] };
        const order = { orderId: 'o', amount: rub(orderAmount) };
        const c = ctx({ terms: { ...TERMS, mode } });
        // Act
        const ds = [f, more, most].map((x) => decideCredit(x, order, c));
        // Assess
        for (let i = 1; i < ds.length; i++) {
          const [p, q] = [ds[i - 1]!, ds[i]!];
          expect(decisionRank(q.decision)).toBeGreaterThanOrEqual(decisionRank(p.decision));
          if (p.decision === 'ALLOW_WITH_PREPAYMENT' && q.decision === 'ALLOW_WITH_PREPAYMENT') {
            expect(new Decimal(q.prepayment!.amount).gte(p.prepayment!.amount)).toBe(true);
          }
        }
      }),
    );
  });

  it('a later day never gives a better answer when nothing else changes', () => {
    fc.assert(
      fc.property(factsArb, fc.integer({ min: 0, max: 30 }), cents, ([invs, res, credit], days, orderAmount) => {
        // Prepare
        const f = build(
          'c',
          invs,
          res.map((r) => ({ ...r, active: false })),
          credit,
        );
        const order = { orderId: 'o', amount: rub(orderAmount) };
        // Act
        const d1 = decideCredit(f, order, ctx());
        const d2 = decideCredit(f, order, ctx({ today: addDays(TODAY, days) }));
        // Assess
        expect(decisionRank(d2.decision)).toBeGreaterThanOrEqual(decisionRank(d1.decision));
      }),
    );
  });
});
