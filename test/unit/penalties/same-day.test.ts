/**
 * Same-day debts share a payment that names neither of them pro rata (ГК РФ ст. 319.1 п. 3,
 * ст. 522 п. 3): the calculator's result does not depend on the order the charges are listed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calculatePenalty, defaultRules } from '../../../functions/domain/penalties/index.js';

const rules = defaultRules();

describe('penalty calculator: same-day charges and an unnamed payment', () => {
  it('1 %/day, cap 10 %: 1000.00 and 3000.00 due 2025-01-10, 1000.00 paid 2025-01-11 → 400.00 in either order', () => {
    // Prepare. Hand check: the payment is split 1000 × 1000/4000 = 250.00 and 1000 × 3000/4000 = 750.00.
    // Charge 1000.00: 2025-01-11 on 1000.00 = 10.00; from 2025-01-12 on 750.00 at 7.50/day the cap
    // 10 % × 1000.00 = 100.00 is reached on day 13 → 100.00. Charge 3000.00: 30.00 on day one, then
    // 22.50/day on 2250.00 → cap 300.00. Total 400.00. (Paying the 1000.00 charge first would give
    // 10.00 + 300.00 = 310.00; paying the 3000.00 first 400.00: the order must not matter.)
    const base = { rule: 'contractual', ratePctPerDay: '1', capPct: '10', calculateTo: '2025-12-31', payments: [{ date: '2025-01-11', amount: '1000.00' }] };
    const a = { amount: '1000.00', lastDayToPay: '2025-01-10' };
    const b = { amount: '3000.00', lastDayToPay: '2025-01-10' };

    // Act
    const ab = calculatePenalty({ ...base, charges: [a, b] }, rules);
    const ba = calculatePenalty({ ...base, charges: [b, a] }, rules);

    // Assess
    expect(ab.total).toBe('400.00');
    expect(ba.total).toBe('400.00');
    const firstRow = (r: typeof ab, charge: number) => r.periods.find((p) => p.charge === charge)!;
    expect(firstRow(ab, 0)).toMatchObject({ from: '2025-01-11', to: '2025-01-11', base: '1000.00', amount: '10.00' });
    expect(ab.periods.find((p) => p.charge === 0 && p.from === '2025-01-12')).toMatchObject({ base: '750.00' });
    expect(ab.periods.find((p) => p.charge === 1 && p.from === '2025-01-12')).toMatchObject({ base: '2250.00' });
  });

  it('uneven split: 100.00 over 1.00, 1.00 and 1.00 due the same day rounds by the largest remainder and adds up', () => {
    // Prepare: 2.00 paid over three charges of 1.00 → 0.67, 0.67, 0.66 (2.00 exactly), interest under ст. 395.
    const input = {
      rule: 'contractual',
      ratePctPerDay: '1',
      calculateTo: '2025-01-12',
      charges: [
        { amount: '1.00', lastDayToPay: '2025-01-10' },
        { amount: '1.00', lastDayToPay: '2025-01-10' },
        { amount: '1.00', lastDayToPay: '2025-01-10' },
      ],
      payments: [{ date: '2025-01-11', amount: '2.00' }],
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess: from 2025-01-12 the bases are what is left: 0.33 + 0.33 + 0.34 = 1.00.
    const after = r.periods
      .filter((p) => p.from === '2025-01-12')
      .map((p) => p.base)
      .sort();
    expect(after).toEqual(['0.33', '0.33', '0.34']);
  });

  it('property: the total does not depend on the order of the charges', () => {
    const cents = fc.integer({ min: 1, max: 500_000 }).map((c) => (c / 100).toFixed(2));
    const due = fc.constantFrom('2025-01-10', '2025-01-10', '2025-02-10');
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: cents, lastDayToPay: due, arisenOn: fc.constant('2025-01-01') }), { minLength: 2, maxLength: 5 }),
        fc.array(fc.record({ amount: cents, date: fc.constantFrom('2025-01-11', '2025-02-01', '2025-03-01') }), { maxLength: 3 }),
        fc.constantFrom('contractual', 'interest395'),
        (charges, payments, rule) => {
          // Prepare
          const input = { rule, ratePctPerDay: '0.1', capPct: '10', calculateTo: '2025-06-30', payments, charges };
          // Act
          const forward = calculatePenalty(input, rules);
          const backward = calculatePenalty({ ...input, charges: [...charges].reverse() }, rules);
          // Assess
          expect(backward.total).toBe(forward.total);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('penalty calculator: a payment that names its charge', () => {
  it('goes to the named charge; a rest beyond what it owes is applied as unnamed money', () => {
    // Prepare: 1 %/day, no cap; charges 1000.00 due 2025-01-10 and 3000.00 due 2025-01-20; 1500.00 paid on
    // 2025-01-11 naming charges[1]. It is not due yet, but the payer named it: 1500.00 goes to it.
    const input = {
      rule: 'contractual',
      ratePctPerDay: '1',
      calculateTo: '2025-01-25',
      charges: [
        { amount: '1000.00', lastDayToPay: '2025-01-10' },
        { amount: '3000.00', lastDayToPay: '2025-01-20' },
      ],
      payments: [{ date: '2025-01-11', amount: '1500.00', charge: 1 }],
    };

    // Act
    const named = calculatePenalty(input, rules);
    const unnamed = calculatePenalty({ ...input, payments: [{ date: '2025-01-11', amount: '1500.00' }] }, rules);

    // Assess, by hand. Named: charge 0 unpaid 01-11…01-25 = 15 days × 10.00 = 150.00; charge 1 on 1500.00
    // 01-21…01-25 = 5 × 15.00 = 75.00 → 225.00. Unnamed: charge 0 paid in full (01-11 charged on 1000.00:
    // 10.00), the rest 500.00 to charge 1 → 2500.00 × 1 % × 5 = 125.00 → 135.00.
    expect(named.total).toBe('225.00');
    expect(unnamed.total).toBe('135.00');
  });

  it('a named payment larger than its charge pays the rest by due date', () => {
    // Prepare: charges 1000.00 (due 2025-01-10) and 500.00 (due 2025-01-05); 1200.00 on 2025-01-12 naming charges[0].
    const r = calculatePenalty(
      {
        rule: 'contractual',
        ratePctPerDay: '1',
        calculateTo: '2025-01-14',
        charges: [
          { amount: '1000.00', lastDayToPay: '2025-01-10' },
          { amount: '500.00', lastDayToPay: '2025-01-05' },
        ],
        payments: [{ date: '2025-01-12', amount: '1200.00', charge: 0 }],
      },
      rules,
    );
    // Assess, by hand: charge 0 01-11…01-12 on 1000.00 = 20.00, then paid; charge 1 01-06…01-12 on 500.00 = 35.00,
    // then 300.00 for 01-13…01-14 = 6.00 → 61.00.
    expect(r.total).toBe('61.00');
    expect(r.periods.find((p) => p.charge === 1 && p.from === '2025-01-13')).toMatchObject({ base: '300.00' });
  });

  it('refuses a charge index that does not exist, naming the field', () => {
    // Act / Assess
    expect(() =>
      calculatePenalty(
        {
          rule: 'interest395',
          calculateTo: '2025-02-01',
          charges: [{ amount: '1.00', lastDayToPay: '2025-01-10' }],
          payments: [{ date: '2025-01-11', amount: '1.00', charge: 1 }],
        },
        rules,
      ),
    ).toThrow(/payments\[0\]\.charge/);
  });
});
