/**
 * The dunning decision for one customer as of a run date (pure).
 *
 * Per invoice, in this order:
 *  1. void → skipped 'void'; paid (status 'paid' or outstanding <= 0) → skipped 'paid'. Never dunned.
 *  2. paused → skipped 'paused'. A pause (customer-wide or for one invoice; dispute, promise to pay,
 *     payment schedule or manual) is active while runDate <= until: the `until` date is INCLUSIVE, dunning
 *     resumes the day after. When several pauses apply, the latest `until` is reported.
 *  3. stage: the age (runDate − dueDate, days) calls for the highest enabled stage whose window contains it
 *     (see schema.ts). No window → skipped 'not-due'.
 *  3a. pre-trial claim: litigation only for an invoice a sent claim letter covered (АПК РФ ст. 4 ч. 5, ГПК РФ
 *     ст. 132: a suit without one is returned). An invoice whose age calls for litigation without such a
 *     claim gets the claim at this run and reaches litigation on a later one ('no-claim' when the policy
 *     has no claim stage).
 *  4. history: the stage never repeats for an invoice ('already-sent') and never goes backwards
 *     ('backwards': a higher stage was already sent). An invoice that first becomes eligible late (e.g.
 *     after a pause, or imported late) enters at the stage its age calls for; lower stages are not sent
 *     retroactively.
 *  5. minimum gap: a customer-facing letter needs runDate − lastLetterDate >= policy.minGapDays. A
 *     lastLetterDate equal to runDate is the same run (a retry or re-run of that date: the outbox decides
 *     duplicates), so it does not block. Litigation notices are internal and ignore the gap.
 *  6. threshold: when the stage has minTotal, the customer's invoices at that stage in that currency must
 *     add up to at least minTotal ('below-threshold'; they stay eligible). Other currencies are unaffected.
 *  7. channels: none available ('no-contact', e.g. no usable email and no postal address).
 * What remains is grouped into one letter plan per stage.
 */
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, type CalendarDate } from '../dates.js';
import { add, money, zero, type Currency, type Money } from '../money.js';
import type { InvoiceView } from '../ledger/invoice-view.js';
import { channelsFor, type Channel, type Contact } from './channels.js';
import { STAGES, stageRank, type Policy, type PolicyRef, type StageName } from './schema.js';

/** The minimum an invoice needs to be decided on; OpenInvoiceView satisfies it. Extra fields pass through. */
export type DunnableInvoice = Pick<InvoiceView, 'invoiceId' | 'number' | 'dueDate' | 'outstanding' | 'status'>;

export type PauseKind = 'dispute' | 'promise' | 'schedule' | 'manual';
export interface Pause {
  scope: 'customer' | 'invoice';
  /** Required when scope is 'invoice'. */
  invoiceId?: string;
  kind: PauseKind;
  /** Inclusive: paused on this date, dunned again from the next day. */
  until: CalendarDate;
  reason?: string;
}

/** A stage already sent for an invoice (from the outbox / letters history). */
export interface SentStage {
  invoiceId: string;
  stage: StageName;
  sentOn?: CalendarDate;
}

export type SkipReason =
  | { code: 'void' }
  | { code: 'paid' }
  | { code: 'paused'; kind: PauseKind; scope: 'customer' | 'invoice'; until: CalendarDate }
  | { code: 'not-due' }
  | { code: 'already-sent'; stage: StageName }
  | { code: 'backwards'; sent: StageName }
  | { code: 'gap'; lastLetterDate: CalendarDate; nextAllowed: CalendarDate }
  | { code: 'below-threshold'; total: Money; minTotal: Money }
  | { code: 'no-contact'; note: string }
  /** Litigation is due but no claim letter covered the invoice and the policy sends no claims. */
  | { code: 'no-claim' };

export interface SkippedInvoice {
  invoiceId: string;
  number: string;
  daysOverdue: number;
  /** The stage the invoice's age calls for, when there is one. */
  stage?: StageName;
  reason: SkipReason;
  /** Plain words for operators. */
  message: string;
}

