import { describe, expect, it } from 'vitest';
import { calculatePenalty, defaultRules } from '../../../functions/domain/penalties/index.js';
import { rows } from './helpers.js';

const rules = defaultRules();

describe('interest on money, ГК РФ ст. 395', () => {
  it('splits at the year end: 2024 on 366 days, 2025 on 365', () => {
    // Prepare: 100000.00 due 20.12.2024, key rate 21 % (from 28.10.2024), to 10.01.2025.
    // 21.12–31.12.2024: 100000 × 0.21 × 11 / 366 = 231000 / 366 = 631.1475… → 631.15
    // 01.01–10.01.2025: 100000 × 0.21 × 10 / 365 = 210000 / 365 = 575.3424… → 575.34; total 1206.49
    const input = { rule: 'interest395', charges: [{ amount: '100000.00', lastDayToPay: '2024-12-20' }], calculateTo: '2025-01-10' };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2024-12-21', '2024-12-31', 11, '100000.00', '21', '1/366', '631.15'],
      ['2025-01-01', '2025-01-10', 10, '100000.00', '21', '1/365', '575.34'],
    ]);
    expect(r.total).toBe('1206.49');
    expect(r.sources.find((s) => s.kind === 'keyRate')?.ref).toBe('key rate 21.00 % from 2024-10-28');
  });

  it('splits at a key-rate change (21 % → 20 % on 09.06.2025)', () => {
    // Prepare: 50000.00 due 01.06.2025, to 15.06.2025.
    // 02.06–08.06: 50000 × 0.21 × 7 / 365 = 73500 / 365 = 201.3698… → 201.37
    // 09.06–15.06: 50000 × 0.20 × 7 / 365 = 70000 / 365 = 191.7808… → 191.78; total 393.15
    const input = { rule: 'interest395', charges: [{ amount: '50000.00', lastDayToPay: '2025-06-01' }], calculateTo: '2025-06-15' };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2025-06-02', '2025-06-08', 7, '50000.00', '21', '1/365', '201.37'],
      ['2025-06-09', '2025-06-15', 7, '50000.00', '20', '1/365', '191.78'],
    ]);
    expect(r.total).toBe('393.15');
  });

  it('splits at a debt change: the payment day is charged on the old balance', () => {
    // Prepare: 36500.00 due 10.03.2025 at 21 %; 18250.00 paid 20.03.2025; to 30.03.2025.
    // 11.03–20.03: 36500 × 0.21 × 10 / 365 = 210.00; 21.03–30.03: 18250 × 0.21 × 10 / 365 = 105.00
    const input = {
      rule: 'interest395',
      charges: [{ amount: '36500.00', lastDayToPay: '2025-03-10' }],
      payments: [{ date: '2025-03-20', amount: '18250.00' }],
      calculateTo: '2025-03-30',
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2025-03-11', '2025-03-20', 10, '36500.00', '21', '1/365', '210.00'],
      ['2025-03-21', '2025-03-30', 10, '18250.00', '21', '1/365', '105.00'],
    ]);
    expect(r.total).toBe('315.00');
  });

  it('fixedRatePct overrides the key-rate table (no split at rate changes, still at year end)', () => {
    // Prepare: 36600.00 due 20.12.2024 at a fixed 10 %, to 10.01.2025.
    // 21.12–31.12: 36600 × 0.10 × 11 / 366 = 110.00; 01.01–10.01: 36600 × 0.10 × 10 / 365 = 36600 / 365 = 100.2739… → 100.27
    const input = { rule: 'interest395', charges: [{ amount: '36600.00', lastDayToPay: '2024-12-20' }], calculateTo: '2025-01-10', fixedRatePct: '10' };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2024-12-21', '2024-12-31', 11, '36600.00', '10', '1/366', '110.00'],
      ['2025-01-01', '2025-01-10', 10, '36600.00', '10', '1/365', '100.27'],
    ]);
    expect(r.total).toBe('210.27');
  });

  it('refuses a period before the first key rate in the data, naming the field', () => {
    // Prepare: the table starts 01.01.2016.
    const input = { rule: 'interest395', charges: [{ amount: '1000.00', lastDayToPay: '2015-12-01' }], calculateTo: '2016-01-10' };

    // Act
    const act = () => calculatePenalty(input, rules);

    // Assess
    expect(act).toThrow(/charges\[0\]\.lastDayToPay no key rate known on 2015-12-02/);
  });
});
