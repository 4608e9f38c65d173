/**
 * Dunning-run ports: the letter outbox, each invoice's stage history, pauses, run records, what one
 * customer's processing reads first, the renderer, and the run starter.
 */
import type { CompanyRequisites, Letter } from '../letters/model.js';
import type { CustomerProfileView, OpenInvoiceView } from './ledger.js';

export type LetterStatus = 'reserved' | 'sending' | 'sent' | 'failed' | 'ambiguous' | 'cancelled';

/** The outbox record of one letter: (run date, customer, stage). */
export interface LetterRecord {
  runDate: string;
  customerId: string;
  stage: string;
  status: LetterStatus;
  owner: string;
  leaseUntil: string;
  invoiceIds: string[];
  invoiceSetHash: string;
  channels: string[];
  attempts: number;
  messageId?: string;
  documentUri?: string;
  total?: { amount: string; currency: string }[];
  error?: string;
  updatedAt: string;
  /** When the attempt holding the letter claimed it (the send started right after). */
  claimedAt?: string;
  /** SES's send event for this letter (configuration set → the feedback path): the mail service accepted it. */
  sesAccepted?: { messageId: string; at: string };
}

export type LetterKey = Pick<LetterRecord, 'runDate' | 'customerId' | 'stage' | 'owner'>;

/** Stages sent for one invoice [{stage, runDate}]: never repeats, never goes back. */
export interface StageHistory {
  invoiceId: string;
  stages: { stage: string; runDate: string }[];
}

/** A pause, dispute, promise to pay or agreed schedule, until a date. */
export interface PauseRecord {
  pauseId: string;
  customerId: string;
  invoiceId?: string;
  kind: 'dispute' | 'promise' | 'schedule' | 'manual';
  until: string;
  reason: string;
  by: string;
  at: string;
  amount?: { amount: string; currency: string };
  /** Installments of an agreed schedule. */
  installments?: { date: string; amount: string }[];
  resolved?: { by: string; at: string; reason: string };
}

export type ReserveOutcome =
  | { outcome: 'reserved'; record: LetterRecord }
  /** leaseActive: another owner holds the letter and its lease has not expired (a concurrent run). */
  | { outcome: 'already'; record: LetterRecord; leaseActive: boolean };

/** The outbox / history store. */
export interface DunningStore {
  /**
   * Claims the outbox record in one conditional write: succeeds when none exists or a previous attempt
   * definitely did not send; otherwise returns the existing record ('already').
   */
  reserveLetter(
    input: Omit<LetterRecord, 'status' | 'attempts' | 'updatedAt' | 'leaseUntil'>,
    opts?: { status?: 'reserved' | 'sending' | 'cancelled'; error?: string },
  ): Promise<ReserveOutcome>;
  releaseLetter(l: LetterKey, error: string): Promise<void>;
  markFailed(l: LetterKey, error: string): Promise<void>;
  markAmbiguous(l: LetterKey, error: string): Promise<void>;
  markSent(l: LetterKey & { invoiceIds: string[] }, info: { messageId?: string; documentUri?: string }): Promise<void>;
  /** A letter left `sending`/`ambiguous` that the mail service did accept → sent (with its stage history); false if it moved meanwhile. */
  settleSent(l: LetterKey & { invoiceIds: string[] }, info: { messageId?: string; note: string }): Promise<boolean>;
  /** A letter left `sending`/`ambiguous` that was definitely not sent → failed (free to send again); false if it moved meanwhile. */
  settleNotSent(l: LetterKey, note: string): Promise<boolean>;
  stageHistory(customerId: string): Promise<StageHistory[]>;
  pauses(customerId: string): Promise<PauseRecord[]>;
  lastLetterDate(customerId: string): Promise<string | undefined>;
}

/**
 * Whether the mail service accepted a letter whose send was interrupted (a crash between the claim and
 * `sent`): 'sent' — accepted (SES send event; locally the local SES journal); 'not-sent' — definitely
 * not (no send event after the grace period, or a letter with no email at all); 'unknown' — wait (the
 * event may still come), the letter stays ambiguous until a later run settles it.
 */
export interface SendEvidence {
  verdict(
    letter: LetterRecord,
    now: Date,
  ): Promise<{ verdict: 'sent'; messageId?: string; how: string } | { verdict: 'not-sent'; how: string } | { verdict: 'unknown'; how: string }>;
}

/** What one customer's processing reads first (one Query of its partition with DynamoDB). */
export interface CustomerSnapshot {
  profile?: CustomerProfileView;
  openInvoices: OpenInvoiceView[];
  stageHistory: StageHistory[];
  pauses: PauseRecord[];
  lastLetterDate?: string;
  /** The ledger version read with it: the recheck before a send re-reads invoices only if it moved. */
  version?: number;
  /** Opaque to the use case: handed to penaltyFor and onStageReached so they need not read again. */
  context?: unknown;
}

export interface LetterRenderer {
  renderEmail(letter: Letter, opts: { company: CompanyRequisites }): { subject: string; html: string; text: string };
  renderLetterPdf(letter: Letter, company: CompanyRequisites): Promise<Uint8Array>;
}

/** Fault injection points for tests (the default does nothing). */
export interface Faults {
  /** After the decision, before the recheck, the rendering and the outbox claim (nothing recorded yet). */
  beforeRecheck?(l: LetterKey): void | Promise<void>;
  /** After the outbox claim recorded `sending`, right before the send call. */
  beforeSend?(l: LetterKey): void | Promise<void>;
  afterSend?(l: LetterKey): void | Promise<void>;
}

/** The run's bookkeeping: failed customers, the run record, the run's letters. */
export interface RunBookkeeping {
  recordFailure(runDate: string, customerId: string, error: string, cause: string, executionName: string): Promise<void>;
  putRun(runDate: string, record: Record<string, unknown>): Promise<void>;
  lettersOfRun(runDate: string): Promise<LetterRecord[]>;
  /** Every letter of a customer (any run): tells a customer already at litigation from a new one. */
  lettersOfCustomer(customerId: string): Promise<LetterRecord[]>;
  /** Customer profiles (for names in the digest); items carry customerId and legalName. */
  profiles(customerIds: string[]): Promise<Record<string, unknown>[]>;
}

export interface RunStarter {
  /** Starts an execution; 'exists' when an execution with this name was already started. */
  start(executionName: string, input: Record<string, unknown>): Promise<{ executionArn: string } | 'exists'>;
}

/** SES feedback: marks addresses undeliverable on the profile; false when the customer has no profile. */
export interface ContactBook {
  markUndeliverable(customerId: string, emails: string[], reason: string, at: string): Promise<boolean>;
}
