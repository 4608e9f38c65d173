/**
 * Credit-control use cases: check and reserve (machines), status, overrides, terms, matrix,
 * deviations, payment discipline, the overrides report, refresh and sweep. They see only ports.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { dateInZone, type CalendarDate } from '../../domain/dates.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { money, type Currency, type Money } from '../../domain/money.js';
import {
  decideCredit,
  deviationsOf,
  netOrderAmount,
  overrideStatus,
  parseTerms,
  remainingOf,
  validateGrant,
  ReservationConflictError,
  type CheckOrder,
  type CreditDecision,
  type CreditPolicy,
  type CustomerTermsReport,
  type ExposureByCurrency,
  type GroupContext,
  type HoldRules,
  type Override,
} from '../../domain/credit/index.js';
import type { AuditLog, AuditEntry } from '../../ports/operator.js';
import { rolesFor, type Action } from '../../domain/roles.js';
import type { CreditEvent, CreditProfile, CreditSnapshot, CreditStore, StoredReservation } from '../../ports/credit.js';
import { buildSnapshot, overrideEvent, statusOf, type Clock } from './snapshot.js';

export interface CreditDeps {
  store: CreditStore;
  policy: CreditPolicy;
  holdRules: HoldRules;
  timeZone: string;
  now: () => Date;
  audit?: AuditLog;
  /** Told after events were stored (delivers them at once; the dispatcher retries). */
  onEvents?: (events: CreditEvent[]) => void;
}

export interface CreditActor {
  by: string;
  principal?: string;
  roles: readonly string[];
}

/** Credit actions → the role action (functions/domain/roles.ts) that allows them. Reads need none. */
export const CREDIT_ACTIONS = {
  'credit.override.grant': 'credit.override',
  'credit.override.revoke': 'credit.override',
  'credit.terms.set': 'credit.terms',
} as const satisfies Record<string, Action>;
export type CreditAction = keyof typeof CREDIT_ACTIONS;

let clockCache: { until: number; today: CalendarDate; endOfDay: string; zone: string } | undefined;
/** Today in the company zone and the instant it ends (cached until then: a check reads no clock twice). */
export function clockOf(deps: Pick<CreditDeps, 'now' | 'timeZone'>): Clock {
  const at = deps.now();
  const ms = at.getTime();
  if (!clockCache || clockCache.zone !== deps.timeZone || ms >= clockCache.until || ms < clockCache.until - 27 * 3_600_000) {
    const today = dateInZone(at, deps.timeZone);
    // The first minute whose date differs (binary search over the next 26 hours).
    let lo = ms;
    let hi = ms + 26 * 3_600_000;
    while (hi - lo > 60_000) {
      const mid = Math.floor((lo + hi) / 2);
      if (dateInZone(new Date(mid), deps.timeZone) === today) lo = mid;
      else hi = mid;
    }
    const end = Math.floor(hi / 60_000) * 60_000;
    clockCache = { until: end, today, endOfDay: new Date(end).toISOString(), zone: deps.timeZone };
  }
  return { now: at.toISOString(), today: clockCache.today, endOfDay: clockCache.endOfDay };
}

async function audit(deps: CreditDeps, actor: CreditActor, action: string, reason: string, details: Record<string, unknown>, customerId?: string): Promise<void> {
  if (!deps.audit) return;
  const at = deps.now();
  await deps.audit.record({
    id: randomUUID().slice(0, 8),
    at: at.toISOString(),
    day: dateInZone(at, deps.timeZone),
    // Credit actions extend the operator audit vocabulary.
    action: action as AuditEntry['action'],
    by: actor.by,
    ...(actor.principal ? { principal: actor.principal } : {}),
    reason,
    ...(customerId ? { customerId } : {}),
    details: { ...details, roles: [...actor.roles] },
  });
}

/** 403 naming the roles required; the refusal is audited. */
export async function requireRole(deps: CreditDeps, actor: CreditActor, action: CreditAction, customerId?: string): Promise<void> {
  const required = rolesFor(CREDIT_ACTIONS[action]) as readonly string[];
  if (actor.roles.some((r) => required.includes(r))) return;
  const err = new ForbiddenError(action, required, { has: actor.roles });
  if (deps.audit) {
    await audit(deps, actor, 'access.denied', err.message, { action, requiredRoles: [...required] }, customerId);
    err.audited = true;
  }
  throw err;
}

