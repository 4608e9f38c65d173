/**
 * Invariants of the ledger fold over random event sequences with duplicates and reorderings.
 * Voids count as negative invoices and reversals as negative payments (see fold.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { foldLedger, foldWithNext, type LedgerState } from '../../../functions/domain/ledger/fold.js';
import { entryKey, type LedgerCommand } from '../../../functions/domain/ledger/commands.js';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import { cmd, customer } from './builders.js';

const START = '2025-01-01' as CalendarDate;
const day = fc.integer({ min: 0, max: 89 }).map((n) => addDays(START, n));
const amount = fc.integer({ min: 1, max: 300_000 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
const cur = fc.constantFrom('RUB', 'RUB', 'RUB', 'USD');
const invId = fc.constantFrom('I0', 'I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7');
const payId = fc.constantFrom('P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9');
const m = (a: string, c: string) => ({ amount: a, currency: c });

const event: fc.Arbitrary<LedgerCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ id: invId, a: amount, d: day, due: fc.integer({ min: 0, max: 30 }), c: cur })
      .map((x) => cmd({ type: 'invoice.issued', customerId: 'C1', invoiceId: x.id, number: `N${x.id}`, issueDate: x.d, dueDate: addDays(x.d, x.due), amount: m(x.a, x.c) })),
  },
  {
    weight: 4,
    arbitrary: fc.record({ id: payId, a: amount, d: day, c: cur, named: fc.uniqueArray(invId, { maxLength: 3 }), split: fc.option(fc.tuple(invId, amount)) }).map((x) =>
      cmd({
        type: 'payment.received',
        customerId: 'C1',
        paymentId: x.id,
        date: x.d,
        amount: m(x.a, x.c),
        ...(x.named.length ? { invoiceIds: x.named } : {}),
        ...(x.split ? { allocations: [{ invoiceId: x.split[0], amount: m(x.split[1], x.c) }] } : {}),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.constantFrom('CN0', 'CN1', 'CN2'), a: amount, d: day, c: cur, inv: fc.option(invId) })
      .map((x) => cmd({ type: 'creditNote.issued', customerId: 'C1', creditNoteId: x.id, date: x.d, amount: m(x.a, x.c), ...(x.inv ? { invoiceId: x.inv } : {}) })),
  },
  { weight: 1, arbitrary: fc.record({ inv: invId, d: day }).map((x) => cmd({ type: 'invoice.voided', customerId: 'C1', invoiceId: x.inv, date: x.d })) },
  { weight: 1, arbitrary: fc.record({ p: payId, d: day }).map((x) => cmd({ type: 'payment.reversed', customerId: 'C1', paymentId: x.p, date: x.d })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.constantFrom('R0', 'R1', 'R2'), a: amount, d: day, c: cur, p: fc.option(payId) })
      .map((x) => cmd({ type: 'refund.issued', customerId: 'C1', refundId: x.id, date: x.d, amount: m(x.a, x.c), ...(x.p ? { paymentId: x.p } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.constantFrom('W0', 'W1'), inv: invId, a: amount, d: day, c: cur })
      .map((x) => cmd({ type: 'writeOff.recorded', customerId: 'C1', writeOffId: x.id, invoiceId: x.inv, date: x.d, amount: m(x.a, x.c), reason: 'x' })),
  },
);

const history = fc.array(event, { minLength: 1, maxLength: 40 }).map((es) => [customer(), ...es]);

/** The same entries, some delivered twice, in a random order. */
const redelivered = (es: LedgerCommand[]) =>
  fc
    .tuple(fc.array(fc.nat({ max: es.length - 1 }), { maxLength: 10 }), fc.array(fc.double({ noNaN: true }), { minLength: es.length + 10, maxLength: es.length + 10 }))
    .map(([dups, keys]) => {
      const all = [...es, ...dups.map((i) => es[i])];
      return all
        .map((e, i) => ({ e, k: keys[i] }))
        .sort((a, b) => a.k - b.k)
        .map((x) => x.e);
    });

const D = (s: string | undefined) => new Decimal(s ?? '0');
const CURS = ['RUB', 'USD'] as const;

function checkIdentity(s: LedgerState): void {
  for (const c of CURS) {
    const t = s.totals[c];
    if (!t) continue;
    const derived = D(t.invoices).minus(t.voids).minus(t.creditNotes).minus(t.payments).plus(t.reversals).plus(t.refunds).minus(t.writeOffs);
    const fromDocs = s.documents.filter((d) => d.currency === c).reduce((x, d) => x.plus(d.debit).minus(d.credit), new Decimal(0));
    const fromItems = D(s.receivable[c]).minus(D(s.unappliedCredit[c]));
    expect(D(s.balances[c]).toFixed(2), `${c} totals`).toBe(derived.toFixed(2));
    expect(fromDocs.toFixed(2), `${c} documents`).toBe(derived.toFixed(2));
    expect(fromItems.toFixed(2), `${c} outstanding − credit`).toBe(derived.toFixed(2));
  }
}

