import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.js';
import { calculatePenalty, defaultRules } from '../../../functions/domain/penalties/index.js';

const rules = defaultRules();
const ok = { rule: 'housing', charges: [{ amount: '7300.00', lastDayToPay: '2025-03-10' }], calculateTo: '2025-08-31' };

function fieldsOf(input: unknown): string[] {
  try {
    calculatePenalty(input, rules);
  } catch (err) {
    if (err instanceof ValidationError) return err.fields.map((f) => f.field);
    throw err;
  }
  return [];
}

describe('penalty input validation names the field', () => {
  it.each([
    ['unknown rule', { ...ok, rule: 'usury' }, ['rule']],
    ['non-decimal amount', { ...ok, charges: [{ amount: '7e3', lastDayToPay: '2025-03-10' }] }, ['charges[0].amount']],
    ['number instead of string', { ...ok, charges: [{ amount: 7300, lastDayToPay: '2025-03-10' }] }, ['charges[0].amount']],
    ['three decimals', { ...ok, payments: [{ date: '2025-05-05', amount: '1.005' }] }, ['payments[0].amount']],
    ['zero amount', { ...ok, charges: [{ amount: '0.00', lastDayToPay: '2025-03-10' }] }, ['charges[0].amount']],
    ['impossible date', { ...ok, calculateTo: '2025-02-30' }, ['calculateTo']],
    ['payment before any charge', { ...ok, payments: [{ date: '2025-03-09', amount: '100.00' }] }, ['payments[0].date']],
    ['calculateTo before the first day of delay', { ...ok, calculateTo: '2025-03-10' }, ['calculateTo']],
    ['contractual without a rate', { ...ok, rule: 'contractual' }, ['ratePctPerDay']],
    ['bad rounding', { ...ok, rounding: 'bankers' }, ['rounding']],
    ['moratorium ends before it starts', { ...ok, moratoria: [{ from: '2025-05-01', to: '2025-04-01' }] }, ['moratoria[0].to']],
    ['no charges', { ...ok, charges: [] }, ['charges']],
  ])('%s', (_name, input, expected) => {
    // Prepare: the input above.

    // Act
    const fields = fieldsOf(input);

    // Assess
    expect(fields).toEqual(expected);
  });

  it('accepts a payment on the day of the earliest charge and ignores unknown fields', () => {
    // Prepare
    const input = { ...ok, payments: [{ date: '2025-03-10', amount: '7300.00' }], comment: 'ignored' };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess: paid on time in full → nothing accrues.
    expect(r.total).toBe('0.00');
    expect(r.periods).toEqual([]);
  });

  it('a payment before the due date is accepted when the charge says when it arose', () => {
    // Prepare: 3000.00 arose 01.03.2025, due 10.03.2025, 1000.00 paid 05.03.2025, to 10.04.2025 (day 31):
    // 2000 × 0.095 / 300 = 0.6333… → 0.63
    const input = {
      rule: 'housing',
      charges: [{ amount: '3000.00', lastDayToPay: '2025-03-10', arisenOn: '2025-03-01' }],
      payments: [{ date: '2025-03-05', amount: '1000.00' }],
      calculateTo: '2025-04-10',
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(r.periods.map((p) => [p.from, p.base, p.amount])).toEqual([
      ['2025-03-11', '2000.00', '0.00'],
      ['2025-04-10', '2000.00', '0.63'],
    ]);
  });

  it('notes payments after calculateTo and overpayments instead of failing', () => {
    // Prepare
    const input = {
      rule: 'contractual',
      ratePctPerDay: '0.1',
      charges: [{ amount: '1000.00', lastDayToPay: '2025-03-10' }],
      payments: [
        { date: '2025-03-15', amount: '1500.00' },
        { date: '2025-09-01', amount: '10.00' },
      ],
      calculateTo: '2025-08-31',
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess: 11.03–15.03 = 5 days × 1.00
    expect(r.total).toBe('5.00');
    expect(r.notes.join('\n')).toContain('exceeds the charges by 500.00');
    expect(r.notes.join('\n')).toContain('payments[1] of 10.00 on 2025-09-01 is after calculateTo');
  });
});