// ---------------------------------------------------------------------------------------- refresh

/** Recomputes a customer's snapshot from the ledger (retries on a concurrent write). */
export async function refreshCustomer(deps: CreditDeps, customerId: string): Promise<CreditSnapshot | undefined> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const src = await deps.store.source(customerId);
    if (!src) return undefined;
    const built = buildSnapshot(src, { policy: deps.policy, holdRules: deps.holdRules }, clockOf(deps));
    const ok = await deps.store.putSnapshot(built.snapshot, src.current?.rev, {
      events: built.events,
      ...(built.categoryChange ? { categoryChange: built.categoryChange } : {}),
      ...(built.groupDeltas.length ? { groupDeltas: built.groupDeltas } : {}),
    });
    if (ok) {
      if (built.events.length) deps.onEvents?.(built.events);
      return built.snapshot;
    }
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
  }
  throw new Error(`credit snapshot of ${customerId}: too many concurrent writes`);
}

async function snapshotOf(deps: CreditDeps, customerId: string, consistent = false): Promise<CreditSnapshot> {
  const s = (await deps.store.snapshot(customerId, { consistent })) ?? (await refreshCustomer(deps, customerId));
  if (!s) {
    throw new NotFoundError(
      `unknown customer "${customerId}": claimflow has no ledger for it. Send the customer (customer.upsert) through the billing webhook first; until then treat the answer as HOLD (or follow your fail-open rule).`,
    );
  }
  return s;
}

// ------------------------------------------------------------------------------------------ check

export interface CheckRequest {
  customerId: string;
  contractId?: string;
  orderId: string;
  amount: Money;
  prepaid?: Money;
  idempotencyKey: string;
}

/**
 * The group a customer is checked against: its limit (set on the customer) and the exposure of the
 * group's other members = the group item's running exposure − this customer's share of it (one GetItem).
 */
async function groupContext(deps: CreditDeps, s: CreditSnapshot, consistent = false): Promise<GroupContext | undefined> {
  const groupId = s.facts.groupId;
  const limit = s.profile?.groupLimit;
  if (!groupId || !limit) return undefined;
  const used = await deps.store.groupExposure(groupId, { consistent });
  const own = s.groupShare?.groupId === groupId ? s.groupShare.byCurrency : {};
  const others: ExposureByCurrency = {};
  for (const c of new Set([...Object.keys(used), ...Object.keys(own)]) as Set<Currency>) {
    const total = money(new Decimal(used[c] ?? 0).minus(own[c] ?? 0), c).amount;
    others[c] = { invoices: total, reservations: '0', unappliedCredit: '0', total };
  }
  return { groupId, limit, others: [others] };
}

function decideOn(deps: CreditDeps, s: CreditSnapshot, order: CheckOrder, group: GroupContext | undefined): CreditDecision {
  const clock = clockOf(deps);
  // The reservations map is authoritative: a reservation is written into it (not into `facts`) by one conditional update.
  const facts = { ...s.facts, reservations: Object.values(s.reservations).map(({ idempotencyKey: _k, decision: _d, ...r }) => r) };
  return decideCredit(facts, order, {
    policy: deps.policy,
    terms: s.terms,
    contractTerms: s.contractTerms,
    ...(group ? { group } : {}),
    overrides: Object.values(s.overrides),
    holdRules: deps.holdRules,
    today: clock.today,
    now: clock.now,
    endOfDay: clock.endOfDay,
  });
}

const orderOf = (r: CheckRequest): CheckOrder => ({
  orderId: r.orderId,
  amount: r.amount,
  ...(r.contractId ? { contractId: r.contractId } : {}),
  ...(r.prepaid ? { prepaid: r.prepaid } : {}),
});

/** May this order ship? One read of the snapshot (plus the group's members when a group limit is set). */
export async function checkCredit(deps: CreditDeps, req: CheckRequest): Promise<CreditDecision & { idempotencyKey: string }> {
  const s = await snapshotOf(deps, req.customerId);
  const d = decideOn(deps, s, orderOf(req), await groupContext(deps, s));
  return { ...d, idempotencyKey: req.idempotencyKey };
}

