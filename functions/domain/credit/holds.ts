/**
 * When overdue debt holds shipments, and what letters say about it. The credit check and the letters
 * both call these functions, so a letter never states a date or a state the check contradicts.
 *
 * An invoice's hold date (`holdFrom`, the first day it holds), by the policy's `holdStart`:
 * - `days-overdue`:     dueDate + maxDaysOverdue + 1 (docs/rules.md §4: "more than 5 days overdue");
 * - `warning-deadline`: the day after the deadline the warning letter stated (runDate + payWithinDays,
 *                       inclusive, so held from runDate + payWithinDays + 1); a claim or litigation
 *                       letter — "shipments are stopped" — holds from its own date if that is earlier;
 *                       an invoice no letter has warned about does not hold.
 * On a day `t` the overdue debt holds when, in some currency, the outstanding amounts of the invoices
 * with holdFrom ≤ t add up to at least the materiality floor (in another currency than the floor's: to
 * anything above zero). Pure.
 */
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, minDate, type CalendarDate } from '../dates.js';
import { money, type Currency, type Money } from '../money.js';
import type { StageName } from '../policy/schema.js';
import type { CreditInvoice } from './facts.js';
import type { CreditTerms, HoldStartRule } from './policy.js';

export interface HoldRules {
  holdStart: HoldStartRule;
  /** Days the warning letter gives to pay (the dunning policy's warning `payWithinDays`). */
  warningPayWithinDays: number;
}

type Letters = CreditInvoice['letters'];
const firstLetter = (letters: Letters, stages: readonly StageName[]) => (letters ?? []).filter((l) => stages.includes(l.stage)).sort((a, b) => (a.runDate < b.runDate ? -1 : 1))[0];

/** The first day an invoice holds shipments, or undefined when it does not (yet) hold under the rule. */
export function holdFrom(inv: Pick<CreditInvoice, 'dueDate' | 'letters'>, terms: Pick<CreditTerms, 'maxDaysOverdue'>, rules: HoldRules): CalendarDate | undefined {
  if (rules.holdStart === 'days-overdue') return addDays(inv.dueDate, terms.maxDaysOverdue + 1);
  const warning = firstLetter(inv.letters, ['warning']);
  const stopped = firstLetter(inv.letters, ['claim', 'litigation']);
  const fromWarning = warning ? addDays(warning.runDate, rules.warningPayWithinDays + 1) : undefined;
  if (fromWarning && stopped) return minDate(fromWarning, stopped.runDate);
  return fromWarning ?? stopped?.runDate;
}

export interface OverdueHold {
  currency: Currency;
  /** Σ outstanding of the invoices past their hold date. */
  amount: Money;
  floor?: Money;
  /** Invoice numbers, oldest hold date first. */
  documents: string[];
  invoiceIds: string[];
  /** The earliest hold date among them. */
  since: CalendarDate;
  maxDaysOverdue: number;
  /** The most days overdue among them. */
  daysOverdue: number;
  /** Letters sent for these invoices: [{invoice, stage, runDate}]. */
  letters: { invoice: string; stage: StageName; runDate: CalendarDate }[];
}

/** Terms that apply to an invoice: its contract's when it has them, else the customer's. */
export type TermsFor = (inv: CreditInvoice) => CreditTerms;

interface Dated {
  inv: CreditInvoice;
  from: CalendarDate;
  terms: CreditTerms;
}

function dated(invoices: readonly CreditInvoice[], termsFor: TermsFor, rules: HoldRules): Dated[] {
  const out: Dated[] = [];
  for (const inv of invoices) {
    if (!new Decimal(inv.outstanding.amount).gt(0)) continue;
    const terms = termsFor(inv);
    const from = holdFrom(inv, terms, rules);
    if (from) out.push({ inv, from, terms });
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.inv.invoiceId < b.inv.invoiceId ? -1 : 1));
}

const reaches = (sum: Decimal, currency: Currency, floor: Money | undefined): boolean => (floor && floor.currency === currency ? sum.gte(floor.amount) && sum.gt(0) : sum.gt(0));

