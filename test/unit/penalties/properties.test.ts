import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, type CalendarDate } from '../../../functions/domain/dates.js';
import { calculatePenalty, defaultRules, type PenaltyInput } from '../../../functions/domain/penalties/index.js';

const rules = defaultRules();
const DAY0 = '2017-01-01' as CalendarDate;

const amountArb = fc.integer({ min: 1, max: 50_000_000 }).map((k) => new Decimal(k).div(100).toFixed(2));
const dateArb = (fromOffset: number, span: number) => fc.integer({ min: fromOffset, max: fromOffset + span }).map((n) => addDays(DAY0, n));
const chargeArb = fc.record({ amount: amountArb, lastDayToPay: dateArb(0, 3000) });
const ruleArb = fc.constantFrom<Pick<PenaltyInput, 'rule' | 'ratePctPerDay' | 'fixedRatePct' | 'rateMode'>>(
  { rule: 'contractual', ratePctPerDay: '0.1' },
  { rule: 'interest395' },
  { rule: 'housing', fixedRatePct: '9.5' },
  { rule: 'housing', rateMode: 'asOf' },
);

describe('penalty invariants (fast-check)', () => {
  it('no housing penalty inside the grace period (delay days 1–30)', () => {
    fc.assert(
      fc.property(fc.array(chargeArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom('paymentDate', 'asOf'), (charges, day, rateMode) => {
        // Prepare: calculateTo on delay day `day` of the LATEST charge would let older charges accrue,
        // so every charge shares the same due date here.
        const due = charges[0]!.lastDayToPay;
        const input = { rule: 'housing', rateMode, charges: charges.map((c) => ({ ...c, lastDayToPay: due })), calculateTo: addDays(due, day) };

        // Act
        const r = calculatePenalty(input, rules);

        // Assess
        expect(r.total).toBe('0.00');
        expect(r.periods.every((p) => p.amount === '0.00')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('the penalty is non-decreasing in calculateTo (table rates for 395, fixed or cap-period rates for housing)', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(chargeArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 800 }), fc.integer({ min: 0, max: 400 }), (rule, charges, d1, extra) => {
        // Prepare: "asOf" housing uses the rate as of calculateTo, so it is only monotone while that
        // rate is pinned (here: calculateTo inside the 2025–2026 fixed 9.5 % cap).
        const earliest = charges.map((c) => c.lastDayToPay).sort()[0]!;
        let to1 = addDays(earliest, d1);
        let to2 = addDays(to1, extra);
        if (rule.rule === 'housing' && !rule.fixedRatePct) {
          to1 = to1 < '2025-01-01' ? ('2025-01-01' as CalendarDate) : to1;
          to2 = to1 > to2 ? to1 : to2;
          if (to2 > '2026-12-31') return;
          if (to1 <= earliest) return;
        }
        const base = { ...rule, charges };

        // Act
        const a = calculatePenalty({ ...base, calculateTo: to1 }, rules);
        const b = calculatePenalty({ ...base, calculateTo: to2 }, rules);

        // Assess
        expect(new Decimal(b.total).gte(a.total)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('adding a payment never increases the accrual (rates not tied to the payment day)', () => {
    fc.assert(
      fc.property(ruleArb, chargeArb, fc.integer({ min: 1, max: 900 }), fc.integer({ min: 0, max: 900 }), amountArb, (rule, charge, toOff, payOff, payAmount) => {
        // Prepare: "total" rounding. With "perPeriod" rounding a payment splits a period in two and the
        // two roundings can add 0.01 (e.g. 324593.50 at 0.1 %/day: 884 d → 286940.65; a 0.01 payment on
        // day 882 gives 286291.47 + 649.19 = 286940.66). The exact accrual never increases.
        const calculateTo = addDays(charge.lastDayToPay, toOff);
        const payDate = addDays(charge.lastDayToPay, Math.min(payOff, toOff));
        const base = { ...rule, charges: [charge], calculateTo, rounding: 'total' as const };

        // Act
        const without = calculatePenalty(base, rules);
        const withPay = calculatePenalty({ ...base, payments: [{ date: payDate, amount: payAmount }] }, rules);

        // Assess
        expect(new Decimal(withPay.total).lte(without.total)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('"paymentDate" housing: a payment never increases the accrual for the days after it', () => {
    // A payment can change the rate of the paid part for the days up to it (the statute takes the
    // key rate of the payment day), but what accrues after the payment day can only fall.
    fc.assert(
      fc.property(chargeArb, fc.integer({ min: 1, max: 900 }), fc.integer({ min: 0, max: 900 }), amountArb, (charge, toOff, payOff, payAmount) => {
        // Prepare
        const calculateTo = addDays(charge.lastDayToPay, toOff);
        const payDate = addDays(charge.lastDayToPay, Math.min(payOff, toOff));
        const base = { rule: 'housing', rateMode: 'paymentDate', charges: [charge], calculateTo };
        // Each period accrues evenly per day, so the part after payDate is its amount × days after / days.
        const accruedAfterPay = (r: ReturnType<typeof calculatePenalty>) =>
          r.periods.reduce((s, p) => {
            const daysAfter = p.to <= payDate ? 0 : p.from > payDate ? p.days : daysBetween(payDate, p.to);
            return s.plus(new Decimal(p.exactAmount).times(daysAfter).div(p.days));
          }, new Decimal(0));

        // Act
        const without = calculatePenalty(base, rules);
        const withPay = calculatePenalty({ ...base, payments: [{ date: payDate, amount: payAmount }] }, rules);

        // Assess
        expect(accruedAfterPay(withPay).lte(accruedAfterPay(without))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('in "perPeriod" mode the total equals the sum of the periods', () => {
    fc.assert(
      fc.property(
        ruleArb,
        fc.array(chargeArb, { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ off: fc.integer({ min: 0, max: 1500 }), amount: amountArb }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 1500 }),
        (rule, charges, pays, toOff) => {
          // Prepare
          const earliest = charges.map((c) => c.lastDayToPay).sort()[0]!;
          const input = {
            ...rule,
            charges,
            payments: pays.map((p) => ({ date: addDays(earliest, p.off), amount: p.amount })),
            calculateTo: addDays(earliest, toOff),
            rounding: 'perPeriod' as const,
          };

          // Act
          const r = calculatePenalty(input, rules);

          // Assess
          const sum = r.periods.reduce((s, p) => s.plus(p.amount), new Decimal(0));
          expect(sum.toFixed(2)).toBe(r.total);
          expect(r.periods.every((p) => /^\d+\.\d{2}$/.test(p.amount) && p.days > 0)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