export type DueInvoice<T extends DunnableInvoice> = T & { daysOverdue: number };

export interface StagePlan<T extends DunnableInvoice = DunnableInvoice> {
  stage: StageName;
  channels: Channel[];
  emailRole?: 'primary' | 'copy';
  channelNote?: string;
  /** Template ids per locale from the policy. */
  templates: { ru: string; en: string };
  payWithinDays?: number;
  minTotal?: Money;
  invoices: DueInvoice<T>[];
  /** Outstanding per currency, sorted by currency. */
  totals: Money[];
}

export interface CustomerDecision<T extends DunnableInvoice = DunnableInvoice> {
  runDate: CalendarDate;
  policy: PolicyRef;
  /** One plan per stage that goes out, in stage order. */
  stages: StagePlan<T>[];
  skipped: SkippedInvoice[];
}

export interface DecideInput<T extends DunnableInvoice> {
  policy: Policy;
  /** Defaults to { name, version, overrides: [] } of `policy`. */
  policyRef?: PolicyRef;
  runDate: CalendarDate;
  invoices: readonly T[];
  history: readonly SentStage[];
  pauses: readonly Pause[];
  /** Date of the last run that wrote to this customer (customer-facing letters only). */
  lastLetterDate?: CalendarDate;
  contact: Contact;
}

/** The stage an age (days relative to due date) calls for, or undefined. Highest matching stage wins. */
export function stageForAge(policy: Policy, daysOverdue: number): StageName | undefined {
  let found: StageName | undefined;
  for (const s of STAGES) {
    const r = policy.stages[s];
    if (!r?.enabled) continue;
    if (daysOverdue >= r.window.from && (r.window.to === undefined || daysOverdue <= r.window.to)) found = s;
  }
  return found;
}

export const daysOverdueOn = (dueDate: CalendarDate, runDate: CalendarDate): number => daysBetween(dueDate, runDate);

const isPaid = (inv: DunnableInvoice): boolean => inv.status === 'paid' || new Decimal(inv.outstanding.amount).lte(0);

