/**
 * Receivables reports: the input every report reads (one "book" per customer, as stored) and the
 * vocabulary shared by the report functions. Pure: no I/O, no clock. Dates are calendar dates, money
 * decimal strings per currency (docs/reports.md states every formula).
 *
 * As of a date: every report takes `asOf` and leaves out entries, letters, promises and cases dated
 * after it, so a report for a past date gives the same figures whenever it is run.
 */
import type { CalendarDate } from '../dates.js';
import type { LedgerCommand } from '../ledger/commands.js';
import type { StageName } from '../policy/schema.js';
import type { ClaimStatus, ClaimStrategy } from '../claims/model.js';
import type { PartialTerms } from '../credit/policy.js';
import type { Money } from '../money.js';

/** A promise to pay or an agreed schedule (the operator's PAUSE# records of kind promise/schedule). */
export interface PromiseRecord {
  id: string;
  kind: 'promise' | 'schedule';
  /** The day the promise was given (calendar date of its `at`). */
  madeOn: CalendarDate;
  /** Promised date (promise) or last installment (schedule). */
  until: CalendarDate;
  amount?: { amount: string; currency: string };
  installments?: { date: CalendarDate; amount: string }[];
  /** Set when an operator ended the promise early. */
  resolvedOn?: CalendarDate;
}

/** A letter the dunning run sent (outbox records with status sent). */
export interface SentLetter {
  runDate: CalendarDate;
  stage: StageName;
  invoiceIds: string[];
  total: { amount: string; currency: string }[];
}

/** A claim case as reports need it. */
export interface CaseRecord {
  caseId: string;
  openedOn: CalendarDate;
  /** The current strategy. */
  strategy: ClaimStrategy;
  /**
   * Every strategy the case has had, from the day it took effect (company zone), oldest first: the
   * opening strategy, the system's switch at litigation, each operator's choice (the case's events).
   * Absent: only the current one is known.
   */
  strategyHistory?: { on: CalendarDate; strategy: ClaimStrategy }[];
  status: ClaimStatus;
  closedOn?: CalendarDate;
  /** Why it closed, e.g. "paid" (won: the debt was recovered) — free text from the claims module. */
  closedReason?: string;
}

/** A credit override as reports need it (credit control's OVERRIDE# records), instants also as company-zone dates. */
export interface OverrideRecord {
  overrideId: string;
  scope: 'customer' | 'order';
  orderId?: string;
  maxAmount: Money;
  used?: Money;
  reason: string;
  grantedBy: string;
  grantedAt: string;
  grantedOn: CalendarDate;
  expiresAt: string;
  expiresOn: CalendarDate;
  revokedAt?: string;
  revokedOn?: CalendarDate;
}

/**
 * What credit control stores for a customer that reports read: the operator-set profile (customer
 * type, individual terms of the customer and of its contracts; credit control keeps the current ones
 * only, no history) and the overrides granted.
 */
export interface CreditRecord {
  customerType?: string;
  terms?: PartialTerms;
  contracts?: Record<string, PartialTerms>;
  overrides: OverrideRecord[];
}

/** Everything stored about one customer that reports read. */
export interface CustomerBook {
  customerId: string;
  /** Ledger entries in any order (the fold sorts them). */
  entries: LedgerCommand[];
  /** Stage history per invoice: stages sent with their run date. */
  stages: { invoiceId: string; stages: { stage: StageName; runDate: CalendarDate }[] }[];
  promises: PromiseRecord[];
  letters: SentLetter[];
  cases: CaseRecord[];
  /** Credit control's records of the customer (absent: none stored). */
  credit?: CreditRecord;
}

export const GROUP_BYS = ['customer', 'contract', 'manager', 'segment', 'portfolio'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

/** What every row of a report can be grouped by. */
export interface GroupKeys {
  customer: string;
  contract: string;
  manager: string;
  segment: string;
  portfolio: string;
}

/** Labels used when a key is missing. */
export const NO_CONTRACT = '(no contract)';
export const NO_MANAGER = '(no manager)';

/** Collection method of a customer as of a date: the claim strategy of its open case, else its highest dunning stage. */
export type CollectionMethod = `strategy:${ClaimStrategy}` | `stage:${StageName}` | 'none';

/** Targets from configuration (docs/reports.md, "Targets"). */
export interface Targets {
  dsoDays?: number;
  bestPossibleDsoDays?: number;
  addDays?: number;
  ceiPct?: number;
  /** Share of a letter's amount paid within `recoveryWindowDays` of it, per stage, in percent. */
  recoveryPct?: Partial<Record<StageName, number>>;
}