/** The overdue holds on day `today`, one per currency that reaches the floor. */
export function overdueHolds(invoices: readonly CreditInvoice[], termsFor: TermsFor, customerTerms: CreditTerms, rules: HoldRules, today: CalendarDate): OverdueHold[] {
  const by = new Map<Currency, Dated[]>();
  for (const d of dated(invoices, termsFor, rules)) {
    if (d.from > today) continue;
    const c = d.inv.outstanding.currency;
    by.set(c, [...(by.get(c) ?? []), d]);
  }
  const out: OverdueHold[] = [];
  for (const c of [...by.keys()].sort()) {
    const ds = by.get(c)!;
    const sum = ds.reduce((s, d) => s.plus(d.inv.outstanding.amount), new Decimal(0));
    const floor = customerTerms.materialityFloor;
    if (!reaches(sum, c, floor)) continue;
    out.push({
      currency: c,
      amount: money(sum, c),
      ...(floor ? { floor } : {}),
      documents: ds.map((d) => d.inv.number),
      invoiceIds: ds.map((d) => d.inv.invoiceId),
      since: ds[0]!.from,
      maxDaysOverdue: customerTerms.maxDaysOverdue,
      daysOverdue: Math.max(...ds.map((d) => daysBetween(d.inv.dueDate, today))),
      letters: ds.flatMap((d) => (d.inv.letters ?? []).map((l) => ({ invoice: d.inv.number, stage: l.stage, runDate: l.runDate }))),
    });
  }
  return out;
}

/** The first day on which the overdue debt holds, if nothing is paid; undefined when it never does. */
export function firstOverdueHoldDay(invoices: readonly CreditInvoice[], termsFor: TermsFor, customerTerms: CreditTerms, rules: HoldRules): CalendarDate | undefined {
  const sums = new Map<Currency, Decimal>();
  for (const d of dated(invoices, termsFor, rules)) {
    const c = d.inv.outstanding.currency;
    const s = (sums.get(c) ?? new Decimal(0)).plus(d.inv.outstanding.amount);
    sums.set(c, s);
    if (reaches(s, c, customerTerms.materialityFloor)) return d.from;
  }
  return undefined;
}

/**
 * What a letter says about shipments:
 * - `stopped`: shipments are stopped (since `since`) until the overdue debt is paid;
 * - `will-stop`: shipments stop from `from` unless the overdue debt is paid by the day before (`lastDay`);
 * - `none`: the letter says nothing about shipments (the debt never holds, e.g. below the floor).
 */
/**
 * `prepaymentOnly`: the customer's terms are flexible, so a hold means shipping only against prepayment
 * (the check answers ALLOW_WITH_PREPAYMENT, not HOLD): the letter must say that, not "stopped".
 */
export type ShipmentNotice =
  | { state: 'stopped'; since: CalendarDate; prepaymentOnly?: true }
  | { state: 'will-stop'; from: CalendarDate; lastDay: CalendarDate; prepaymentOnly?: true }
  | { state: 'none' };

/**
 * The shipment sentence of a letter sent on `runDate` at `stage`. `invoices` are all the customer's open
 * invoices with their letters, *including the letter being sent* (so the warning's own deadline
 * counts). A claim or litigation letter opens a claim case, which holds when the policy says so.
 */
export function shipmentNotice(args: {
  invoices: readonly CreditInvoice[];
  termsFor: TermsFor;
  customerTerms: CreditTerms;
  rules: HoldRules;
  runDate: CalendarDate;
  /** A claim case is (or, with this letter, will be) open since this date and holds. */
  claimHoldsFrom?: CalendarDate;
}): ShipmentNotice {
  const overdue = firstOverdueHoldDay(args.invoices, args.termsFor, args.customerTerms, args.rules);
  const first = overdue && args.claimHoldsFrom ? minDate(overdue, args.claimHoldsFrom) : (overdue ?? args.claimHoldsFrom);
  if (!first) return { state: 'none' };
  const flexible = args.customerTerms.mode === 'flexible' ? { prepaymentOnly: true as const } : {};
  if (first <= args.runDate) return { state: 'stopped', since: first, ...flexible };
  return { state: 'will-stop', from: first, lastDay: addDays(first, -1), ...flexible };
}
