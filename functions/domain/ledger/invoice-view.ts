/**
 * An invoice as everything outside the ledger fold sees it: the dunning policy, letters, the run,
 * operators. The one definition; narrower views pick from it.
 */
import type { CalendarDate } from '../dates.js';
import type { Money } from '../money.js';
import type { AllocationReason } from './fold.js';

export interface InvoiceView {
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

/** An invoice with its allocations: the materialized invoice the ledger stores. */
export interface InvoiceDetail extends InvoiceView {
  voidedOn?: CalendarDate;
  /** The date of the last allocation of a paid invoice. */
  paidOn?: CalendarDate;
  /** Active allocations in fold order. */
  allocations: { source: string; amount: string; date: CalendarDate; reason: AllocationReason }[];
}
