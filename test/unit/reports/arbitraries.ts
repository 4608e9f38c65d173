/** Random ledgers for report property tests (the ledger's own event mix: invoices, payments, credit notes, voids, reversals, refunds, write-offs). */
import fc from 'fast-check';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import type { LedgerCommand } from '../../../functions/domain/ledger/commands.js';
import type { CustomerBook } from '../../../functions/domain/reports/index.js';
import { cmd, customer } from '../ledger/builders.js';

export const START = '2025-01-01' as CalendarDate;
export const day = fc.integer({ min: 0, max: 179 }).map((n) => addDays(START, n));
const amount = fc.integer({ min: 1, max: 300_000 }).map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
const cur = fc.constantFrom('RUB', 'RUB', 'RUB', 'USD');
const invId = fc.constantFrom('I0', 'I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7');
const payId = fc.constantFrom('P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9');
const m = (a: string, c: string) => ({ amount: a, currency: c });

export const event: fc.Arbitrary<LedgerCommand> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ id: invId, a: amount, d: day, due: fc.integer({ min: 0, max: 150 }), c: cur, k: fc.constantFrom(undefined, 'K1') }).map((x) =>
      cmd({
        type: 'invoice.issued',
        customerId: 'C1',
        invoiceId: x.id,
        number: `N${x.id}`,
        issueDate: x.d,
        dueDate: addDays(x.d, x.due),
        amount: m(x.a, x.c),
        ...(x.k ? { contractId: x.k } : {}),
      }),
    ),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({ id: payId, a: amount, d: day, c: cur, named: fc.uniqueArray(invId, { maxLength: 3 }) })
      .map((x) => cmd({ type: 'payment.received', customerId: 'C1', paymentId: x.id, date: x.d, amount: m(x.a, x.c), ...(x.named.length ? { invoiceIds: x.named } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.constantFrom('CN0', 'CN1'), a: amount, d: day, c: cur, inv: fc.option(invId) })
      .map((x) => cmd({ type: 'creditNote.issued', customerId: 'C1', creditNoteId: x.id, date: x.d, amount: m(x.a, x.c), ...(x.inv ? { invoiceId: x.inv } : {}) })),
  },
  { weight: 1, arbitrary: fc.record({ inv: invId, d: day }).map((x) => cmd({ type: 'invoice.voided', customerId: 'C1', invoiceId: x.inv, date: x.d })) },
  { weight: 1, arbitrary: fc.record({ p: payId, d: day }).map((x) => cmd({ type: 'payment.reversed', customerId: 'C1', paymentId: x.p, date: x.d })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.constantFrom('R0', 'R1'), a: amount, d: day, c: cur, p: fc.option(payId) })
      .map((x) => cmd({ type: 'refund.issued', customerId: 'C1', refundId: x.id, date: x.d, amount: m(x.a, x.c), ...(x.p ? { paymentId: x.p } : {}) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ id: fc.constantFrom('W0', 'W1'), inv: invId, a: amount, d: day, c: cur })
      .map((x) => cmd({ type: 'writeOff.recorded', customerId: 'C1', writeOffId: x.id, invoiceId: x.inv, date: x.d, amount: m(x.a, x.c), reason: 'x' })),
  },
);

export const contractK1 = cmd({ type: 'contract.upsert', customerId: 'C1', contractId: 'K1', number: 'Д-1', date: '2024-01-10', currency: 'RUB' });
export const history = fc.array(event, { minLength: 1, maxLength: 40 }).map((es) => [customer('C1', { manager: 'Анна' }), contractK1, ...es]);

export const bookOf = (entries: LedgerCommand[], extra: Partial<CustomerBook> = {}): CustomerBook => ({
  customerId: 'C1',
  entries,
  stages: [],
  promises: [],
  letters: [],
  cases: [],
  ...extra,
});