function totalsOf(invoices: readonly DunnableInvoice[]): Money[] {
  const by = new Map<Currency, Money>();
  for (const i of invoices) by.set(i.outstanding.currency, add(by.get(i.outstanding.currency) ?? zero(i.outstanding.currency), i.outstanding));
  return [...by.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

function activePause(pauses: readonly Pause[], invoiceId: string, runDate: CalendarDate): Pause | undefined {
  let best: Pause | undefined;
  for (const p of pauses) {
    if (p.scope === 'invoice' && p.invoiceId !== invoiceId) continue;
    if (runDate > p.until) continue;
    if (!best || p.until > best.until) best = p;
  }
  return best;
}

function message(r: SkipReason, stage?: StageName): string {
  switch (r.code) {
    case 'void':
      return 'invoice is void';
    case 'paid':
      return 'invoice is paid';
    case 'paused':
      return `${r.kind === 'promise' ? 'promise to pay' : r.kind === 'schedule' ? 'payment schedule' : r.kind === 'dispute' ? 'disputed' : 'paused by an operator'}: no letters until ${r.until} inclusive${r.scope === 'customer' ? ' (whole customer)' : ''}`;
    case 'not-due':
      return 'no stage is due at this age';
    case 'already-sent':
      return `${r.stage} was already sent for this invoice`;
    case 'backwards':
      return `${stage ?? 'this stage'} would go backwards: ${r.sent} was already sent`;
    case 'gap':
      return `last letter on ${r.lastLetterDate}: next one allowed from ${r.nextAllowed}`;
    case 'below-threshold':
      return `${stage} total ${r.total.amount} ${r.total.currency} is below the minimum ${r.minTotal.amount} ${r.minTotal.currency}`;
    case 'no-contact':
      return r.note;
    case 'no-claim':
      return 'litigation needs a pre-trial claim first, and this policy sends no claim letters';
  }
}

export function decideCustomer<T extends DunnableInvoice>(input: DecideInput<T>): CustomerDecision<T> {
  const { policy, runDate } = input;
  const ref: PolicyRef = input.policyRef ?? { name: policy.name, version: policy.version, overrides: [] };
  const skipped: SkippedInvoice[] = [];
  const skip = (inv: T, daysOverdue: number, reason: SkipReason, stage?: StageName): void => {
    skipped.push({ invoiceId: inv.invoiceId, number: inv.number, daysOverdue, ...(stage ? { stage } : {}), reason, message: message(reason, stage) });
  };

  const highestSent = new Map<string, StageName>();
  for (const h of input.history) {
    const cur = highestSent.get(h.invoiceId);
    if (!cur || stageRank(h.stage) > stageRank(cur)) highestSent.set(h.invoiceId, h.stage);
  }

  const claimed = new Set(input.history.filter((h) => h.stage === 'claim').map((h) => h.invoiceId));

  const gapBlocked = input.lastLetterDate !== undefined && input.lastLetterDate !== runDate && daysBetween(input.lastLetterDate, runDate) < policy.minGapDays;

  const byStage = new Map<StageName, DueInvoice<T>[]>();
  for (const inv of input.invoices) {
    const age = daysOverdueOn(inv.dueDate, runDate);
    if (inv.status === 'void') {
      skip(inv, age, { code: 'void' });
      continue;
    }
    if (isPaid(inv)) {
      skip(inv, age, { code: 'paid' });
      continue;
    }
    let stage = stageForAge(policy, age);
    const pause = activePause(input.pauses, inv.invoiceId, runDate);
    if (pause) {
      skip(inv, age, { code: 'paused', kind: pause.kind, scope: pause.scope, until: pause.until }, stage);
      continue;
    }
    if (!stage) {
      skip(inv, age, { code: 'not-due' });
      continue;
    }
    const sent = highestSent.get(inv.invoiceId);
    // No litigation without a pre-trial claim: an invoice no claim letter covered gets the claim first.
    if (stage === 'litigation' && sent !== 'litigation' && !claimed.has(inv.invoiceId)) {
      if (!policy.stages.claim?.enabled) {
        skip(inv, age, { code: 'no-claim' }, stage);
        continue;
      }
      stage = 'claim';
    }
    if (sent === stage) {
      skip(inv, age, { code: 'already-sent', stage }, stage);
      continue;
    }
    if (sent && stageRank(sent) > stageRank(stage)) {
      skip(inv, age, { code: 'backwards', sent }, stage);
      continue;
    }
    if (gapBlocked && policy.stages[stage]!.channel.primary !== 'legal') {
      skip(inv, age, { code: 'gap', lastLetterDate: input.lastLetterDate!, nextAllowed: addDays(input.lastLetterDate!, policy.minGapDays) }, stage);
      continue;
    }
    const list = byStage.get(stage) ?? [];
    list.push({ ...inv, daysOverdue: age });
    byStage.set(stage, list);
  }

  const stages: StagePlan<T>[] = [];
  for (const stage of STAGES) {
    let invoices = byStage.get(stage);
    if (!invoices?.length) continue;
    const rule = policy.stages[stage]!;
    const minTotal = rule.minTotal ? money(rule.minTotal.amount, rule.minTotal.currency as Currency) : undefined;
    if (minTotal) {
      const total = totalsOf(invoices.filter((i) => i.outstanding.currency === minTotal.currency))[0];
      if (total && new Decimal(total.amount).lt(minTotal.amount)) {
        for (const i of invoices.filter((x) => x.outstanding.currency === minTotal.currency)) skip(i, i.daysOverdue, { code: 'below-threshold', total, minTotal }, stage);
        invoices = invoices.filter((i) => i.outstanding.currency !== minTotal.currency);
        if (!invoices.length) continue;
      }
    }
    const plan = channelsFor(stage, input.contact, policy);
    if (!plan.channels.length) {
      for (const i of invoices) skip(i, i.daysOverdue, { code: 'no-contact', note: plan.note ?? 'no channel' }, stage);
      continue;
    }
    stages.push({
      stage,
      channels: plan.channels,
      ...(plan.emailRole ? { emailRole: plan.emailRole } : {}),
      ...(plan.note ? { channelNote: plan.note } : {}),
      templates: rule.templates,
      ...(rule.payWithinDays !== undefined ? { payWithinDays: rule.payWithinDays } : {}),
      ...(minTotal ? { minTotal } : {}),
      invoices: invoices.sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.number.localeCompare(b.number))),
      totals: totalsOf(invoices),
    });
  }
  return { runDate, policy: ref, stages, skipped };
}

