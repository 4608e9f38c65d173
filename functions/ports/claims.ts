/**
 * Claim-case ports: the case store, what the claim use cases read from the ledger and the outbox, the
 * legal team's approval signal and the ClaimCase workflow starter.
 */
import type { ClaimCase, ClaimStatus } from '../domain/claims/index.js';
import type { CalendarDate } from '../domain/dates.js';
import type { LedgerState } from '../domain/ledger/fold.js';
import type { ReconciliationStatement } from '../domain/ledger/reconcile.js';
import type { Currency } from '../domain/money.js';
import type { CustomerProfileView } from './ledger.js';

export type CreateOutcome = { created: true; case: ClaimCase } | { created: false; existing: ClaimCase };

/** The case store the use cases depend on. */
export interface ClaimCaseStore {
  get(caseId: string): Promise<ClaimCase | undefined>;
  openCaseOf(customerId: string): Promise<ClaimCase | undefined>;
  /** Creates an open case; when the customer already has one, returns it instead. */
  create(c: ClaimCase): Promise<CreateOutcome>;
  /** Saves over version `c.version`; returns the case with the next version. CaseVersionConflict if it moved. */
  save(c: ClaimCase): Promise<ClaimCase>;
  listByStatus(status: ClaimStatus): Promise<ClaimCase[]>;
  listOfCustomer(customerId: string): Promise<ClaimCase[]>;
}

/** What the claim use cases read from the ledger. */
export interface ClaimsLedger {
  getProfile(customerId: string): Promise<CustomerProfileView | undefined>;
  ledgerState(customerId: string): Promise<LedgerState>;
  reconciliation(customerId: string, from: CalendarDate, to: CalendarDate, currency?: Currency): Promise<ReconciliationStatement>;
}

/** Letters sent to a customer (the outbox). */
export interface LetterLog {
  lettersOfCustomer(
    customerId: string,
  ): Promise<{ runDate: string; stage: string; status: string; documentUri?: string | null; messageId?: string | null; channels?: string[]; invoiceIds?: string[] }[]>;
}

export type SignalOutcome = 'sent' | 'gone';

/** Completes the execution waiting for the legal team (SFN SendTaskSuccess; locally the approval hub). */
export interface ApprovalSignal {
  approve(token: string, output: Record<string, unknown>): Promise<SignalOutcome>;
  reject(token: string, reason: string, output?: Record<string, unknown>): Promise<SignalOutcome>;
}

export interface ClaimCaseFlowInput {
  caseId: string;
  customerId: string;
  round: number;
}

/** Starts the ClaimCase workflow (createSfnStarter(claimCaseArn) fits; 'exists' = already started). */
export interface CaseFlowStarter {
  start(name: string, input: ClaimCaseFlowInput): Promise<{ executionArn: string } | 'exists'>;
}
