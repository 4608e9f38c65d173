/**
 * Ports of credit control: the per-customer credit snapshot (what a check reads, ~one GetItem), the
 * credit profile an operator sets (customer type, group, individual terms), overrides, category
 * changes and the outgoing-event outbox. functions/adapters/dynamo-credit.ts implements them.
 */
import type { CalendarDate } from '../domain/dates.js';
import type { Currency } from '../domain/money.js';
import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { CategoryChange, CreditFacts, CreditTerms, DisciplineMetrics, Override, PartialTerms, Reservation, RiskCategory } from '../domain/credit/index.js';
import type { CreditDecision } from '../domain/credit/decide.js';

/** Set by an operator (finance, head of sales, admin): type, group and individual terms. */
export interface CreditProfile {
  customerType?: string;
  groupId?: string;
  /** The limit of the whole group (set on each member that should be checked against it). */
  groupLimit?: import('../domain/money.js').Money;
  terms?: PartialTerms;
  contracts?: Record<string, PartialTerms>;
  updatedBy?: string;
  updatedAt?: string;
}

export type CreditState = 'held' | 'clear';

export interface StoredReservation extends Reservation {
  idempotencyKey: string;
  /** The decision the reservation was made under (returned again for the same idempotency key). */
  decision: CreditDecision;
}

/** The precomputed per-customer credit snapshot: everything a check needs, in one item. */
export interface CreditSnapshot {
  customerId: string;
  legalName?: string;
  facts: CreditFacts;
  customerType: string;
  /** The risk category from payment discipline. */
  riskCategory: RiskCategory;
  discipline?: DisciplineMetrics;
  terms: CreditTerms;
  termsBase: 'matrix' | 'default';
  /** Individual terms as set (for the deviations report). */
  profile?: CreditProfile;
  contractTerms: Record<string, CreditTerms>;
  reservations: Record<string, StoredReservation>;
  overrides: Record<string, Override & { expiryAnnounced?: boolean }>;
  status: { state: CreditState; since: string; reasons: string[] };
  ledgerVersion: number;
  policyVersion: string;
  updatedAt: string;
  /** Optimistic lock: every write adds 1. */
  rev: number;
  /** limit − ledger exposure − active reservations, in the limit's currency (DynamoDB number); absent without a limit. */
  headroom?: string;
  /**
   * Per contract with a limit of its own: that limit − the contract's exposure (invoices + reservations), in
   * the limit's currency. A reservation on the contract decrements it in the same conditional write.
   */
  contractHeadroom?: Record<string, string>;
  /**
   * What this customer adds to its group's running exposure (the group item's `used` per currency): its
   * exposure total per currency when the snapshot was written, plus reservations made since. Every change
   * of it is applied to the group item in the same transaction, so the group item is always the sum of
   * its members' shares.
   */
  groupShare?: GroupShare;
}

export interface GroupShare {
  groupId: string;
  byCurrency: Partial<Record<Currency, string>>;
}

/** A change of a group's running exposure (per currency, signed decimal strings). */
export interface GroupDelta {
  groupId: string;
  byCurrency: Partial<Record<Currency, string>>;
}

/** What a snapshot is computed from: the customer's partition, read in one Query. */
export interface CreditSource {
  customerId: string;
  legalName?: string;
  segment?: string;
  commands: LedgerCommand[];
  ledgerVersion: number;
  /** Stage history per invoice. */
  letters: Record<string, { stage: string; runDate: string }[]>;
  promises: { date: CalendarDate; amount: { amount: string; currency: string }; madeOn: CalendarDate }[];
  openCase?: { caseId: string; openedOn?: CalendarDate };
  profile?: CreditProfile;
  current?: CreditSnapshot;
}

/** An outgoing event (EventBridge detail and webhook body). */
export interface CreditEvent {
  eventId: string;
  type: 'credit.held' | 'credit.released' | 'credit.override.granted' | 'credit.override.revoked' | 'credit.override.expired' | 'credit.category.changed';
  customerId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface WebhookDelivery {
  eventId: string;
  endpoint: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  deliveredAt?: string;
  event: CreditEvent;
}

export type ReserveResult = 'reserved' | 'no-headroom' | 'exists' | 'override-exhausted' | 'conflict';

/** What a reservation's write must find true, and the shares it moves (see CreditStore.reserve). */
export interface ReserveConditions {
  net: string;
  checkHeadroom: boolean;
  override?: { overrideId: string; usedAtMost: string; newUsed: string };
  contract?: { contractId: string; net: string; check: boolean };
  group?: { groupId: string; currency: Currency; net: string; usedAtMost?: string };
}

export interface CreditStore {
  /** One GetItem (eventually consistent unless asked). */
  snapshot(customerId: string, opts?: { consistent?: boolean }): Promise<CreditSnapshot | undefined>;
  snapshots(customerIds: readonly string[]): Promise<CreditSnapshot[]>;
  /** Every snapshot (deviations, discipline, the sweep), paged internally. */
  allSnapshots(): Promise<CreditSnapshot[]>;
  groupMembers(groupId: string): Promise<string[]>;
  /** A group's running exposure per currency (the sum of its members' shares): one GetItem. */
  groupExposure(groupId: string, opts?: { consistent?: boolean }): Promise<Partial<Record<Currency, string>>>;
  /** The customer's partition; undefined when the ledger does not know the customer. */
  source(customerId: string): Promise<CreditSource | undefined>;
  /**
   * Writes a snapshot if its stored rev is still `expectedRev` (undefined: must not exist), together
   * with the events and the category change it caused (one transaction). false on a conflict.
   */
  putSnapshot(
    s: CreditSnapshot,
    expectedRev: number | undefined,
    extras: { events: CreditEvent[]; categoryChange?: CategoryChange; overrideItems?: Override[]; groupDeltas?: GroupDelta[] },
  ): Promise<boolean>;
  /**
   * Adds a reservation atomically (one conditional write; a transaction with the group item when the
   * customer is in a group): the order has none yet; with `checkHeadroom` the snapshot's headroom is at
   * least `net`; with `contract.check` the contract's headroom is at least `contract.net`; with
   * `group.usedAtMost` the group's running exposure in `group.currency` is at most it (limit − order);
   * with `override`, the override's use stays within its amount. Every headroom/share named is moved by
   * the order's amount. 'conflict' when any condition failed or the write collided: read and decide again.
   */
  reserve(customerId: string, r: StoredReservation, cond: ReserveConditions): Promise<ReserveResult>;
  putProfile(customerId: string, profile: CreditProfile): Promise<void>;
  overrides(opts?: { customerId?: string }): Promise<Override[]>;
  categoryChanges(customerId?: string): Promise<CategoryChange[]>;
}

export interface CreditEventOutbox {
  /** Deliveries due now (pending, nextAttemptAt ≤ now). */
  due(now: string, limit: number): Promise<WebhookDelivery[]>;
  update(d: WebhookDelivery): Promise<void>;
  list(opts: { status?: WebhookDelivery['status']; eventId?: string }): Promise<WebhookDelivery[]>;
}

/** EventBridge in AWS; locally nothing (the webhook is the local channel). */
export interface EventPublisher {
  publish(events: readonly CreditEvent[]): Promise<void>;
}

/** Sends one signed webhook; resolves on a 2xx answer, rejects otherwise. */
export interface WebhookSender {
  send(endpoint: string, event: CreditEvent, idempotencyKey: string): Promise<{ status: number }>;
}
