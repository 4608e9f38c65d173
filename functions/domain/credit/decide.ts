/**
 * The credit decision for one order: ALLOW | ALLOW_WITH_PREPAYMENT (with the amount still to prepay) |
 * HOLD, every reason as data ({code, value, threshold, documents, …}), the policy version and how long
 * the answer holds (`validUntil`). Pure: the day, the instant and the end of the day come in.
 *
 * Rules, in order:
 * 1. No terms → NO_TERMS (hold).
 * 2. Overdue debt past its hold date, at or above the materiality floor → OVERDUE (per currency).
 * 3. An open claim case (when the policy says it holds) → CLAIM_OPEN.
 * 4. Exposure + this order's unprepaid part above a limit of the order's currency → OVER_LIMIT
 *    (scope contract, customer, group); a limit in another currency → NO_TERMS (no limit in it).
 * 5. Hold reasons present: an active override covering the order → not held (names the override);
 *    else flexible mode → ALLOW_WITH_PREPAYMENT (the excess over the limit when only limits are
 *    exceeded, else the whole order); else HOLD.
 * 6. Not held: the terms' prepayment share still unpaid → ALLOW_WITH_PREPAYMENT, else ALLOW.
 * The decision is monotonic: more overdue debt or more exposure never gives a better answer
 * (property-tested).
 */
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../dates.js';
import { money, roundMoney, type Currency, type Money } from '../money.js';
import { exposureOf, groupExposure, totalIn, type Exposure, type ExposureByCurrency } from './exposure.js';
import type { CreditFacts, CreditInvoice } from './facts.js';
import { overdueHolds, type HoldRules } from './holds.js';
import { applicableOverride, type Override } from './overrides.js';
import { policyVersionLabel, type CreditPolicy, type CreditTerms } from './policy.js';

export const DECISIONS = ['ALLOW', 'ALLOW_WITH_PREPAYMENT', 'HOLD'] as const;
export type Decision = (typeof DECISIONS)[number];
export const decisionRank = (d: Decision): number => DECISIONS.indexOf(d);

export type ReasonCode = 'OVERDUE' | 'OVER_LIMIT' | 'CLAIM_OPEN' | 'NO_TERMS';

export interface Reason {
  code: ReasonCode;
  /** What was found: an amount (decimal string), a case id … */
  value: string | null;
  /** What it was compared with: the floor, the limit … */
  threshold: string | null;
  currency?: Currency;
  /** Invoice numbers behind the reason. */
  documents: string[];
  scope?: 'customer' | 'contract' | 'group';
  /** OVERDUE: the first day the debt held, days overdue, and the letters sent for those invoices. */
  since?: CalendarDate;
  maxDaysOverdue?: number;
  daysOverdue?: number;
  letters?: { invoice: string; stage: string; runDate: CalendarDate }[];
  caseId?: string;
  message: string;
}

export interface CheckOrder {
  orderId: string;
  amount: Money;
  contractId?: string;
  /** Already prepaid for this order (counts neither as exposure nor as prepayment still due). */
  prepaid?: Money;
}

export interface GroupContext {
  groupId: string;
  limit?: Money;
  /** Exposure of the group's other customers. */
  others: readonly ExposureByCurrency[];
}

export interface CheckContext {
  policy: CreditPolicy;
  /** The customer's terms; undefined = none (NO_TERMS). */
  terms: CreditTerms | undefined;
  /** Terms of individual contracts (they override the customer's for that contract's invoices and orders). */
  contractTerms?: Record<string, CreditTerms>;
  group?: GroupContext;
  overrides: readonly Override[];
  holdRules: HoldRules;
  today: CalendarDate;
  /** ISO instant of the check. */
  now: string;
  /** ISO instant when `today` ends in the company's zone: overdue-ness can change then. */
  endOfDay: string;
}

export interface CreditDecision {
  customerId: string;
  orderId: string;
  decision: Decision;
  /** ALLOW_WITH_PREPAYMENT: what is still to prepay before shipping. */
  prepayment?: Money;
  reasons: Reason[];
  /** Set when an override turned a hold into a shipment. */
  override?: { overrideId: string; grantedBy: string; expiresAt: string; reason: string };
  policyVersion: string;
  asOf: CalendarDate;
  checkedAt: string;
  validUntil: string;
  /** Exposure before this order, per currency. */
  exposure: ExposureByCurrency;
  limit?: Money;
  mode?: CreditTerms['mode'];
}

const dm = (m: Money) => new Decimal(m.amount);

/** The order's part that adds to exposure (amount − prepaid, never below zero). */
export function netOrderAmount(order: CheckOrder): Money {
  const prepaid = order.prepaid && order.prepaid.currency === order.amount.currency ? dm(order.prepaid) : new Decimal(0);
  return money(Decimal.max(dm(order.amount).minus(prepaid), 0), order.amount.currency);
}

function limitReason(scope: 'customer' | 'contract' | 'group', limit: Money | undefined, exposure: ExposureByCurrency, net: Money): Reason | undefined {
  if (!limit) return undefined;
  if (limit.currency !== net.currency) {
    return {
      code: 'NO_TERMS',
      value: net.currency,
      threshold: limit.currency,
      documents: [],
      scope,
      message: `the ${scope} limit is in ${limit.currency}; orders in ${net.currency} have no limit`,
    };
  }
  const after = totalIn(exposure, net.currency);
  const afterOrder = dm(after).plus(net.amount);
  if (afterOrder.lte(limit.amount)) return undefined;
  return {
    code: 'OVER_LIMIT',
    value: money(afterOrder, net.currency).amount,
    threshold: limit.amount,
    currency: net.currency,
    documents: [],
    scope,
    message: `${scope} exposure with this order ${money(afterOrder, net.currency).amount} ${net.currency} exceeds the limit ${limit.amount}`,
  };
}

