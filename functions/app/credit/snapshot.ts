/**
 * Builds a customer's credit snapshot from its partition (ledger entries, letters, promises, claim
 * case, credit profile) and the current snapshot (reservations and overrides live only there), and
 * derives the status and the events a change of it causes. No I/O: the caller reads and writes.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../../domain/dates.js';
import { foldLedger } from '../../domain/ledger/fold.js';
import { money, type Currency, type Money } from '../../domain/money.js';
import {
  categoryChange,
  contractTerms as contractTermsOf,
  decideCredit,
  effectiveTerms,
  exposureOf,
  isActiveReservation,
  overrideStatus,
  paymentDiscipline,
  policyVersionLabel,
  type CategoryChange,
  type CreditFacts,
  type CreditInvoice,
  type CreditPolicy,
  type HoldRules,
  type Override,
} from '../../domain/credit/index.js';
import type { StageName } from '../../domain/policy/schema.js';
import type { CreditEvent, CreditSnapshot, CreditSource, CreditState, GroupDelta, GroupShare, StoredReservation } from '../../ports/credit.js';

export interface Clock {
  now: string;
  today: CalendarDate;
  endOfDay: string;
}

export interface SnapshotSettings {
  policy: CreditPolicy;
  holdRules: HoldRules;
}

const KEEP_ENDED_OVERRIDES_MS = 30 * 86_400_000;

/** The facts a check needs, from the customer's ledger and letters. */
export function factsOf(src: CreditSource, reservations: Record<string, StoredReservation>, groupId: string | undefined): { facts: CreditFacts; invoicedOrders: Set<string> } {
  const state = foldLedger(src.commands);
  const orderOf = new Map<string, string>();
  for (const c of src.commands) if (c.type === 'invoice.issued' && (c as { orderId?: string }).orderId) orderOf.set(c.invoiceId, (c as { orderId?: string }).orderId!);
  const invoices: CreditInvoice[] = state.invoices
    .filter((i) => i.status === 'open' && new Decimal(i.outstanding.amount).gt(0))
    .map((i) => ({
      invoiceId: i.invoiceId,
      number: i.number,
      ...(i.contractId ? { contractId: i.contractId } : {}),
      dueDate: i.dueDate,
      outstanding: i.outstanding,
      ...(src.letters[i.invoiceId]?.length ? { letters: src.letters[i.invoiceId]!.map((l) => ({ stage: l.stage as StageName, runDate: l.runDate as CalendarDate })) } : {}),
    }));
  const unappliedCredit: Money[] = Object.entries(state.unappliedCredit)
    .filter(([, v]) => v && new Decimal(v).gt(0))
    .map(([c, v]) => money(v!, c as Currency));
  const invoicedOrders = new Set(orderOf.values());
  const facts: CreditFacts = {
    customerId: src.customerId,
    ...(groupId ? { groupId } : {}),
    invoices,
    unappliedCredit,
    reservations: Object.values(reservations).map(({ idempotencyKey: _k, decision: _d, ...r }) => r),
    ...(src.openCase ? { openClaim: src.openCase } : {}),
  };
  return { facts, invoicedOrders };
}

/** Held when the customer has a hold reason for a minimal order (overrides aside): what the events announce. */
export function statusOf(s: Pick<CreditSnapshot, 'facts' | 'terms' | 'contractTerms'>, settings: SnapshotSettings, clock: Clock): { state: CreditState; reasons: string[] } {
  const currency: Currency = s.terms.limit?.currency ?? 'RUB';
  const d = decideCredit(
    s.facts,
    { orderId: '(status)', amount: money('0.01', currency) },
    {
      policy: settings.policy,
      terms: s.terms,
      contractTerms: s.contractTerms,
      overrides: [],
      holdRules: settings.holdRules,
      today: clock.today,
      now: clock.now,
      endOfDay: clock.endOfDay,
    },
  );
  const reasons = [...new Set(d.reasons.map((r) => r.code))];
  return { state: reasons.length ? 'held' : 'clear', reasons };
}