describe('ledger fold invariants (fast-check)', () => {
  it('the same set of events in any order, with duplicates, converges to the same balances and allocations', () => {
    fc.assert(
      fc.property(
        history.chain((es) => fc.tuple(fc.constant(es), redelivered(es))),
        ([es, shuffled]) => {
          // Prepare
          const expected = foldLedger(es);
          // Act
          const actual = foldLedger(shuffled);
          // Assess
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('balance = invoices − voids − credit notes − payments + reversals + refunds − write-offs = outstanding − unapplied credit', () => {
    fc.assert(
      fc.property(history, (es) => {
        // Act
        const s = foldLedger(es);
        // Assess
        checkIdentity(s);
      }),
      { numRuns: 300 },
    );
  });

  it('for any period: opening + movements of the period = closing, and cut-off folds agree with the full fold', () => {
    fc.assert(
      fc.property(history, day, fc.integer({ min: 0, max: 60 }), (es, from, len) => {
        // Prepare
        const to = addDays(from, len);
        const full = foldLedger(es);
        // Act
        const opening = foldLedger(es, { through: addDays(from, -1) });
        const closing = foldLedger(es, { through: to });
        // Assess
        checkIdentity(opening);
        checkIdentity(closing);
        expect(closing.documents).toEqual(full.documents.filter((d) => d.date <= to));
        for (const c of CURS) {
          const mv = { invoice: 0, void: 0, 'credit-note': 0, payment: 0, reversal: 0, refund: 0, 'write-off': 0 } as Record<string, Decimal | number>;
          for (const d of full.documents) {
            if (d.currency !== c || d.date < from || d.date > to) continue;
            mv[d.kind] = new Decimal(mv[d.kind]).plus(d.debit).plus(d.credit);
          }
          const n = (k: string) => new Decimal(mv[k]);
          const expectedClosing = D(opening.balances[c])
            .plus(n('invoice'))
            .minus(n('void'))
            .minus(n('credit-note'))
            .minus(n('payment'))
            .plus(n('reversal'))
            .plus(n('refund'))
            .minus(n('write-off'));
          expect(D(closing.balances[c]).toFixed(2)).toBe(expectedClosing.toFixed(2));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('no allocation exceeds the open amount of its invoice or the amount of its payment; payments are conserved', () => {
    fc.assert(
      fc.property(history, (es) => {
        // Act
        const s = foldLedger(es);
        // Assess
        for (const i of s.invoices) {
          const allocated = s.allocations
            .filter((a) => !a.undoneBy && a.targetKind === 'invoice' && a.targetId === i.invoiceId)
            .reduce((x, a) => x.plus(a.amount.amount), new Decimal(0));
          expect(allocated.lte(i.amount.amount)).toBe(true);
          expect(D(i.outstanding.amount).gte(0)).toBe(true);
          if (i.status !== 'void') expect(D(i.amount.amount).minus(allocated).toFixed(2)).toBe(i.outstanding.amount);
          else expect(i.outstanding.amount).toBe('0.00');
        }
        for (const p of s.payments) {
          const fromP = s.allocations.filter((a) => !a.undoneBy && a.source === `payment:${p.paymentId}`).reduce((x, a) => x.plus(a.amount.amount), new Decimal(0));
          expect(fromP.toFixed(2)).toBe(p.allocated.amount);
          expect(fromP.lte(p.amount.amount)).toBe(true);
          if (p.reversed) expect([p.allocated.amount, p.unapplied.amount]).toEqual(['0.00', '0.00']);
          else expect(D(p.allocated.amount).plus(p.unapplied.amount).plus(p.refunded.amount).toFixed(2)).toBe(p.amount.amount);
        }
        for (const a of s.allocations) expect(D(a.amount.amount).gt(0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('general credit never sits beside open invoices of the same currency', () => {
    fc.assert(
      fc.property(history, (es) => {
        // Act
        const s = foldLedger(es);
        // Assess
        for (const c of CURS) {
          const general = s.credits.filter((l) => l.remaining.currency === c && l.reservedFor.length === 0);
          const open = s.invoices.filter((i) => i.amount.currency === c && i.status === 'open');
          expect(general.length > 0 && open.length > 0).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('adding one entry incrementally gives the same states as folding from scratch (new entry replaces one with its key)', () => {
    fc.assert(
      fc.property(history, event, (es, next) => {
        // Prepare
        const rest = es.filter((e) => entryKey(e) !== entryKey(next));
        // Act
        const { before, after } = foldWithNext(es, next);
        // Assess
        expect(before).toEqual(foldLedger(es));
        expect(after).toEqual(foldLedger([...rest, next]));
      }),
      { numRuns: 300 },
    );
  });
});
