/**
 * The ledger applies money that names no invoice earliest-due first, and invoices due the same day
 * share it pro rata (ГК РФ ст. 319.1 п. 3, ст. 522 п. 3) — the calculator's rule (unnamed.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { customer, invoice, payment, voidInvoice } from './builders.js';

const active = (s: ReturnType<typeof foldLedger>, invoiceId: string) =>
  s.allocations
    .filter((a) => a.targetId === invoiceId && !a.undoneBy)
    .reduce((x, a) => x.plus(a.amount.amount), new Decimal(0))
    .toFixed(2);

describe('ledger: same-day invoices share an unnamed payment pro rata', () => {
  it('1000.00 and 3000.00 due 2025-01-10, 1000.00 unnamed on 2025-01-11 → 250.00 and 750.00', () => {
    // Prepare: 1000 × 1000/4000 = 250.00; 1000 × 3000/4000 = 750.00 (hand-checked).
    const entries = [customer(), invoice('A', '1000.00', '2025-01-01', '2025-01-10'), invoice('B', '3000.00', '2025-01-02', '2025-01-10'), payment('P', '1000.00', '2025-01-11')];

    // Act
    const s = foldLedger(entries);

    // Assess
    expect(active(s, 'A')).toBe('250.00');
    expect(active(s, 'B')).toBe('750.00');
    expect(s.invoices.map((i) => i.outstanding.amount)).toEqual(['750.00', '2250.00']);
  });

  it('the earlier due date is still paid first; only the same-day group is shared', () => {
    // Prepare: 500.00 due 2025-01-05, then 1000.00 and 3000.00 due 2025-01-10; 1500.00 unnamed:
    // 500.00 to the first, the rest 1000.00 split 250.00 / 750.00.
    const entries = [
      customer(),
      invoice('E', '500.00', '2025-01-01', '2025-01-05'),
      invoice('A', '1000.00', '2025-01-01', '2025-01-10'),
      invoice('B', '3000.00', '2025-01-01', '2025-01-10'),
      payment('P', '1500.00', '2025-01-11'),
    ];

    // Act
    const s = foldLedger(entries);

    // Assess
    expect([active(s, 'E'), active(s, 'A'), active(s, 'B')]).toEqual(['500.00', '250.00', '750.00']);
  });

  it('money a void releases is shared by the invoices due the same day', () => {
    // Prepare: E (due 2025-01-05) paid 600.00 by name, then voided: the 600.00 becomes credit and goes to
    // A 1000.00 and B 2000.00 (both due 2025-01-10) as 200.00 and 400.00.
    const entries = [
      customer(),
      invoice('E', '600.00', '2025-01-01', '2025-01-05'),
      invoice('A', '1000.00', '2025-01-01', '2025-01-10'),
      invoice('B', '2000.00', '2025-01-01', '2025-01-10'),
      payment('P', '600.00', '2025-01-03', { invoiceIds: ['E'] }),
      voidInvoice('E', '2025-01-20'),
    ];

    // Act
    const s = foldLedger(entries);

    // Assess
    expect([active(s, 'A'), active(s, 'B')]).toEqual(['200.00', '400.00']);
  });

  it('property: with same-day invoices, what each receives depends on the amounts, not on ids, issue dates or order', () => {
    const cents = fc.integer({ min: 1, max: 1_000_000 });
    const fmt = (c: number) => (c / 100).toFixed(2);
    fc.assert(
      fc.property(
        fc.array(fc.record({ c: cents, issue: fc.integer({ min: 1, max: 9 }) }), { minLength: 2, maxLength: 6 }),
        cents,
        fc.integer({ min: 0, max: 1_000_000 }),
        (invs, pay, seed) => {
          // Prepare: the same invoices under two labelings (ids and issue dates permuted), all due 2025-01-10.
          const n = invs.length;
          const perm = invs.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101) || a - b);
          const build = (label: (i: number) => number) => [
            customer(),
            ...invs.map((x, i) => invoice(`I${label(i)}`, fmt(x.c), `2025-01-0${(label(i) % 9) + 1}`, '2025-01-10')),
            payment('P', fmt(pay), '2025-01-11'),
          ];
          const s1 = foldLedger(build((i) => i));
          const s2 = foldLedger(build((i) => perm[i]!));
          // Act
          const got1 = invs.map((_, i) => active(s1, `I${i}`));
          const got2 = invs.map((_, i) => active(s2, `I${perm[i]}`));
          // Assess: the same multiset per amount; each share within a kopeck of pay × amount / total.
          const key = (g: string[]) => g.map((a, i) => `${invs[i]!.c}:${a}`).sort();
          expect(key(got2)).toEqual(key(got1));
          const total = invs.reduce((s, x) => s + x.c, 0);
          const paid = Math.min(pay, total);
          got1.forEach((a, i) => {
            const exact = new Decimal(paid).times(invs[i]!.c).div(total).div(100);
            expect(new Decimal(a).minus(exact).abs().lte('0.01')).toBe(true);
          });
          expect(got1.reduce((s, a) => s.plus(a), new Decimal(0)).toFixed(2)).toBe(fmt(paid));
          expect(n).toBeGreaterThan(1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
