/**
 * Exposure = open invoices + active reservations − unapplied credit, per currency; per contract, per
 * customer and per group of related customers. Unapplied credit belongs to the customer, not to a
 * contract, so a contract's exposure does not subtract it (the conservative side). Pure.
 *
 * Additivity (property-tested): a customer's invoices and reservations are the sums over its contracts
 * (plus the documents without a contract), and a group's exposure is the sum of its customers'.
 */
import { Decimal } from 'decimal.js';
import { money, type Currency, type Money } from '../money.js';
import { isActiveReservation, type CreditFacts } from './facts.js';

export interface ExposureLine {
  invoices: string;
  reservations: string;
  unappliedCredit: string;
  /** invoices + reservations − unappliedCredit (may be negative: the customer is in credit). */
  total: string;
}
export type ExposureByCurrency = Partial<Record<Currency, ExposureLine>>;

/** The key of documents without a contract in `byContract`. */
export const NO_CONTRACT = '(none)';

export interface Exposure {
  byCurrency: ExposureByCurrency;
  byContract: Record<string, ExposureByCurrency>;
}

interface Acc {
  inv: Decimal;
  res: Decimal;
  credit: Decimal;
}
const acc = (): Acc => ({ inv: new Decimal(0), res: new Decimal(0), credit: new Decimal(0) });
function line(a: Acc, currency: Currency): ExposureLine {
  return {
    invoices: money(a.inv, currency).amount,
    reservations: money(a.res, currency).amount,
    unappliedCredit: money(a.credit, currency).amount,
    total: money(a.inv.plus(a.res).minus(a.credit), currency).amount,
  };
}
function lines(m: Map<Currency, Acc>): ExposureByCurrency {
  const out: ExposureByCurrency = {};
  for (const c of [...m.keys()].sort()) out[c] = line(m.get(c)!, c);
  return out;
}
const get = (m: Map<Currency, Acc>, c: Currency): Acc => {
  let a = m.get(c);
  if (!a) m.set(c, (a = acc()));
  return a;
};

/** Exposure of one customer at `now` (ISO instant), optionally leaving one order's reservation out. */
export function exposureOf(facts: CreditFacts, now: string, opts: { excludeOrderId?: string } = {}): Exposure {
  const customer = new Map<Currency, Acc>();
  const contracts = new Map<string, Map<Currency, Acc>>();
  const contractAcc = (id: string | undefined, c: Currency) => {
    const k = id ?? NO_CONTRACT;
    let m = contracts.get(k);
    if (!m) contracts.set(k, (m = new Map()));
    return get(m, c);
  };
  for (const i of facts.invoices) {
    const d = new Decimal(i.outstanding.amount);
    if (d.lte(0)) continue;
    get(customer, i.outstanding.currency).inv = get(customer, i.outstanding.currency).inv.plus(d);
    const a = contractAcc(i.contractId, i.outstanding.currency);
    a.inv = a.inv.plus(d);
  }
  for (const r of facts.reservations) {
    if (!isActiveReservation(r, now) || r.orderId === opts.excludeOrderId) continue;
    const d = new Decimal(r.amount.amount);
    get(customer, r.amount.currency).res = get(customer, r.amount.currency).res.plus(d);
    const a = contractAcc(r.contractId, r.amount.currency);
    a.res = a.res.plus(d);
  }
  for (const c of facts.unappliedCredit) {
    const d = new Decimal(c.amount);
    if (d.lte(0)) continue;
    get(customer, c.currency).credit = get(customer, c.currency).credit.plus(d);
  }
  const byContract: Record<string, ExposureByCurrency> = {};
  for (const k of [...contracts.keys()].sort()) byContract[k] = lines(contracts.get(k)!);
  return { byCurrency: lines(customer), byContract };
}

/** A group's exposure: the sum of its customers' (per currency). */
export function groupExposure(members: readonly ExposureByCurrency[]): ExposureByCurrency {
  const m = new Map<Currency, Acc>();
  for (const e of members) {
    for (const [c, l] of Object.entries(e) as [Currency, ExposureLine][]) {
      const a = get(m, c);
      a.inv = a.inv.plus(l.invoices);
      a.res = a.res.plus(l.reservations);
      a.credit = a.credit.plus(l.unappliedCredit);
    }
  }
  return lines(m);
}

/** The total exposure in one currency (zero when none). */
export const totalIn = (e: ExposureByCurrency, currency: Currency): Money => money(e[currency]?.total ?? 0, currency);