export function decideCredit(facts: CreditFacts, order: CheckOrder, ctx: CheckContext): CreditDecision {
  const exposure: Exposure = exposureOf(facts, ctx.now, { excludeOrderId: order.orderId });
  const base = {
    customerId: facts.customerId,
    orderId: order.orderId,
    policyVersion: policyVersionLabel(ctx.policy),
    asOf: ctx.today,
    checkedAt: ctx.now,
    exposure: exposure.byCurrency,
  };
  const terms = ctx.terms;
  if (!terms) {
    return {
      ...base,
      decision: 'HOLD',
      reasons: [{ code: 'NO_TERMS', value: null, threshold: null, documents: [], scope: 'customer', message: 'no credit terms for this customer' }],
      validUntil: ctx.endOfDay,
    };
  }
  const contractTerms = order.contractId ? ctx.contractTerms?.[order.contractId] : undefined;
  const orderTerms = contractTerms ?? terms;
  const termsFor = (inv: CreditInvoice) => (inv.contractId && ctx.contractTerms?.[inv.contractId]) || terms;
  const net = netOrderAmount(order);
  const holds: Reason[] = [];

  for (const h of overdueHolds(facts.invoices, termsFor, terms, ctx.holdRules, ctx.today)) {
    holds.push({
      code: 'OVERDUE',
      value: h.amount.amount,
      threshold: h.floor && h.floor.currency === h.currency ? h.floor.amount : '0',
      currency: h.currency,
      documents: h.documents,
      scope: 'customer',
      since: h.since,
      maxDaysOverdue: h.maxDaysOverdue,
      daysOverdue: h.daysOverdue,
      letters: h.letters,
      message: `${h.amount.amount} ${h.currency} overdue past the hold date ${h.since} (invoices ${h.documents.join(', ')})`,
    });
  }
  if (ctx.policy.holdOnOpenClaim && facts.openClaim) {
    holds.push({
      code: 'CLAIM_OPEN',
      value: facts.openClaim.caseId,
      threshold: null,
      documents: [],
      scope: 'customer',
      caseId: facts.openClaim.caseId,
      ...(facts.openClaim.openedOn ? { since: facts.openClaim.openedOn } : {}),
      message: `claim case ${facts.openClaim.caseId} is open`,
    });
  }
  const limits: Reason[] = [];
  if (contractTerms && order.contractId) {
    const r = limitReason('contract', contractTerms.limit, exposure.byContract[order.contractId] ?? {}, net);
    if (r) limits.push(r);
  }
  const cr = limitReason('customer', terms.limit, exposure.byCurrency, net);
  if (cr) limits.push(cr);
  if (ctx.group) {
    const gr = limitReason('group', ctx.group.limit, groupExposure([exposure.byCurrency, ...ctx.group.others]), net);
    if (gr) limits.push(gr);
  }
  const reasons = [...holds, ...limits];

  const pct = new Decimal(orderTerms.prepaymentPct);
  const prepaid = order.prepaid && order.prepaid.currency === order.amount.currency ? dm(order.prepaid) : new Decimal(0);
  const contractual = roundMoney(dm(order.amount).times(pct).div(100), order.amount.currency);
  const due = (required: Decimal) => Decimal.max(required.minus(prepaid), 0);
  const answer = (required: Decimal): Pick<CreditDecision, 'decision' | 'prepayment'> =>
    due(required).gt(0) ? { decision: 'ALLOW_WITH_PREPAYMENT', prepayment: money(due(required), order.amount.currency) } : { decision: 'ALLOW' };
  const common = { ...base, reasons, ...(terms.limit ? { limit: terms.limit } : {}), mode: terms.mode };

  if (!reasons.length) return { ...common, ...answer(dm(contractual)), validUntil: ctx.endOfDay };

  const ov = applicableOverride(ctx.overrides, { orderId: order.orderId, amount: net }, ctx.now);
  if (ov) {
    return {
      ...common,
      ...answer(dm(contractual)),
      override: { overrideId: ov.overrideId, grantedBy: ov.grantedBy, expiresAt: ov.expiresAt, reason: ov.reason },
      validUntil: ov.expiresAt < ctx.endOfDay ? ov.expiresAt : ctx.endOfDay,
    };
  }
  if (terms.mode === 'flexible' && !reasons.some((r) => r.code === 'NO_TERMS')) {
    let required = dm(order.amount);
    if (!holds.length) {
      // Only limits exceeded: prepay what goes over the tightest limit (at least the contractual share).
      const over = Decimal.max(...limits.map((r) => new Decimal(r.value ?? 0).minus(r.threshold ?? 0)));
      required = Decimal.min(dm(order.amount), Decimal.max(over.plus(prepaid), dm(contractual)));
    }
    return { ...common, ...answer(required), validUntil: ctx.endOfDay };
  }
  return { ...common, decision: 'HOLD', validUntil: ctx.endOfDay };
}
