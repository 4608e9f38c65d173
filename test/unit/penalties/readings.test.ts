/**
 * Readings of the law that move money are switches in the rule data (with default, source, why); the
 * result names the readings it used. Figures hand-checked (see comments).
 */
import { describe, expect, it } from 'vitest';
import { calculatePenalty, defaultRules } from '../../../functions/domain/penalties/index.js';
import { extendRules } from '../../../functions/domain/rules/index.js';

const rules = defaultRules();

describe('readings of the law', () => {
  it('ПП 474 cap by accrual day (default) or by payment date: 1000.00 due 2021-10-10 paid 2022-03-15 → 128.61 / 67.23', () => {
    // Prepare. Key rate on 2022-03-15: 20 %. By accrual day: 60 days × 1000 × 20 % / 300 = 40.00;
    // 50 days (2022-01-09…02-27) × 1000 × 20 % / 130 = 76.92; 16 days (02-28…03-15) at 9.5 % / 130 = 11.69 → 128.61.
    // By payment date (paid inside the cap window): 60 × 9.5 % / 300 = 19.00; 66 × 9.5 % / 130 = 48.23 → 67.23.
    const input = {
      rule: 'housing',
      charges: [{ amount: '1000.00', lastDayToPay: '2021-10-10' }],
      payments: [{ date: '2022-03-15', amount: '1000.00' }],
      calculateTo: '2022-03-15',
    };

    // Act
    const byDay = calculatePenalty(input, rules);
    const byPayment = calculatePenalty({ ...input, readings: { housingCapBy: 'paymentDate' } }, rules);
    const viaRulesFile = calculatePenalty(input, extendRules(rules, { readings: { housingCapBy: 'paymentDate' } }));

    // Assess
    expect(byDay.total).toBe('128.61');
    expect(byPayment.total).toBe('67.23');
    expect(viaRulesFile.total).toBe('67.23');
    expect(byDay.readings.find((r) => r.id === 'housingCapBy')).toMatchObject({ value: 'accrualDay', default: 'accrualDay', source: expect.stringContaining('docs/law.md') });
    expect(byPayment.readings.find((r) => r.id === 'housingCapBy')).toMatchObject({ value: 'paymentDate', default: 'accrualDay' });
  });

  it('ПП 329 from 2025-01-01 (default) or 2025-03-18: 1000.00 due 2024-12-10, unpaid, to 2025-03-31 → 34.35 / 63.54', () => {
    // Prepare. Key rate 21 %. From 2025-01-01: 60 days (01-10…03-10) × 9.5 % / 300 = 19.00; 21 days × 9.5 % / 130 = 15.35 → 34.35.
    // From 2025-03-18: 60 × 21 % / 300 = 42.00; 7 days (03-11…03-17) × 21 % / 130 = 11.31; 14 days × 9.5 % / 130 = 10.23 → 63.54.
    const input = { rule: 'housing', charges: [{ amount: '1000.00', lastDayToPay: '2024-12-10' }], calculateTo: '2025-03-31' };

    // Act
    const jan = calculatePenalty(input, rules);
    const mar = calculatePenalty({ ...input, readings: { pp329From: '2025-03-18' } }, rules);

    // Assess
    expect([jan.total, mar.total]).toEqual(['34.35', '63.54']);
    expect(mar.readings.find((r) => r.id === 'pp329From')).toMatchObject({ value: '2025-03-18', default: '2025-01-01' });
  });

  it('ПП 497 arisenOn by last day to pay (default) or by the day provided: contractual 0.1 %/day → 29.00 / 0.00', () => {
    // Prepare: 1000.00 provided 2022-03-20, due 2022-04-15, to 2022-05-14: 29 days × 1.00 = 29.00 when it arose
    // 2022-04-15 (not before 01.04.2022: no moratorium); arisen 2022-03-20 → the moratorium covers every day → 0.00.
    const input = { rule: 'contractual', ratePctPerDay: '0.1', charges: [{ amount: '1000.00', lastDayToPay: '2022-04-15', providedOn: '2022-03-20' }], calculateTo: '2022-05-14' };

    // Act
    const due = calculatePenalty(input, rules);
    const provided = calculatePenalty({ ...input, readings: { pp497ArisenOn: 'providedOn' } }, rules);

    // Assess
    expect([due.total, provided.total]).toEqual(['29.00', '0.00']);
    expect(due.readings.map((r) => [r.id, r.value])).toEqual([['pp497ArisenOn', 'lastDayToPay']]);
  });

  it('every reading in the rule data has a default among its options, a source and a reason', () => {
    // Act
    const all = Object.entries(rules.readings);
    // Assess
    expect(all.map(([id]) => id).sort()).toEqual(['housingCapBy', 'pp329From', 'pp497ArisenOn']);
    for (const [, r] of all) {
      expect(r.options).toContain(r.default);
      expect(r.value).toBe(r.default);
      expect(r.source.length).toBeGreaterThan(0);
      expect(r.why.length).toBeGreaterThan(40);
    }
  });
});