export interface OutstandingChange {
  stage: StageName;
  invoiceId: string;
  before: Money;
  now: Money;
}

export interface RecheckResult<T extends DunnableInvoice> extends CustomerDecision<T> {
  /** Invoices dropped since the decision (paid, void, below threshold after a partial payment). */
  cancelled: SkippedInvoice[];
  /** Partial payments: the letter now shows the fresh outstanding amount. */
  updated: OutstandingChange[];
}

/**
 * Checks a decision against a fresh, consistent read of the customer's invoices right before sending.
 * An invoice missing from `fresh` (no longer open), paid, void or with outstanding <= 0 is cancelled;
 * a changed outstanding amount replaces the decided one. A stage whose invoices are all gone is dropped,
 * and a stage with a threshold is re-checked against the new totals.
 */
export function recheckBeforeSend<T extends DunnableInvoice>(decision: CustomerDecision<T>, fresh: readonly DunnableInvoice[]): RecheckResult<T> {
  const byId = new Map(fresh.map((f) => [f.invoiceId, f]));
  const cancelled: SkippedInvoice[] = [];
  const updated: OutstandingChange[] = [];
  const stages: StagePlan<T>[] = [];
  const cancel = (i: DueInvoice<T>, reason: SkipReason, stage: StageName): void => {
    cancelled.push({ invoiceId: i.invoiceId, number: i.number, daysOverdue: i.daysOverdue, stage, reason, message: `${message(reason, stage)} (checked right before sending)` });
  };
  for (const plan of decision.stages) {
    let kept: DueInvoice<T>[] = [];
    for (const inv of plan.invoices) {
      const f = byId.get(inv.invoiceId);
      if (f?.status === 'void') {
        cancel(inv, { code: 'void' }, plan.stage);
        continue;
      }
      if (!f || isPaid(f)) {
        cancel(inv, { code: 'paid' }, plan.stage);
        continue;
      }
      if (f.outstanding.currency !== inv.outstanding.currency || f.outstanding.amount !== inv.outstanding.amount) {
        updated.push({ stage: plan.stage, invoiceId: inv.invoiceId, before: inv.outstanding, now: f.outstanding });
        kept.push({ ...inv, outstanding: f.outstanding });
      } else kept.push(inv);
    }
    const minTotal = plan.minTotal;
    if (minTotal && kept.length) {
      const total = totalsOf(kept.filter((i) => i.outstanding.currency === minTotal.currency))[0];
      if (total && new Decimal(total.amount).lt(minTotal.amount)) {
        for (const i of kept.filter((x) => x.outstanding.currency === minTotal.currency)) cancel(i, { code: 'below-threshold', total, minTotal }, plan.stage);
        kept = kept.filter((i) => i.outstanding.currency !== minTotal.currency);
      }
    }
    if (kept.length) stages.push({ ...plan, invoices: kept, totals: totalsOf(kept) });
  }
  return { ...decision, stages, skipped: [...decision.skipped, ...cancelled], cancelled, updated };
}