export function headroomOf(s: Pick<CreditSnapshot, 'facts' | 'terms'>, now: string): string | undefined {
  const limit = s.terms.limit;
  if (!limit) return undefined;
  const e = exposureOf(s.facts, now).byCurrency[limit.currency];
  return new Decimal(limit.amount).minus(e?.total ?? 0).toFixed();
}

/** Per contract with a limit of its own: limit − the contract's exposure (invoices + reservations) in the limit's currency. */
function contractHeadroomOf(s: Pick<CreditSnapshot, 'facts' | 'contractTerms'>, now: string): Record<string, string> {
  const byContract = exposureOf(s.facts, now).byContract;
  const out: Record<string, string> = {};
  for (const [id, t] of Object.entries(s.contractTerms)) {
    if (!t.limit) continue;
    out[id] = new Decimal(t.limit.amount).minus(byContract[id]?.[t.limit.currency]?.total ?? 0).toFixed();
  }
  return out;
}

/** What the customer adds to its group's running exposure: its exposure total per currency. */
export function groupShareOf(facts: CreditFacts, now: string): GroupShare | undefined {
  if (!facts.groupId) return undefined;
  const byCurrency: GroupShare['byCurrency'] = {};
  for (const [c, l] of Object.entries(exposureOf(facts, now).byCurrency)) if (l && new Decimal(l.total).toFixed() !== '0') byCurrency[c as Currency] = l.total;
  return { groupId: facts.groupId, byCurrency };
}

/** The changes of group running exposures from an old share to a new one (a customer may also move between groups). */
export function groupDeltas(before: GroupShare | undefined, after: GroupShare | undefined): GroupDelta[] {
  const diff = (a: GroupShare['byCurrency'], b: GroupShare['byCurrency']) => {
    const out: GroupShare['byCurrency'] = {};
    for (const c of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<Currency>) {
      const d = new Decimal(b[c] ?? 0).minus(a[c] ?? 0);
      if (!d.isZero()) out[c] = d.toFixed();
    }
    return out;
  };
  const out: GroupDelta[] = [];
  if (before && after && before.groupId === after.groupId) out.push({ groupId: after.groupId, byCurrency: diff(before.byCurrency, after.byCurrency) });
  else {
    if (before) out.push({ groupId: before.groupId, byCurrency: diff(before.byCurrency, {}) });
    if (after) out.push({ groupId: after.groupId, byCurrency: diff({}, after.byCurrency) });
  }
  return out.filter((d) => Object.keys(d.byCurrency).length > 0);
}

const event = (type: CreditEvent['type'], customerId: string, now: string, data: Record<string, unknown>): CreditEvent => ({
  eventId: `evt-${now.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`,
  type,
  customerId,
  occurredAt: now,
  data,
});

export interface Built {
  snapshot: CreditSnapshot;
  events: CreditEvent[];
  categoryChange?: CategoryChange;
  /** Applied to the group items in the same write as the snapshot. */
  groupDeltas: GroupDelta[];
}

