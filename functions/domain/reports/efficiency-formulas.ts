/**
 * Collection efficiency formulas (pure numbers; money comes in as Decimal). Sources and worked
 * examples are in docs/reports.md:
 * - DSO (simple, "period-end"): ending receivables / credit sales of the period × days in the period.
 * - Countback DSO: take receivables, subtract each month's credit sales, latest month first, counting
 *   that month's days while the receivables cover it; the month that is not fully covered adds its
 *   days × (what is left / that month's sales). AR 212,000 with monthly sales 100,000 / 80,000 /
 *   70,000 (latest first, 30-day months) → 30 + 30 + 32,000/70,000 × 30 = 73.7 days.
 * - Best-possible DSO (Credit Research Foundation): current (not past due) receivables / credit sales
 *   × days.
 * - ADD (average days delinquent) = DSO − best-possible DSO.
 * - CEI (collection effectiveness index, CRF): (beginning receivables + credit sales − ending total
 *   receivables) / (beginning receivables + credit sales − ending current receivables) × 100.
 */
import { Decimal } from 'decimal.js';

const round1 = (d: Decimal): number => d.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toNumber();

export function simpleDso(endingAr: Decimal, creditSales: Decimal, days: number): number | null {
  if (creditSales.lte(0)) return null;
  return round1(endingAr.div(creditSales).times(days));
}

export function bestPossibleDso(currentAr: Decimal, creditSales: Decimal, days: number): number | null {
  if (creditSales.lte(0)) return null;
  return round1(currentAr.div(creditSales).times(days));
}

export function averageDaysDelinquent(dso: number | null, bpdso: number | null): number | null {
  if (dso === null || bpdso === null) return null;
  return round1(new Decimal(dso).minus(bpdso));
}

/** Months latest first. `exhausted` = the receivables exceed all the months given (the figure is a floor). */
export function countbackDso(ar: Decimal, months: readonly { sales: Decimal; days: number }[]): { days: number | null; exhausted: boolean } {
  if (ar.lte(0)) return { days: 0, exhausted: false };
  let left = ar;
  let days = new Decimal(0);
  for (const m of months) {
    if (m.sales.lte(0)) {
      days = days.plus(m.days);
      continue;
    }
    if (left.gt(m.sales)) {
      left = left.minus(m.sales);
      days = days.plus(m.days);
      continue;
    }
    return { days: round1(days.plus(left.div(m.sales).times(m.days))), exhausted: false };
  }
  return { days: months.length ? round1(days) : null, exhausted: true };
}

export function collectionEffectivenessIndex(beginningAr: Decimal, creditSales: Decimal, endingAr: Decimal, endingCurrentAr: Decimal): number | null {
  const denominator = beginningAr.plus(creditSales).minus(endingCurrentAr);
  if (denominator.lte(0)) return null;
  return round1(beginningAr.plus(creditSales).minus(endingAr).div(denominator).times(100));
}

/** Share of an amount recovered, percent with one decimal (null when nothing was asked). */
export function recoveryPct(paid: Decimal, asked: Decimal): number | null {
  if (asked.lte(0)) return null;
  return round1(Decimal.min(paid, asked).div(asked).times(100));
}
