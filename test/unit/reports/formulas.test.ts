import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import {
  averageDaysDelinquent,
  bestPossibleDso,
  collectionEffectivenessIndex,
  countbackDso,
  recoveryPct,
  simpleDso,
} from '../../../functions/domain/reports/efficiency-formulas.js';

const D = (n: number) => new Decimal(n);

describe('collection efficiency formulas on hand-checked figures', () => {
  it('countback DSO: AR 212,000 with monthly sales 100,000 / 80,000 / 70,000 (latest first) → 73.7 days', () => {
    // Prepare: 212,000 − 100,000 = 112,000 (30 d); − 80,000 = 32,000 (30 d); 32,000 / 70,000 × 30 = 13.71 d
    const months = [100_000, 80_000, 70_000].map((s) => ({ sales: D(s), days: 30 }));
    // Act
    const r = countbackDso(D(212_000), months);
    // Assess
    expect(r).toEqual({ days: 73.7, exhausted: false });
  });

  it('countback DSO with calendar months and receivables beyond the months given', () => {
    // Prepare: Nov (30 d) 100,000, Oct (31 d) 80,000 — AR 150,000 → 30 + 50,000/80,000 × 31 = 49.375
    const r1 = countbackDso(D(150_000), [
      { sales: D(100_000), days: 30 },
      { sales: D(80_000), days: 31 },
    ]);
    const r2 = countbackDso(D(500_000), [
      { sales: D(100_000), days: 30 },
      { sales: D(80_000), days: 31 },
    ]);
    // Assess
    expect(r1).toEqual({ days: 49.4, exhausted: false });
    expect(r2).toEqual({ days: 61, exhausted: true });
    expect(countbackDso(D(0), [])).toEqual({ days: 0, exhausted: false });
  });

  it('DSO, best-possible DSO and ADD: AR 450,000 of which 250,000 current, sales 300,000 over 90 days', () => {
    // Act
    const dso = simpleDso(D(450_000), D(300_000), 90); // 450/300 × 90 = 135
    const bp = bestPossibleDso(D(250_000), D(300_000), 90); // 250/300 × 90 = 75
    // Assess
    expect(dso).toBe(135);
    expect(bp).toBe(75);
    expect(averageDaysDelinquent(dso, bp)).toBe(60);
    expect(simpleDso(D(1), D(0), 90)).toBeNull();
  });

  it('CEI: begin 500,000 + sales 300,000, end 450,000 of which 250,000 current → 350/550 = 63.6 %', () => {
    // Act
    const cei = collectionEffectivenessIndex(D(500_000), D(300_000), D(450_000), D(250_000));
    // Assess
    expect(cei).toBe(63.6);
    expect(collectionEffectivenessIndex(D(0), D(0), D(0), D(0))).toBeNull();
  });

  it('recovery: paid share of the amount asked, capped at 100 %', () => {
    expect(recoveryPct(D(30_000), D(120_000))).toBe(25);
    expect(recoveryPct(D(200), D(100))).toBe(100);
    expect(recoveryPct(D(0), D(0))).toBeNull();
  });
});
