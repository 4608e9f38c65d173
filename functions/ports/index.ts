/**
 * Ports: the small interfaces use cases depend on. Adapters (functions/adapters) implement them over
 * AWS SDK clients created once per module; tests pass fakes.
 */
export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Optional attachments (PDF letters). */
  attachments?: { filename: string; contentType: string; content: Uint8Array }[];
  /** Tags for SES event destinations (customerId, stage, runDate). */
  tags?: Record<string, string>;
}

export interface Mailer {
  /** `raw`, when the adapter composed the message itself: the exact MIME bytes it handed to the provider. */
  send(mail: OutgoingEmail): Promise<{ messageId: string; raw?: Uint8Array }>;
}

export interface DocumentStore {
  /** Stores a document; returns its URI (s3://bucket/key or file:///path). */
  put(key: string, body: Uint8Array | string, contentType: string): Promise<{ uri: string }>;
  get(key: string): Promise<Uint8Array | undefined>;
}

/** Dead-letter sink: failures with enough context to replay. */
export interface DeadLetters {
  send(failure: { kind: string; reason: string; context: Record<string, unknown> }): Promise<void>;
}

/** Raw-payload archive: written before a webhook is acknowledged. */
export interface PayloadArchive {
  archive(source: string, id: string, raw: string, headers: Record<string, string>): Promise<{ ref: string }>;
}

import type { LedgerCommand } from '../domain/ledger/commands.js';
import type { CalendarDate } from '../domain/dates.js';
import type { Money } from '../domain/money.js';

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

export interface OpenInvoiceView {
  invoiceId: string;
  number: string;
  contractId?: string;
  contractNumber?: string;
  contractDate?: CalendarDate;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  amount: Money;
  outstanding: Money;
  status: 'open' | 'paid' | 'void';
}

/** The read side used by the dunning run. */
export interface LedgerReader {
  /** Customers with an open invoice due on or before `dueOnOrBefore`, paged (opaque token). */
  listDebtors(dueOnOrBefore: CalendarDate, pageToken?: string, pageSize?: number): Promise<{ customerIds: string[]; nextToken?: string }>;
  getProfile(customerId: string): Promise<CustomerProfileView | undefined>;
  /** Invoices of a customer with outstanding > 0 (consistent read: checked again right before a send). */
  openInvoices(customerId: string): Promise<OpenInvoiceView[]>;
}