export interface ReservationAnswer extends CreditDecision {
  idempotencyKey: string;
  reservation?: { orderId: string; amount: Money; expiresAt: string; overrideId?: string };
}

/**
 * Holds exposure for an order until it is invoiced (an invoice with its orderId) or expires. Two
 * parallel orders cannot both pass a limit that fits one: the customer's headroom, the contract's
 * headroom and the group's running exposure are moved in one conditional write (a transaction with the
 * group item), each conditioned on the limit still fitting the order, so the loser re-reads and gets
 * OVER_LIMIT — for two customers of one group, or two orders on one contract, as for one customer.
 */
export async function reserveCredit(deps: CreditDeps, req: CheckRequest): Promise<ReservationAnswer> {
  const MAX_ATTEMPTS = 12;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let s = await snapshotOf(deps, req.customerId, attempt > 0);
    // A snapshot written before contract headroom and group shares existed is recomputed first.
    if (s.contractHeadroom === undefined || (s.facts.groupId && !s.groupShare)) s = (await refreshCustomer(deps, req.customerId)) ?? s;
    const existing = s.reservations[req.orderId];
    if (existing) {
      if (existing.idempotencyKey === req.idempotencyKey) return { ...existing.decision, idempotencyKey: req.idempotencyKey, reservation: pick(existing) };
      throw new ReservationConflictError(`order ${req.orderId} is already reserved under another idempotency key`);
    }
    const order = orderOf(req);
    const d = decideOn(deps, s, order, await groupContext(deps, s, attempt > 0));
    if (d.decision === 'HOLD') return { ...d, idempotencyKey: req.idempotencyKey };
    const net = netOrderAmount(order);
    // What the order adds to exposure once the prepayment asked for is paid.
    const reserved = d.prepayment ? money(Decimal.max(new Decimal(net.amount).minus(d.prepayment.amount), 0), net.currency) : net;
    const clock = clockOf(deps);
    const r: StoredReservation = {
      orderId: req.orderId,
      ...(req.contractId ? { contractId: req.contractId } : {}),
      amount: reserved,
      createdAt: clock.now,
      expiresAt: new Date(Date.parse(clock.now) + deps.policy.reservationHours * 3_600_000).toISOString(),
      ...(d.override ? { overrideId: d.override.overrideId } : {}),
      idempotencyKey: req.idempotencyKey,
      decision: d,
    };
    const limit = s.terms.limit;
    const same = (m: Money | undefined) => !!m && m.currency === reserved.currency;
    const contractLimit = req.contractId ? s.contractTerms[req.contractId]?.limit : undefined;
    const groupLimit = s.profile?.groupLimit;
    const ov = d.override ? s.overrides[d.override.overrideId] : undefined;
    const result = await deps.store.reserve(req.customerId, r, {
      net: same(limit) ? reserved.amount : '0',
      checkHeadroom: same(limit) && !d.override,
      ...(req.contractId && same(contractLimit) && s.contractHeadroom?.[req.contractId] !== undefined
        ? { contract: { contractId: req.contractId, net: reserved.amount, check: !d.override } }
        : {}),
      ...(s.groupShare
        ? {
            group: {
              groupId: s.groupShare.groupId,
              currency: reserved.currency,
              net: reserved.amount,
              ...(same(groupLimit) && !d.override ? { usedAtMost: new Decimal(groupLimit!.amount).minus(reserved.amount).toFixed() } : {}),
            },
          }
        : {}),
      ...(ov && ov.scope === 'customer'
        ? {
            override: {
              overrideId: ov.overrideId,
              usedAtMost: new Decimal(ov.maxAmount.amount).minus(reserved.amount).toFixed(),
              newUsed: reserved.amount,
            },
          }
        : {}),
    });
    if (result === 'reserved') return { ...d, idempotencyKey: req.idempotencyKey, reservation: pick(r) };
    // Lost a race (a headroom, the group's exposure, the override amount, or the same order reserved
    // meanwhile): read again (consistently) and decide again, after a short jittered pause. From the
    // second loss on, recompute the snapshot first (lapsed reservations leave the headroom), and from the
    // third the group's other members too (their lapsed reservations leave the group's exposure).
    await new Promise((res) => setTimeout(res, Math.random() * 10 * (attempt + 1)));
    if (attempt >= 1) await refreshCustomer(deps, req.customerId);
    if (attempt === 2 && s.groupShare) {
      for (const id of await deps.store.groupMembers(s.groupShare.groupId)) if (id !== req.customerId) await refreshCustomer(deps, id);
    }
  }
  throw new Error(`reservation for ${req.customerId}/${req.orderId}: too many concurrent writes`);
}

