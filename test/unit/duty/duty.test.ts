import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/domain/errors.js';
import { courtOrderEligible, limitationStatus, stateDuty } from '../../../functions/domain/duty/index.js';

const NEW = '2025-03-01';
const OLD = '2024-01-15';

describe('state duty, НК 333.19 (general courts) from 09.09.2024', () => {
  it.each([
    // price, duty — hand computed from docs/law.md §5
    ['1.00', '4000'], //                 flat 4 000
    ['100000.00', '4000'], //            top of the first bracket
    ['100000.01', '4000'], //            4000 + 0.03 × 0.01 = 4000.0003
    ['100033.33', '4001'], //            4000 + 0.03 × 33.33 = 4000.9999 → 4001
    ['250016.66', '8500'], //            4000 + 0.03 × 150016.66 = 8500.4998 → 8500
    ['250016.67', '8501'], //            4000 + 0.03 × 150016.67 = 8500.5001 → 8501
    ['300000.00', '10000'], //           4000 + 0.03 × 200000
    ['300019.99', '10000'], //           10000 + 0.025 × 19.99 = 10000.49975 → 10000
    ['300020.00', '10001'], //           10000 + 0.025 × 20 = 10000.50 → 50 kopecks round up
    ['500000.00', '15000'], //           10000 + 0.025 × 200000
    ['1000000.00', '25000'], //          15000 + 0.02 × 500000
    ['3000000.00', '45000'], //          25000 + 0.01 × 2000000
    ['8000000.00', '80000'], //          45000 + 0.007 × 5000000
    ['24000000.00', '136000'], //        80000 + 0.0035 × 16000000
    ['50000000.00', '214000'], //        136000 + 0.003 × 26000000
    ['100000000.00', '314000'], //       214000 + 0.002 × 50000000
    ['490666666.66', '900000'], //       314000 + 0.0015 × 390666666.66 = 899999.99999 → 900000
    ['1000000000.00', '900000'], //      max 900 000
  ])('price %s → %s', (price, duty) => {
    // Prepare / Act
    const r = stateDuty({ court: 'general', price, filedOn: NEW });

    // Assess
    expect(r.duty).toBe(duty);
    expect(r.table).toBe('333.19 from 2024-09-09');
  });

  it('the maximum is reported when it bites', () => {
    // Prepare / Act
    const r = stateDuty({ court: 'general', price: '1000000000.00', filedOn: NEW });

    // Assess
    expect(r.maxApplied).toBe('900000');
    expect(r.exactDuty).toBe('900000');
  });

  it.each([
    ['250000.00', '4250'], //  8500 / 2
    ['100000.00', '2000'], //  4000 / 2
    ['300020.00', '5000'], //  10000.50 / 2 = 5000.25 → 5000 (one rounding, at the end)
  ])('court order: 50 %% — price %s → %s', (price, duty) => {
    // Prepare / Act
    const r = stateDuty({ court: 'general', price, filedOn: NEW, courtOrder: true });

    // Assess
    expect(r.duty).toBe(duty);
  });
});

describe('state duty, НК 333.21 (arbitration) from 09.09.2024', () => {
  it.each([
    ['50000.00', '10000'], //            flat 10 000
    ['100000.00', '10000'],
    ['100000.01', '10000'], //           10000 + 0.05 × 0.01 = 10000.0005
    ['1000000.00', '55000'], //          10000 + 0.05 × 900000
    ['10000000.00', '325000'], //        55000 + 0.03 × 9000000
    ['50000000.00', '725000'], //        325000 + 0.01 × 40000000
    ['1905000000.00', '10000000'], //    725000 + 0.005 × 1855000000 = 10 000 000
    ['3000000000.00', '10000000'], //    max 10 000 000
  ])('price %s → %s', (price, duty) => {
    // Prepare / Act
    const r = stateDuty({ court: 'arbitration', price, filedOn: NEW });

    // Assess
    expect(r.duty).toBe(duty);
    expect(r.table).toBe('333.21 from 2024-09-09');
  });

  it.each([
    ['100000.00', '8000', '8000'], //   10000 / 2 = 5000 → minimum 8 000
    ['220000.00', '8000', undefined], // (10000 + 0.05 × 120000) / 2 = 16000 / 2 = 8000, exactly the minimum
    ['400000.00', '12500', undefined], // (10000 + 0.05 × 300000) / 2 = 25000 / 2
  ])('court order: 50 %%, at least 8 000 — price %s → %s', (price, duty, minApplied) => {
    // Prepare / Act
    const r = stateDuty({ court: 'arbitration', price, filedOn: NEW, courtOrder: true });

    // Assess
    expect(r.duty).toBe(duty);
    expect(r.minApplied).toBe(minApplied);
  });
});