/** Recomputes the snapshot from its source; the status change, override expiries and category change become events. */
export function buildSnapshot(src: CreditSource, settings: SnapshotSettings, clock: Clock): Built {
  const { policy } = settings;
  const cur = src.current;
  const state = foldLedger(src.commands);
  const customerType = src.profile?.customerType ?? src.segment ?? 'wholesale';
  const billing = state.customer
    ? {
        ...(state.customer.creditLimit ? { creditLimit: state.customer.creditLimit } : {}),
        ...(state.customer.paymentTermsDays !== undefined ? { paymentTermsDays: state.customer.paymentTermsDays } : {}),
      }
    : {};
  const { terms, base } = effectiveTerms(policy, { customerType, billing, ...(src.profile?.terms ? { individual: src.profile.terms } : {}) });
  const contractTerms = Object.fromEntries(Object.entries(src.profile?.contracts ?? {}).map(([id, t]) => [id, contractTermsOf(terms, t)]));

  // Reservations: expired ones and those an invoice consumed (its orderId) drop out.
  const kept: Record<string, StoredReservation> = {};
  const { invoicedOrders } = factsOf(src, {}, undefined);
  for (const [id, r] of Object.entries(cur?.reservations ?? {})) {
    if (isActiveReservation(r, clock.now) && !invoicedOrders.has(r.orderId)) kept[id] = r;
  }
  const { facts } = factsOf(src, kept, src.profile?.groupId);

  const events: CreditEvent[] = [];
  const overrides: CreditSnapshot['overrides'] = {};
  for (const [id, o] of Object.entries(cur?.overrides ?? {})) {
    const st = overrideStatus(o, clock.now);
    if (st === 'expired' && !o.expiryAnnounced) {
      events.push(event('credit.override.expired', src.customerId, clock.now, { overrideId: id, expiresAt: o.expiresAt, grantedBy: o.grantedBy }));
      overrides[id] = { ...o, expiryAnnounced: true };
    } else if (st === 'active' || Date.parse(clock.now) - Date.parse(o.revokedAt ?? o.expiresAt) < KEEP_ENDED_OVERRIDES_MS) {
      overrides[id] = o;
    }
  }

  const discipline = paymentDiscipline(
    state,
    clock.today,
    policy.discipline,
    src.promises.map((p) => ({ ...p, amount: { amount: p.amount.amount, currency: p.amount.currency as Currency } })),
  );
  const change = categoryChange(src.customerId, customerType, cur?.discipline, discipline, policy);
  if (change && cur)
    events.push(
      event('credit.category.changed', src.customerId, clock.now, { from: change.from, to: change.to, reasons: change.reasons, proposedTerms: change.proposedTerms ?? null }),
    );

  const partial = { facts, terms, contractTerms };
  const status = statusOf(partial, settings, clock);
  const prev = cur?.status;
  if (status.state === 'held' && prev?.state !== 'held') events.push(event('credit.held', src.customerId, clock.now, { reasons: status.reasons }));
  if (status.state === 'clear' && prev?.state === 'held') events.push(event('credit.released', src.customerId, clock.now, { previousReasons: prev.reasons }));

  const headroom = headroomOf(partial, clock.now);
  const contractHeadroom = contractHeadroomOf(partial, clock.now);
  const groupShare = groupShareOf(facts, clock.now);
  const snapshot: CreditSnapshot = {
    customerId: src.customerId,
    ...(src.legalName ? { legalName: src.legalName } : {}),
    facts,
    customerType,
    riskCategory: discipline.category,
    discipline,
    terms,
    termsBase: base,
    ...(src.profile ? { profile: src.profile } : {}),
    contractTerms,
    reservations: kept,
    overrides,
    status: { ...status, since: prev && prev.state === status.state ? prev.since : clock.now },
    ledgerVersion: src.ledgerVersion,
    policyVersion: policyVersionLabel(policy),
    updatedAt: clock.now,
    rev: (cur?.rev ?? 0) + 1,
    ...(headroom !== undefined ? { headroom } : {}),
    contractHeadroom,
    ...(groupShare ? { groupShare } : {}),
  };
  return { snapshot, events, ...(change ? { categoryChange: change } : {}), groupDeltas: groupDeltas(cur?.groupShare, groupShare) };
}

export const overrideEvent = (type: 'credit.override.granted' | 'credit.override.revoked', o: Override, now: string): CreditEvent =>
  event(type, o.customerId, now, {
    overrideId: o.overrideId,
    scope: o.scope,
    ...(o.orderId ? { orderId: o.orderId } : {}),
    maxAmount: o.maxAmount,
    expiresAt: o.expiresAt,
    by: type === 'credit.override.granted' ? o.grantedBy : o.revokedBy,
    reason: type === 'credit.override.granted' ? o.reason : (o.revokeReason ?? ''),
  });