const pick = (r: StoredReservation) => ({ orderId: r.orderId, amount: r.amount, expiresAt: r.expiresAt, ...(r.overrideId ? { overrideId: r.overrideId } : {}) });

// ----------------------------------------------------------------------------------------- status

export async function creditStatus(deps: CreditDeps, customerId: string) {
  const s = await snapshotOf(deps, customerId);
  const clock = clockOf(deps);
  const now = statusOf(s, { policy: deps.policy, holdRules: deps.holdRules }, clock);
  const probe = decideOn(deps, s, { orderId: '(status)', amount: money('0.01', s.terms.limit?.currency ?? 'RUB') }, await groupContext(deps, s));
  return {
    customerId,
    ...(s.legalName ? { legalName: s.legalName } : {}),
    state: now.state,
    reasons: probe.reasons,
    override: probe.override ?? null,
    exposure: probe.exposure,
    headroom: s.headroom ?? null,
    terms: s.terms,
    contractTerms: s.contractTerms,
    customerType: s.customerType,
    riskCategory: s.riskCategory,
    discipline: s.discipline ?? null,
    reservations: Object.values(s.reservations)
      .filter((r) => r.expiresAt > clock.now)
      .map(pick),
    overrides: Object.values(s.overrides).map((o) => ({ ...o, status: overrideStatus(o, clock.now) })),
    policyVersion: `${deps.policy.name}@${deps.policy.version}`,
    asOf: clock.today,
    snapshotUpdatedAt: s.updatedAt,
  };
}

// -------------------------------------------------------------------------------------- overrides

export interface GrantRequest {
  customerId: string;
  scope: 'customer' | 'order';
  orderId?: string;
  maxAmount: Money;
  hours: number;
  reason: string;
}

export async function grantOverride(deps: CreditDeps, actor: CreditActor, req: GrantRequest): Promise<Override> {
  await requireRole(deps, actor, 'credit.override.grant', req.customerId);
  validateGrant(req, deps.policy.maxOverrideHours);
  const clock = clockOf(deps);
  const o: Override = {
    overrideId: `ovr-${clock.now.replace(/[-:.TZ]/g, '').slice(0, 12)}-${randomUUID().slice(0, 6)}`,
    customerId: req.customerId,
    scope: req.scope,
    ...(req.scope === 'order' ? { orderId: req.orderId! } : {}),
    maxAmount: req.maxAmount,
    reason: req.reason.trim(),
    grantedBy: actor.by,
    grantedAt: clock.now,
    expiresAt: new Date(Date.parse(clock.now) + req.hours * 3_600_000).toISOString(),
  };
  let granted = o;
  await mutateOverrides(
    deps,
    req.customerId,
    (s) => {
      // The customer's overdue figures at the grant: the report of overrides whose customers went further overdue compares with them.
      const d = decideOn(deps, s, { orderId: '(grant)', amount: money('0.01', o.maxAmount.currency) }, undefined);
      const overdue = d.reasons.filter((r) => r.code === 'OVERDUE');
      granted = {
        ...o,
        atGrant: { overdue: overdue.reduce((x, r) => x.plus(r.value ?? 0), new Decimal(0)).toFixed(2), maxDaysOverdue: Math.max(0, ...overdue.map((r) => r.daysOverdue ?? 0)) },
      } as Override;
      return { ...s.overrides, [o.overrideId]: granted };
    },
    () => [overrideEvent('credit.override.granted', granted, clock.now)],
    () => granted,
  );
  await audit(
    deps,
    actor,
    'credit.override.grant',
    o.reason,
    { overrideId: o.overrideId, scope: o.scope, orderId: o.orderId ?? null, maxAmount: o.maxAmount, expiresAt: o.expiresAt, hours: req.hours },
    req.customerId,
  );
  return granted;
}

