import { describe, expect, it } from 'vitest';
import { calculatePenalty, defaultRules } from '../../../functions/domain/penalties/index.js';
import { rows } from './helpers.js';

const rules = defaultRules();

describe('contractual penalty', () => {
  it('charges p % per day on the overdue amount; a partial payment reduces the base from the next day', () => {
    // Prepare: 7300.00 due 10.03.2025, 2300.00 paid 05.05.2025, 0.5 %/day, to 31.08.2025.
    // 11.03–05.05 = 21 + 30 + 5 = 56 days × 7300 × 0.005 = 36.50 × 56 = 2044.00 (payment day on the old balance)
    // 06.05–31.08 = 26 + 30 + 31 + 31 = 118 days × 5000 × 0.005 = 25 × 118 = 2950.00; total 4994.00
    const input = {
      rule: 'contractual',
      charges: [{ amount: '7300.00', lastDayToPay: '2025-03-10' }],
      payments: [{ date: '2025-05-05', amount: '2300.00' }],
      calculateTo: '2025-08-31',
      ratePctPerDay: '0.5',
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2025-03-11', '2025-05-05', 56, '7300.00', '0.5', '0.5%/day', '2044.00'],
      ['2025-05-06', '2025-08-31', 118, '5000.00', '0.5', '0.5%/day', '2950.00'],
    ]);
    expect(r.total).toBe('4994.00');
    expect(r.rounding).toBe('perPeriod');
  });

  it('stops at the cap: capPct of the charge, the crossing period is cut', () => {
    // Prepare: same case, cap 50 % of 7300.00 = 3650.00; 2044.00 + 2950.00 would exceed it,
    // so the second period is cut to 3650.00 − 2044.00 = 1606.00.
    const input = {
      rule: 'contractual',
      charges: [{ amount: '7300.00', lastDayToPay: '2025-03-10' }],
      payments: [{ date: '2025-05-05', amount: '2300.00' }],
      calculateTo: '2025-08-31',
      ratePctPerDay: '0.5',
      capPct: '50',
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(r.periods.map((p) => [p.amount, p.capped ?? false])).toEqual([
      ['2044.00', false],
      ['1606.00', true],
    ]);
    expect(r.total).toBe('3650.00');
    expect(r.notes.join('\n')).toContain('Cap 50 % of charges[0] (7300.00) = 3650.00');
  });

  it('a 10 % cap reached in the first period leaves later periods at zero, in both rounding modes', () => {
    // Prepare: cap 10 % × 7300.00 = 730.00 < 2044.00.
    const base = {
      rule: 'contractual',
      charges: [{ amount: '7300.00', lastDayToPay: '2025-03-10' }],
      payments: [{ date: '2025-05-05', amount: '2300.00' }],
      calculateTo: '2025-08-31',
      ratePctPerDay: '0.5',
      capPct: '10',
    };

    // Act
    const perPeriod = calculatePenalty(base, rules);
    const total = calculatePenalty({ ...base, rounding: 'total' }, rules);

    // Assess
    expect(perPeriod.periods.map((p) => p.amount)).toEqual(['730.00', '0.00']);
    expect(perPeriod.total).toBe('730.00');
    expect(total.total).toBe('730.00');
  });

  it('applies payments to the oldest charge first', () => {
    // Prepare: A 1000.00 due 10.01.2025, B 1000.00 due 10.02.2025, 1500.00 paid 20.02.2025, 0.1 %/day.
    // A: 11.01–20.02 = 21 + 20 = 41 days × 1.00 = 41.00 (paid in full on 20.02).
    // B: 11.02–20.02 = 10 days × 1.00 = 10.00; 21.02–28.02 = 8 days × 0.50 = 4.00. Total 55.00.
    const input = {
      rule: 'contractual',
      charges: [
        { amount: '1000.00', lastDayToPay: '2025-02-10' },
        { amount: '1000.00', lastDayToPay: '2025-01-10' },
      ],
      payments: [{ date: '2025-02-20', amount: '1500.00' }],
      calculateTo: '2025-02-28',
      ratePctPerDay: '0.1',
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess: charge indexes refer to the input order (the older one is charges[1]).
    expect(r.periods.map((p) => [p.charge, p.from, p.to, p.days, p.base, p.amount])).toEqual([
      [1, '2025-01-11', '2025-02-20', 41, '1000.00', '41.00'],
      [0, '2025-02-11', '2025-02-20', 10, '1000.00', '10.00'],
      [0, '2025-02-21', '2025-02-28', 8, '500.00', '4.00'],
    ]);
    expect(r.total).toBe('55.00');
  });

  it('rounding modes can differ by 0.01: per period 0.006 + 0.006 → 0.02, in total 0.012 → 0.01', () => {
    // Prepare: two charges of 1.00 due 10.01.2025, 0.6 %/day, one day of delay each:
    // each period is 1.00 × 0.006 = 0.006 exactly.
    const input = {
      rule: 'contractual',
      charges: [
        { amount: '1.00', lastDayToPay: '2025-01-10' },
        { amount: '1.00', lastDayToPay: '2025-01-10' },
      ],
      calculateTo: '2025-01-11',
      ratePctPerDay: '0.6',
    };

    // Act
    const perPeriod = calculatePenalty({ ...input, rounding: 'perPeriod' }, rules);
    const total = calculatePenalty({ ...input, rounding: 'total' }, rules);

    // Assess
    expect(perPeriod.periods.map((p) => [p.amount, p.exactAmount])).toEqual([
      ['0.01', '0.0060000000'],
      ['0.01', '0.0060000000'],
    ]);
    expect(perPeriod.total).toBe('0.02');
    expect(total.total).toBe('0.01');
    expect(total.rounding).toBe('total');
  });

  it('a custom moratorium excludes its days (inclusive) from accrual', () => {
    // Prepare: 1000.00 due 10.03.2025, 1 %/day (10.00/day), to 20.04.2025, moratorium 01.04–10.04.
    // 11.03–31.03 = 21 days = 210.00; 01.04–10.04 excluded; 11.04–20.04 = 10 days = 100.00. Total 310.00.
    const input = {
      rule: 'contractual',
      charges: [{ amount: '1000.00', lastDayToPay: '2025-03-10' }],
      calculateTo: '2025-04-20',
      ratePctPerDay: '1',
      moratoria: [{ from: '2025-04-01', to: '2025-04-10' }],
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2025-03-11', '2025-03-31', 21, '1000.00', '1', '1%/day', '210.00'],
      ['2025-04-01', '2025-04-10', 10, '1000.00', '0', '0', '0.00'],
      ['2025-04-11', '2025-04-20', 10, '1000.00', '1', '1%/day', '100.00'],
    ]);
    expect(r.total).toBe('310.00');
    expect(r.notes.join('\n')).toMatch(/moratoria\[0\].*10 charge-day\(s\) excluded/);
  });

  it('the default ПП 497 moratorium covers only obligations that arose before 01.04.2022', () => {
    // Prepare: 0.1 %/day on 1000.00 = 1.00/day.
    // A: due 10.03.2022 (arose before 01.04.2022), to 05.04.2022: 11.03–31.03 = 21.00, 01.04–05.04 excluded.
    // B: due 10.04.2022, to 20.04.2022: not covered → 10 days = 10.00; with arisenOn 31.03.2022 → covered → 0.00.
    const a = { rule: 'contractual', charges: [{ amount: '1000.00', lastDayToPay: '2022-03-10' }], calculateTo: '2022-04-05', ratePctPerDay: '0.1' };
    const b = { rule: 'contractual', charges: [{ amount: '1000.00', lastDayToPay: '2022-04-10' }], calculateTo: '2022-04-20', ratePctPerDay: '0.1' };
    const bEarly = { ...b, charges: [{ amount: '1000.00', lastDayToPay: '2022-04-10', arisenOn: '2022-03-31' }] };

    // Act
    const ra = calculatePenalty(a, rules);
    const rb = calculatePenalty(b, rules);
    const rbEarly = calculatePenalty(bEarly, rules);
    const raNone = calculatePenalty({ ...a, moratoria: 'none' }, rules);

    // Assess
    expect(rows(ra)).toEqual([
      ['2022-03-11', '2022-03-31', 21, '1000.00', '0.1', '0.1%/day', '21.00'],
      ['2022-04-01', '2022-04-05', 5, '1000.00', '0', '0', '0.00'],
    ]);
    expect(ra.total).toBe('21.00');
    expect(ra.sources.some((s) => s.kind === 'moratorium' && s.ref.includes('№497'))).toBe(true);
    expect(rb.total).toBe('10.00');
    expect(rbEarly.total).toBe('0.00');
    expect(raNone.total).toBe('26.00');
  });
});