describe('state duty, tables before 09.09.2024', () => {
  it.each([
    ['5000.00', '400'], //          4 % = 200 → minimum 400
    ['10000.00', '400'], //         4 % = 400, the minimum exactly
    ['20000.00', '800'], //         4 %
    ['20000.01', '800'], //         800 + 0.03 × 0.01
    ['100000.00', '3200'], //       800 + 0.03 × 80000
    ['200000.00', '5200'], //       3200 + 0.02 × 100000
    ['1000000.00', '13200'], //     5200 + 0.01 × 800000
    ['10360000.00', '60000'], //    13200 + 0.005 × 9360000 = 60000
    ['20000000.00', '60000'], //    max 60 000
    ['12345.67', '494'], //         0.04 × 12345.67 = 493.8268 → 494
  ])('333.19: price %s → %s', (price, duty) => {
    // Prepare / Act
    const r = stateDuty({ court: 'general', price, filedOn: OLD });

    // Assess
    expect(r.duty).toBe(duty);
    expect(r.table).toBe('333.19 before 2024-09-09');
  });

  it.each([
    ['10000.00', '2000'], //        4 % = 400 → minimum 2 000
    ['50000.00', '2000'], //        4 % = 2000, the minimum exactly
    ['100000.00', '4000'], //       4 %
    ['200000.00', '7000'], //       4000 + 0.03 × 100000
    ['1000000.00', '23000'], //     7000 + 0.02 × 800000
    ['2000000.00', '33000'], //     23000 + 0.01 × 1000000
    ['35400000.00', '200000'], //   33000 + 0.005 × 33400000 = 200000
    ['50000000.00', '200000'], //   max 200 000
  ])('333.21: price %s → %s', (price, duty) => {
    // Prepare / Act
    const r = stateDuty({ court: 'arbitration', price, filedOn: OLD });

    // Assess
    expect(r.duty).toBe(duty);
    expect(r.table).toBe('333.21 before 2024-09-09');
  });

  it('court orders cost 50 % in both old tables, with no 8 000 minimum', () => {
    // Prepare / Act
    const general = stateDuty({ court: 'general', price: '5000.00', filedOn: OLD, courtOrder: true }); // 400 / 2
    const arbitration = stateDuty({ court: 'arbitration', price: '10000.00', filedOn: OLD, courtOrder: true }); // 2000 / 2

    // Assess
    expect(general.duty).toBe('200');
    expect(arbitration.duty).toBe('1000');
  });

  it('the filing date chooses the table: 08.09.2024 old, 09.09.2024 new', () => {
    // Prepare / Act
    const before = stateDuty({ court: 'general', price: '250000.00', filedOn: '2024-09-08' }); // 5200 + 0.01 × 50000 = 5700
    const from = stateDuty({ court: 'general', price: '250000.00', filedOn: '2024-09-09' }); //   4000 + 0.03 × 150000 = 8500

    // Assess
    expect([before.duty, before.table]).toEqual(['5700', '333.19 before 2024-09-09']);
    expect([from.duty, from.table]).toEqual(['8500', '333.19 from 2024-09-09']);
  });

  it('rejects bad input naming the field', () => {
    // Prepare
    const bad = { court: 'supreme', price: '1,5', filedOn: '2025-13-01', courtOrder: 'yes' };

    // Act
    let fields: string[] = [];
    try {
      stateDuty(bad);
    } catch (err) {
      if (err instanceof ValidationError) fields = err.fields.map((f) => f.field);
    }

    // Assess
    expect(fields).toEqual(['court', 'price', 'filedOn', 'courtOrder']);
  });
});

describe('claim workflow helpers', () => {
  it('court-order eligibility: price ≤ 500 000', () => {
    // Prepare / Act / Assess
    expect(courtOrderEligible('500000.00')).toBe(true);
    expect(courtOrderEligible('500000.01')).toBe(false);
    expect(courtOrderEligible('1.00')).toBe(true);
  });

  it.each([
    // lastDayToPay, asOf, status, expiresOn, daysLeft
    ['2022-03-10', '2024-12-09', 'ok', '2025-03-10', 91],
    ['2022-03-10', '2024-12-10', 'near', '2025-03-10', 90],
    ['2022-03-10', '2025-03-10', 'near', '2025-03-10', 0],
    ['2022-03-10', '2025-03-11', 'past', '2025-03-10', -1],
    ['2024-02-29', '2026-01-01', 'ok', '2027-02-28', 423], // ГК 192 п. 3: no 29.02.2027 → 28.02.2027
  ])('limitation (3 years, ГК 196): due %s, as of %s → %s', (due, asOf, status, expiresOn, daysLeft) => {
    // Prepare / Act
    const r = limitationStatus(due, asOf);

    // Assess
    expect([r.status, r.expiresOn, r.daysLeft]).toEqual([status, expiresOn, daysLeft]);
  });
});