export async function revokeOverride(deps: CreditDeps, actor: CreditActor, req: { customerId: string; overrideId: string; reason: string }): Promise<Override> {
  await requireRole(deps, actor, 'credit.override.revoke', req.customerId);
  if (!req.reason.trim()) throw new ValidationError([{ field: 'reason', message: 'required' }]);
  const clock = clockOf(deps);
  let revoked: Override | undefined;
  await mutateOverrides(
    deps,
    req.customerId,
    (s) => {
      const o = s.overrides[req.overrideId];
      if (!o) throw new NotFoundError(`no override ${req.overrideId} for customer ${req.customerId}`);
      if (overrideStatus(o, clock.now) !== 'active') throw new ValidationError([{ field: 'overrideId', message: `the override is already ${overrideStatus(o, clock.now)}` }]);
      revoked = { ...o, revokedAt: clock.now, revokedBy: actor.by, revokeReason: req.reason.trim() };
      return { ...s.overrides, [o.overrideId]: revoked };
    },
    () => [overrideEvent('credit.override.revoked', revoked!, clock.now)],
    () => revoked!,
  );
  await audit(deps, actor, 'credit.override.revoke', req.reason, { overrideId: req.overrideId }, req.customerId);
  return revoked!;
}

async function mutateOverrides(
  deps: CreditDeps,
  customerId: string,
  change: (s: CreditSnapshot) => CreditSnapshot['overrides'],
  events: CreditEvent[] | (() => CreditEvent[]),
  item: Override | (() => Override),
): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const s = await snapshotOf(deps, customerId, true);
    const next: CreditSnapshot = { ...s, overrides: change(s), rev: s.rev + 1, updatedAt: clockOf(deps).now };
    const evs = typeof events === 'function' ? events() : events;
    if (await deps.store.putSnapshot(next, s.rev, { events: evs, overrideItems: [typeof item === 'function' ? item() : item] })) {
      deps.onEvents?.(evs);
      return;
    }
  }
  throw new Error(`credit snapshot of ${customerId}: too many concurrent writes`);
}

export async function listOverrides(deps: CreditDeps, opts: { customerId?: string; status?: 'active' | 'expired' | 'revoked' } = {}) {
  const now = clockOf(deps).now;
  const all = await deps.store.overrides(opts.customerId ? { customerId: opts.customerId } : {});
  return all.map((o) => ({ ...o, status: overrideStatus(o, now), remaining: remainingOf(o) })).filter((o) => !opts.status || o.status === opts.status);
}

/**
 * Overrides whose customers later went further overdue: after the override was granted, the
 * customer's overdue debt (past the hold date) grew, or an invoice of it reached more days overdue
 * than at the grant. Compares the grant-time figures recorded on the override with the snapshot now.
 */
export async function overridesReport(deps: CreditDeps) {
  const clock = clockOf(deps);
  const out = [];
  for (const o of await deps.store.overrides()) {
    const s = await deps.store.snapshot(o.customerId);
    if (!s) continue;
    const at = (o as Override & { atGrant?: { overdue: string; maxDaysOverdue: number } }).atGrant;
    const d = decideOn(deps, s, { orderId: '(report)', amount: money('0.01', o.maxAmount.currency) }, undefined);
    const overdue = d.reasons.filter((r) => r.code === 'OVERDUE');
    const now = { overdue: overdue.reduce((x, r) => x.plus(r.value ?? 0), new Decimal(0)).toFixed(2), maxDaysOverdue: Math.max(0, ...overdue.map((r) => r.daysOverdue ?? 0)) };
    // Further overdue: more overdue debt than at the grant (new invoices past their hold date, or not paid down).
    const further = at ? new Decimal(now.overdue).gt(at.overdue) : false;
    out.push({ ...o, status: overrideStatus(o, clock.now), atGrant: at ?? null, now, furtherOverdue: further });
  }
  return out.filter((o) => o.furtherOverdue);
}

// ---------------------------------------------------------------------------------- terms & matrix

