/**
 * Ledger ports: the write side (LedgerService, and under it the store the apply use case folds over),
 * the dunning run's read side (LedgerReader), period close and refusal records.
 */
import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { InvoiceDetail, InvoiceView } from '../domain/ledger/invoice-view.js';
import type { CalendarDate } from '../domain/dates.js';
import type { Currency } from '../domain/money.js';
import type { FieldIssue } from '../domain/errors.js';

/** Where a command came from; (source, eventId) is the dedupe key. */
export interface CommandOrigin {
  source: string; // 'billing' | 'stripe' | 'yookassa' | 'cloudpayments' | 'bank' | 'cli' | 'demo'
  eventId: string;
  /** Reference to the archived raw payload, for replay. */
  archiveRef?: string;
  receivedAt: string; // ISO instant, from the adapter's clock
}

export type ApplyResult =
  | { status: 'applied'; entryKey: string }
  | { status: 'duplicate'; entryKey: string }
  /** Stored but waiting for a missing document (e.g. a payment naming an invoice not yet seen converges later). */
  | { status: 'pending'; entryKey: string; waitingFor: string };

/**
 * The ledger write side. Exactly once: the dedupe record and the ledger write commit in one
 * transaction. Throws ValidationError (unknown customer …), ClosedPeriodError (recorded as refused).
 */
export interface LedgerService {
  apply(command: LedgerCommand, origin: CommandOrigin): Promise<ApplyResult>;
}

/** A customer as the dunning run and letters see it. */
export interface CustomerProfileView {
  customerId: string;
  legalName: string;
  taxId?: string;
  kpp?: string;
  emails: string[];
  /** Contacts SES reported as bounced/complained; letters for them go to print. */
  undeliverableEmails?: string[];
  postalAddress?: { postalCode?: string; country?: string; city: string; line1: string; line2?: string };
  locale: 'ru' | 'en';
  segment: string;
  manager?: string;
}

/** An invoice as the dunning run, letters and operators see it (the one definition: domain/ledger/invoice-view.ts). */
export type OpenInvoiceView = InvoiceView;
export type { InvoiceDetail, InvoiceView };

/** The read side used by the dunning run. */
export interface LedgerReader {
  /** Customers with an open invoice due on or before `dueOnOrBefore`, paged (opaque token). */
  listDebtors(dueOnOrBefore: CalendarDate, pageToken?: string, pageSize?: number): Promise<{ customerIds: string[]; nextToken?: string }>;
  getProfile(customerId: string): Promise<CustomerProfileView | undefined>;
  /** Invoices of a customer with outstanding > 0 (consistent read: checked again right before a send). */
  openInvoices(customerId: string): Promise<OpenInvoiceView[]>;
}

/** One stored ledger entry: the parsed command, where it came from, and its revision (upserts: rev+1). */
export interface StoredEntry {
  entryKey: string;
  command: LedgerCommand;
  origin?: CommandOrigin;
  recordedAt?: string;
  rev: number;
}

/** The append-only history of a customer. */
export interface LedgerHistory {
  listEntries(customerId: string): Promise<{ command: LedgerCommand }[]>;
}

/** A command the ledger refused (closed period, bad reference): recorded, never silently dropped. */
export interface RefusalRecord {
  customerId: string;
  entryKey: string;
  commandType: string;
  entryDate?: string;
  command: LedgerCommand;
  origin: CommandOrigin;
  code: string;
  message: string;
  fields?: FieldIssue[];
  closedThrough?: string;
  at: string;
}

export interface PeriodClose {
  closedThrough: CalendarDate;
  by: string;
  reason: string;
  at: string;
}

// ------------------------------------------------------------------------------------------------
// What the apply use case (functions/app/ledger-write.ts) folds over and writes

/** The customer's summary as the fold derives it (the debtor index follows minOpenDueDate). */
export interface SummaryRecord {
  legalName?: string;
  balances: Partial<Record<Currency, string>>;
  receivable: Partial<Record<Currency, string>>;
  unappliedCredit: Partial<Record<Currency, string>>;
  refundDebt: Partial<Record<Currency, string>>;
  openInvoiceCount: number;
  minOpenDueDate?: CalendarDate;
  pendingCount: number;
  lastEntryDate?: CalendarDate;
}

/** The customer's summary as stored: the derived record with its version (Σ rev of the entries). */
export interface CustomerSummary extends Omit<SummaryRecord, 'lastEntryDate'> {
  customerId: string;
  version: number;
}

/** A customer's ledger as read (or as an instance last committed it): entries, invoices, version (Σ rev). */
export interface StoredLedger {
  entries: Map<string, StoredEntry>;
  invoices: Map<string, InvoiceDetail>;
  version: number;
}

/**
 * Everything one applied command writes, committed together: the dedupe record and the entry (both
 * new, or the entry at `previousRev`), the summary at `version + 1` (condition: still `version`), the
 * profile or contract it upserts, and the invoices whose state changed.
 */
export interface LedgerWriteSet {
  customerId: string;
  /** ISO instant of the write. */
  at: string;
  origin: CommandOrigin;
  entry: StoredEntry & { origin: CommandOrigin; recordedAt: string };
  /** The entry's revision as read (an upsert overwrites it); absent for a new entry. */
  previousRev?: number;
  /** The version read (0: the customer has no summary yet). */
  version: number;
  summary: SummaryRecord;
  profile?: Extract<LedgerCommand, { type: 'customer.upsert' }>;
  contract?: Extract<LedgerCommand, { type: 'contract.upsert' }>;
  invoices: InvoiceDetail[];
}

export type CommitOutcome =
  | { status: 'committed' }
  /** The dedupe record exists: the event was stored before. */
  | { status: 'duplicate' }
  /** Someone else wrote the customer since the read (version, entry, transaction conflict). */
  | { status: 'conflict'; reasons: string[]; error: unknown };

/** A new customer's whole history at once (initial migration): same items as applying each command. */
export interface LedgerImportSet {
  customerId: string;
  at: string;
  entries: (StoredEntry & { origin: CommandOrigin; recordedAt: string })[];
  profile?: Extract<LedgerCommand, { type: 'customer.upsert' }>;
  contracts: Extract<LedgerCommand, { type: 'contract.upsert' }>[];
  invoices: InvoiceDetail[];
  summary: SummaryRecord;
  version: number;
}

/** Storage of the ledger's write path: one read of a customer, one transactional commit. */
export interface LedgerStore {
  /** One strongly consistent read of a customer's entries and invoices. */
  load(customerId: string): Promise<StoredLedger>;
  /** Commits the write set in one transaction (oversized invoice sets follow, guarded by the version). */
  commit(write: LedgerWriteSet): Promise<CommitOutcome>;
  /** Writes a new customer's imported history (plain batch writes, the summary last). */
  importAll(write: LedgerImportSet): Promise<void>;
}

/** The closed-period record and its history. */
export interface PeriodCloseStore {
  getPeriodClose(): Promise<PeriodClose | undefined>;
  /** Saves a close if the stored one is still before `record.closedThrough`; 'conflict' otherwise. */
  savePeriodClose(record: PeriodClose, previous?: CalendarDate): Promise<'saved' | 'conflict'>;
  listPeriodCloses(): Promise<(PeriodClose & { previous?: CalendarDate })[]>;
}

/** Refused commands, per customer and overall. */
export interface RefusalStore {
  recordRefusal(r: RefusalRecord): Promise<void>;
  listRefusals(opts?: { customerId?: string; limit?: number }): Promise<RefusalRecord[]>;
}
