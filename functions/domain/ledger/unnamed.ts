/**
 * How money that names no debt is split over open debts — the one rule the ledger fold and the
 * penalty calculator share (pure).
 *
 * ГК РФ ст. 319.1 п. 3 and ст. 522 п. 3 (for utilities ПП РФ № 354 п. 118): when the payer does not
 * say which debt it pays, the debt whose due date came first is paid first; debts due on the same day
 * are paid in proportion to their amounts. So: debts are taken by due date; within one due date, if the
 * money covers the whole group every debt is paid in full, otherwise each gets
 * money × its open amount ÷ the group's open amount, rounded to the currency's minor unit by the
 * largest-remainder method (the shares add up to the money exactly; a remainder tie goes to the larger
 * debt, then to the debt that sorts first by `tie`, so the result does not depend on the order in which
 * the debts are listed).
 */
import { Decimal } from 'decimal.js';

export interface UnnamedDebt {
  /** Due date (last day to pay), YYYY-MM-DD. */
  due: string;
  /** Open amount, > 0. */
  open: Decimal;
  /** Deterministic tie-breaker among equal debts of one day (e.g. issue date + id). */
  tie: string;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Splits `money` over `debts` (any order). Returns each debt's share, aligned with the input; the
 * shares add up to min(money, Σ open) and never exceed a debt's open amount. `decimals` = the
 * currency's minor-unit digits.
 */
export function splitUnnamed(money: Decimal, debts: readonly UnnamedDebt[], decimals: number): Decimal[] {
  const shares = debts.map(() => new Decimal(0));
  let left = money;
  const order = debts.map((_, i) => i).sort((a, b) => cmp(debts[a]!.due, debts[b]!.due));
  let i = 0;
  while (i < order.length && left.gt(0)) {
    const due = debts[order[i]!]!.due;
    const group: number[] = [];
    while (i < order.length && debts[order[i]!]!.due === due) group.push(order[i++]!);
    const total = group.reduce((s, k) => s.plus(debts[k]!.open), new Decimal(0));
    if (total.lte(0)) continue;
    if (left.gte(total)) {
      for (const k of group) shares[k] = debts[k]!.open;
      left = left.minus(total);
      continue;
    }
    // Pro rata within the group, largest remainder in minor units.
    const unit = new Decimal(1).div(new Decimal(10).pow(decimals));
    const exact = group.map((k) => left.times(debts[k]!.open).div(total));
    const floors = exact.map((x) => x.toDecimalPlaces(decimals, Decimal.ROUND_DOWN));
    let rest = left.minus(floors.reduce((s, x) => s.plus(x), new Decimal(0)));
    const byRemainder = group
      .map((k, j) => ({ k, j, r: exact[j]!.minus(floors[j]!) }))
      .sort((a, b) => b.r.comparedTo(a.r) || debts[b.k]!.open.comparedTo(debts[a.k]!.open) || cmp(debts[a.k]!.tie, debts[b.k]!.tie));
    for (const x of byRemainder) {
      if (rest.lt(unit)) break;
      if (floors[x.j]!.plus(unit).gt(debts[x.k]!.open)) continue;
      floors[x.j] = floors[x.j]!.plus(unit);
      rest = rest.minus(unit);
    }
    group.forEach((k, j) => {
      shares[k] = floors[j]!;
    });
    left = new Decimal(0);
  }
  return shares;
}
