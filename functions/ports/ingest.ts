/**
 * Ingest ports: what the webhook, replay and bank-import use cases need beyond the ledger (the payload
 * archive's read side, customer lookups for bank payments, the review list) and their logger.
 */
import type { CalendarDate } from '../domain/dates.js';

/** Minimal structured logger (Powertools Logger satisfies it). */
export interface IngestLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
  /** Powertools: sets correlation_id on every following log line of this invocation. */
  setCorrelationId?(value: unknown): void;
}

export const silentLogger: IngestLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** One archived raw payload, as written by PayloadArchive.archive. */
export interface ArchivedPayload {
  source: string;
  id: string;
  raw: string;
  headers: Record<string, string>;
  archivedAt: string;
}

/** Read side of the payload archive (for `claimflow replay <archiveRef>`). */
export interface ArchiveReader {
  read(ref: string): Promise<ArchivedPayload>;
}

/** Customer and invoice lookups used to match bank payments. */
export interface CustomerDirectory {
  /** The customer with this INN (and KPP when given and the customer has one); undefined if none or ambiguous. */
  findCustomerByTaxId(inn: string, kpp?: string): Promise<{ customerId: string } | undefined>;
  /**
   * Invoices of this customer whose number equals one of `numbers` (as written in the payment
   * purpose, e.g. "123", "А-17", "0045"; the adapter should compare ignoring leading zeros and case).
   */
  findInvoicesByNumber(customerId: string, numbers: string[]): Promise<{ invoiceId: string; number: string }[]>;
}

/** A bank document as parsed from the 1C file, kept verbatim in the review list. */
export interface BankDocument {
  /** Line number (1-based) of the `СекцияДокумент=` line. */
  line: number;
  kind: string;
  number: string;
  date: CalendarDate;
  amount: string;
  receivedDate?: CalendarDate;
  payerInn?: string;
  payerKpp?: string;
  payerName?: string;
  payerAccount?: string;
  payeeAccount?: string;
  payeeInn?: string;
  purpose?: string;
  /** Every key=value of the section, verbatim. */
  fields: Record<string, string>;
}

export interface ReviewItem {
  importId: string;
  line: number;
  reason: string;
  document: BankDocument;
}

/** Unmatched or refused bank documents an operator resolves. Idempotent per (importId, line). */
export interface ReviewList {
  add(item: ReviewItem): Promise<void>;
}
