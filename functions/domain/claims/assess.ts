/**
 * The figures of a claim case, computed from the customer's ledger state as of a date: the basis
 * invoices with what is still outstanding, days overdue, principal, penalty (contract terms, or ГК 395
 * when the contract has none), price of the claim, estimated state duty and the total. Pure.
 */
import { Decimal } from 'decimal.js';
import { daysBetween, type CalendarDate } from '../dates.js';
import { courtOrderEligible, stateDuty } from '../duty/index.js';
import type { LedgerState } from '../ledger/fold.js';
import { money, type Currency, type Money } from '../money.js';
import { penaltyForInvoices, type PenaltyForInvoices } from '../penalties/for-invoices.js';
import type { RuleData } from '../rules/index.js';
import type { CaseDuty, CaseInvoice, CasePenalty, CasePenaltyPart, CourtType } from './model.js';

export interface CustomerIdentity {
  legalName?: string;
  taxId?: string;
}

const IP_NAME = /^\s*(ИП|И\.\s?П\.|индивидуальный\s+предприниматель)(\s|$)/i;

/**
 * Default court: arbitration for legal entities (INN of 10 digits) and individual entrepreneurs
 * (name starting with "ИП" / "Индивидуальный предприниматель"); general jurisdiction for individuals
 * (12-digit INN without ИП, or no INN). An operator can change it on the case.
 */
export function defaultCourt(c: CustomerIdentity): CourtType {
  if (c.taxId && /^\d{10}$/.test(c.taxId)) return 'arbitration';
  if (c.legalName && IP_NAME.test(c.legalName)) return 'arbitration';
  return 'general';
}

export interface Assessment {
  currency: Currency;
  basis: CaseInvoice[];
  daysOverdue: number;
  principal: Money;
  penalty: CasePenalty;
  claimPrice: Money;
  estimatedDuty: CaseDuty;
  total: Money;
  /** Invoice ids asked for that the ledger does not know or that are in another currency. */
  skipped: { invoiceId: string; reason: string }[];
  /** The full penalty calculation (itemized periods), for the package. */
  penaltyDetail?: PenaltyForInvoices;
}

export interface AssessInput {
  caseId: string;
  state: LedgerState;
  /** Basis invoice ids with the date each was added to the case. */
  invoices: { invoiceId: string; addedOn: CalendarDate }[];
  asOf: CalendarDate;
  court: CourtType;
  rules: RuleData;
  /** Currency of the case (default: the first basis invoice's). */
  currency?: Currency;
}

/** Duty for the price of the claim, filed on `filedOn`; the court-order variant when price ≤ 500 000. */
export function estimateDuty(price: Money, court: CourtType, filedOn: CalendarDate, rules: RuleData): CaseDuty {
  if (!new Decimal(price.amount).gt(0)) {
    return { court, courtOrder: false, amount: money(0, price.currency), table: '—', formula: 'nothing to claim', filedOn };
  }
  const courtOrder = courtOrderEligible(price.amount);
  const d = stateDuty({ court, price: price.amount, filedOn, courtOrder }, rules);
  return { court, courtOrder, amount: money(d.duty, price.currency), table: d.table, formula: d.formula, filedOn };
}

export function assess(input: AssessInput): Assessment {
  const { state, asOf, court, rules } = input;
  const byId = new Map(state.invoices.map((i) => [i.invoiceId, i]));
  const skipped: Assessment['skipped'] = [];
  const known = input.invoices.filter((x) => {
    const ok = byId.has(x.invoiceId);
    if (!ok) skipped.push({ invoiceId: x.invoiceId, reason: 'unknown to the ledger' });
    return ok;
  });
  const currency: Currency = input.currency ?? byId.get(known[0]?.invoiceId ?? '')?.amount.currency ?? 'RUB';
  const basis: CaseInvoice[] = [];
  for (const x of known) {
    const inv = byId.get(x.invoiceId)!;
    if (inv.amount.currency !== currency) {
      skipped.push({ invoiceId: x.invoiceId, reason: `in ${inv.amount.currency}, the case is in ${currency}` });
      continue;
    }
    const outstanding = inv.status === 'open' ? inv.outstanding : money(0, currency);
    const overdue = new Decimal(outstanding.amount).gt(0) ? Math.max(0, daysBetween(inv.dueDate, asOf)) : 0;
    basis.push({
      invoiceId: inv.invoiceId,
      number: inv.number,
      ...(inv.contractId ? { contractId: inv.contractId } : {}),
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      amount: inv.amount,
      outstanding,
      daysOverdue: overdue,
      addedOn: x.addedOn,
    });
  }
  basis.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.invoiceId < b.invoiceId ? -1 : 1));
  const principal = money(
    basis.reduce((s, i) => s.plus(i.outstanding.amount), new Decimal(0)),
    currency,
  );
  const daysOverdue = basis.reduce((m, i) => Math.max(m, i.daysOverdue), 0);

  const detail = basis.length
    ? penaltyForInvoices(
        state,
        basis.map((i) => i.invoiceId),
        asOf,
        rules,
      )
    : undefined;
  const parts: CasePenaltyPart[] = (detail?.parts ?? []).map((p) => {
    const contract = p.contractId ? state.contracts[p.contractId] : undefined;
    const terms = contract?.penalty?.rule === 'contractual' ? contract.penalty : undefined;
    return {
      ...(p.contractId ? { contractId: p.contractId } : {}),
      rule: p.result.rule,
      basis: p.basis,
      ...(terms ? { ratePctPerDay: terms.ratePctPerDay, ...(terms.capPct ? { capPct: terms.capPct } : {}) } : {}),
      total: p.result.total,
      invoiceIds: basis.filter((i) => (i.contractId ?? '') === (p.contractId ?? '') && i.dueDate < asOf).map((i) => i.invoiceId),
      periods: p.result.periods.length,
      rulesVersion: p.result.rulesVersion,
    };
  });
  const penaltyAmount = money(new Decimal(detail?.total ?? 0), currency);
  const penalty: CasePenalty = {
    amount: penaltyAmount,
    asOf,
    basis: detail?.basis ?? '—',
    parts,
    reference: `cases/${input.caseId}/calculation.json`,
  };
  const claimPrice = money(new Decimal(principal.amount).plus(penaltyAmount.amount), currency);
  const estimatedDuty = estimateDuty(claimPrice, court, asOf, rules);
  const total = money(new Decimal(claimPrice.amount).plus(estimatedDuty.amount.amount), currency);
  return {
    currency,
    basis,
    daysOverdue,
    principal,
    penalty,
    claimPrice,
    estimatedDuty,
    total,
    skipped,
    ...(detail ? { penaltyDetail: detail } : {}),
  };
}