export async function setTerms(
  deps: CreditDeps,
  actor: CreditActor,
  customerId: string,
  body: { customerType?: string; groupId?: string | null; groupLimit?: Money | null; terms?: unknown; contracts?: Record<string, unknown>; reason: string },
) {
  await requireRole(deps, actor, 'credit.terms.set', customerId);
  const s = await snapshotOf(deps, customerId, true);
  const terms = body.terms !== undefined ? parseTerms(body.terms, 'terms') : s.profile?.terms;
  const contracts = body.contracts ? Object.fromEntries(Object.entries(body.contracts).map(([id, t]) => [id, parseTerms(t, `contracts.${id}`)])) : s.profile?.contracts;
  const profile: CreditProfile = {
    ...((body.customerType ?? s.profile?.customerType) ? { customerType: body.customerType ?? s.profile!.customerType! } : {}),
    ...((body.groupId === undefined ? s.profile?.groupId : body.groupId) ? { groupId: (body.groupId === undefined ? s.profile!.groupId : body.groupId)! } : {}),
    ...((body.groupLimit === undefined ? s.profile?.groupLimit : body.groupLimit)
      ? { groupLimit: (body.groupLimit === undefined ? s.profile!.groupLimit : body.groupLimit)! }
      : {}),
    ...(terms ? { terms } : {}),
    ...(contracts ? { contracts } : {}),
    updatedBy: actor.by,
    updatedAt: clockOf(deps).now,
  };
  await deps.store.putProfile(customerId, profile);
  await audit(deps, actor, 'credit.terms.set', body.reason, { profile }, customerId);
  return refreshCustomer(deps, customerId);
}

export const creditMatrix = (deps: CreditDeps) => ({
  policyVersion: `${deps.policy.name}@${deps.policy.version}`,
  holdStart: deps.policy.holdStart,
  defaultTerms: deps.policy.defaultTerms,
  matrix: deps.policy.matrix,
  discipline: deps.policy.discipline,
});

/** Every customer whose terms (or a contract's) differ from the matrix row of its type and category. */
export async function deviations(deps: CreditDeps, opts: { customerId?: string } = {}): Promise<CustomerTermsReport[]> {
  const snaps = opts.customerId ? [await snapshotOf(deps, opts.customerId)] : await deps.store.allSnapshots();
  return snaps
    .map((s) =>
      deviationsOf(deps.policy, {
        customerId: s.customerId,
        customerType: s.customerType,
        riskCategory: s.riskCategory,
        terms: s.terms,
        contracts: Object.fromEntries(Object.keys(s.profile?.contracts ?? {}).map((id) => [id, s.contractTerms[id]!])),
      }),
    )
    .filter((r) => r.deviations.length > 0 || (opts.customerId && r))
    .sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
}

export async function discipline(deps: CreditDeps, opts: { customerId?: string } = {}) {
  const snaps = opts.customerId ? [await snapshotOf(deps, opts.customerId)] : await deps.store.allSnapshots();
  const changes = opts.customerId ? await deps.store.categoryChanges(opts.customerId) : [];
  return {
    customers: snaps
      .map((s) => ({ customerId: s.customerId, ...(s.legalName ? { legalName: s.legalName } : {}), customerType: s.customerType, ...s.discipline }))
      .sort((a, b) => (a.customerId < b.customerId ? -1 : 1)),
    ...(opts.customerId ? { categoryChanges: changes } : {}),
  };
}

/**
 * Re-derives the snapshots whose status may have changed with time (an invoice passed its hold date,
 * an override expired, a reservation lapsed): recomputed from the ledger, events for every change.
 * Least recently computed first, and only while `timeLeftMs` leaves SWEEP_RESERVE_MS (a Lambda's
 * remaining time): a book too large for one run is finished by the next ones, never cut off by the
 * function's timeout. `left` counts the snapshots this run did not reach.
 */
export async function sweep(deps: CreditDeps, opts: { timeLeftMs?: () => number } = {}): Promise<{ customers: number; refreshed: number; changed: string[]; left: number }> {
  const snaps = [...(await deps.store.allSnapshots())].sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.customerId < b.customerId ? -1 : 1));
  const changed: string[] = [];
  let refreshed = 0;
  for (const s of snaps) {
    if (opts.timeLeftMs && opts.timeLeftMs() < SWEEP_RESERVE_MS) break;
    const after = await refreshCustomer(deps, s.customerId);
    refreshed++;
    if (after && (after.status.state !== s.status.state || after.riskCategory !== s.riskCategory)) changed.push(s.customerId);
  }
  return { customers: snaps.length, refreshed, changed, left: snaps.length - refreshed };
}

/** Time a sweep keeps in hand when it stops (one customer's refresh is well under a second). */
export const SWEEP_RESERVE_MS = 30_000;
