import { describe, expect, it } from 'vitest';
import { calculatePenalty, defaultRules } from '../../../functions/domain/penalties/index.js';
import { rows } from './helpers.js';

const rules = defaultRules();
const GRACE = '0';

describe('housing penalty, ЖК РФ ст. 155 ч. 14', () => {
  it('nothing on delay day 30; day 31 is the first accrual (2025 cap r = 9.5 %)', () => {
    // Prepare: 3000.00 due 10.03.2025. Day 30 = 09.04.2025, day 31 = 10.04.2025.
    // Day 31: 3000 × 0.095 / 300 = 285 / 300 = 0.95
    const base = { rule: 'housing', charges: [{ amount: '3000.00', lastDayToPay: '2025-03-10' }] };

    // Act
    const day30 = calculatePenalty({ ...base, calculateTo: '2025-04-09' }, rules);
    const day31 = calculatePenalty({ ...base, calculateTo: '2025-04-10' }, rules);

    // Assess
    expect(rows(day30)).toEqual([['2025-03-11', '2025-04-09', 30, '3000.00', '0', GRACE, '0.00']]);
    expect(day30.total).toBe('0.00');
    expect(rows(day31)).toEqual([
      ['2025-03-11', '2025-04-09', 30, '3000.00', '0', GRACE, '0.00'],
      ['2025-04-10', '2025-04-10', 1, '3000.00', '9.5', '1/300', '0.95'],
    ]);
    expect(day31.total).toBe('0.95');
  });

  it('switches from 1/300 to 1/130 on delay day 91', () => {
    // Prepare: 3000.00 due 10.03.2025, to 09.06.2025 (= day 91).
    // 10.04–08.06 (days 31–90: 21 + 31 + 8 = 60): 3000 × 0.095 × 60 / 300 = 57.00
    // 09.06 (day 91): 285 / 130 = 2.1923… → 2.19; total 59.19
    const input = { rule: 'housing', charges: [{ amount: '3000.00', lastDayToPay: '2025-03-10' }], calculateTo: '2025-06-09' };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2025-03-11', '2025-04-09', 30, '3000.00', '0', GRACE, '0.00'],
      ['2025-04-10', '2025-06-08', 60, '3000.00', '9.5', '1/300', '57.00'],
      ['2025-06-09', '2025-06-09', 1, '3000.00', '9.5', '1/130', '2.19'],
    ]);
    expect(r.total).toBe('59.19');
  });

  it('the issue example: 7300.00 due 10.03.2025, 2300.00 paid 05.05.2025, to 31.08.2025', () => {
    // Prepare: r = 9.5 % (ПП 329). 10.04–05.05: 7300 × 0.095 × 26 / 300 = 60.1033… → 60.10
    // 06.05–08.06: 5000 × 0.095 × 34 / 300 = 53.8333… → 53.83; 09.06–31.08: 475 × 84 / 130 = 306.9230… → 306.92
    // total 420.85
    const input = {
      rule: 'housing',
      charges: [{ amount: '7300.00', lastDayToPay: '2025-03-10' }],
      payments: [{ date: '2025-05-05', amount: '2300.00' }],
      calculateTo: '2025-08-31',
    };

    // Act
    const r = calculatePenalty(input, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2025-03-11', '2025-04-09', 30, '7300.00', '0', GRACE, '0.00'],
      ['2025-04-10', '2025-05-05', 26, '7300.00', '9.5', '1/300', '60.10'],
      ['2025-05-06', '2025-06-08', 34, '5000.00', '9.5', '1/300', '53.83'],
      ['2025-06-09', '2025-08-31', 84, '5000.00', '9.5', '1/130', '306.92'],
    ]);
    expect(r.total).toBe('420.85');
    expect(r.sources.some((s) => s.kind === 'cap' && s.ref.includes('№329'))).toBe(true);
  });

  describe('rate modes (2021, no cap): 10000.00 due 10.01.2021, 4000.00 paid 30.04.2021, to 31.07.2021', () => {
    // Key rate on 30.04.2021 = 5.00 % (from 26.04.2021); on 31.07.2021 = 6.50 % (from 26.07.2021).
    // Day 31 = 10.02.2021, day 91 = 11.04.2021; 01.05–31.07 = 31 + 30 + 31 = 92 days.
    const input = {
      rule: 'housing',
      charges: [{ amount: '10000.00', lastDayToPay: '2021-01-10' }],
      payments: [{ date: '2021-04-30', amount: '4000.00' }],
      calculateTo: '2021-07-31',
    };

    it('"paymentDate": the paid part at the rate of its payment day, the rest at the rate on calculateTo', () => {
      // Prepare: 10.02–10.04 (60 d): 4000 × 0.05 × 60/300 = 40.00; 6000 × 0.065 × 60/300 = 78.00
      // 11.04–30.04 (20 d): 4000 × 0.05 × 20/130 = 30.7692… → 30.77; 6000 × 0.065 × 20/130 = 60.00
      // 01.05–31.07 (92 d): 6000 × 0.065 × 92/130 = 276.00; total 484.77

      // Act
      const r = calculatePenalty({ ...input, rateMode: 'paymentDate' }, rules);

      // Assess
      expect(r.periods.map((p) => [p.from, p.to, p.days, p.base, p.rate, p.fraction, p.amount, p.rateDate])).toEqual([
        ['2021-01-11', '2021-02-09', 30, '10000.00', '0', GRACE, '0.00', undefined],
        ['2021-02-10', '2021-04-10', 60, '4000.00', '5', '1/300', '40.00', '2021-04-30'],
        ['2021-02-10', '2021-04-10', 60, '6000.00', '6.5', '1/300', '78.00', '2021-07-31'],
        ['2021-04-11', '2021-04-30', 20, '4000.00', '5', '1/130', '30.77', '2021-04-30'],
        ['2021-04-11', '2021-04-30', 20, '6000.00', '6.5', '1/130', '60.00', '2021-07-31'],
        ['2021-05-01', '2021-07-31', 92, '6000.00', '6.5', '1/130', '276.00', '2021-07-31'],
      ]);
      expect(r.total).toBe('484.77');
    });

    it('"asOf": one rate (6.50 % on 31.07.2021) for every day', () => {
      // Prepare: 10.02–10.04: 10000 × 0.065 × 60/300 = 130.00; 11.04–30.04: 650 × 20/130 = 100.00;
      // 01.05–31.07: 390 × 92/130 = 276.00; total 506.00

      // Act
      const r = calculatePenalty({ ...input, rateMode: 'asOf' }, rules);

      // Assess
      expect(rows(r)).toEqual([
        ['2021-01-11', '2021-02-09', 30, '10000.00', '0', GRACE, '0.00'],
        ['2021-02-10', '2021-04-10', 60, '10000.00', '6.5', '1/300', '130.00'],
        ['2021-04-11', '2021-04-30', 20, '10000.00', '6.5', '1/130', '100.00'],
        ['2021-05-01', '2021-07-31', 92, '6000.00', '6.5', '1/130', '276.00'],
      ]);
      expect(r.total).toBe('506.00');
    });

    it('fixedRatePct overrides the table', () => {
      // Prepare: r = 9.5: 10000 × 0.095 × 60/300 = 190.00; 950 × 20/130 = 146.1538… → 146.15;
      // 570 × 92/130 = 403.3846… → 403.38; total 739.53

      // Act
      const r = calculatePenalty({ ...input, fixedRatePct: '9.5' }, rules);

      // Assess
      expect(r.periods.map((p) => p.amount)).toEqual(['0.00', '190.00', '146.15', '403.38']);
      expect(r.total).toBe('739.53');
    });
  });

  it('2022–2024 cap: r = min(9.5 %, key rate)', () => {
    // Prepare: 9000.00 due 10.05.2023; day 31 = 10.06.2023, day 91 = 09.08.2023.
    // To 31.08.2023 ("asOf": key 12 % → 9.5): 10.06–08.08 (60 d): 855 × 60/300 = 171.00;
    //   09.08–31.08 (23 d): 855 × 23/130 = 151.2692… → 151.27; total 322.27
    // To 31.07.2023 (key 8.5 % < 9.5): 10.06–31.07 (52 d): 9000 × 0.085 × 52/300 = 765 × 52/300 = 132.60
    const base = { rule: 'housing', rateMode: 'asOf', charges: [{ amount: '9000.00', lastDayToPay: '2023-05-10' }] };

    // Act
    const capped = calculatePenalty({ ...base, calculateTo: '2023-08-31' }, rules);
    const below = calculatePenalty({ ...base, calculateTo: '2023-07-31' }, rules);

    // Assess
    expect(rows(capped).slice(1)).toEqual([
      ['2023-06-10', '2023-08-08', 60, '9000.00', '9.5', '1/300', '171.00'],
      ['2023-08-09', '2023-08-31', 23, '9000.00', '9.5', '1/130', '151.27'],
    ]);
    expect(capped.total).toBe('322.27');
    expect(rows(below).slice(1)).toEqual([['2023-06-10', '2023-07-31', 52, '9000.00', '8.5', '1/300', '132.60']]);
    expect(below.total).toBe('132.60');
  });

  it('the default ПП 424 moratorium excludes 06.04.2020–01.01.2021; delay days keep counting through it', () => {
    // Prepare: 5000.00 due 10.01.2020, to 31.01.2021, "asOf" key 4.25 % (from 27.07.2020): 5000 × 0.0425 = 212.50/year-share.
    // Day 31 = 10.02.2020, day 91 = 10.04.2020 (inside the moratorium).
    // 10.02–05.04.2020 (20 + 31 + 5 = 56 d): 212.5 × 56/300 = 39.6666… → 39.67
    // 06.04.2020–01.01.2021 excluded (4 + 267 = 271 days); 02.01–31.01.2021 (30 d, already past day 91): 212.5 × 30/130 = 49.0384… → 49.04
    // Without moratoria: 10.02–09.04 (60 d) 42.50 + 10.04.2020–31.01.2021 (297 d) 212.5 × 297/130 = 485.4807… → 485.48 = 527.98
    const input = { rule: 'housing', rateMode: 'asOf', charges: [{ amount: '5000.00', lastDayToPay: '2020-01-10' }], calculateTo: '2021-01-31' };

    // Act
    const r = calculatePenalty(input, rules);
    const none = calculatePenalty({ ...input, moratoria: 'none' }, rules);

    // Assess
    expect(rows(r)).toEqual([
      ['2020-01-11', '2020-02-09', 30, '5000.00', '0', GRACE, '0.00'],
      ['2020-02-10', '2020-04-05', 56, '5000.00', '4.25', '1/300', '39.67'],
      ['2020-04-06', '2020-04-09', 4, '5000.00', '0', '0', '0.00'],
      ['2020-04-10', '2021-01-01', 267, '5000.00', '0', '0', '0.00'],
      ['2021-01-02', '2021-01-31', 30, '5000.00', '4.25', '1/130', '49.04'],
    ]);
    expect(r.total).toBe('88.71');
    expect(r.notes.join('\n')).toContain('pp424-2020) 2020-04-06–2021-01-01: 271 charge-day(s) excluded');
    expect(rows(none).slice(1)).toEqual([
      ['2020-02-10', '2020-04-09', 60, '5000.00', '4.25', '1/300', '42.50'],
      ['2020-04-10', '2021-01-31', 297, '5000.00', '4.25', '1/130', '485.48'],
    ]);
    expect(none.total).toBe('527.98');
  });
});
