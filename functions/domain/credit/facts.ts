/**
 * What credit control knows about a customer: its open invoices (with the letters each got), its
 * unapplied credit, its active reservations and an open claim case. The adapter keeps these in a
 * per-customer snapshot item; the decision is a pure function of them and the day. Pure.
 */
import type { CalendarDate } from '../dates.js';
import type { Money } from '../money.js';
import type { StageName } from '../policy/schema.js';

export interface CreditInvoice {
  invoiceId: string;
  number: string;
  contractId?: string;
  dueDate: CalendarDate;
  outstanding: Money;
  /** Letters sent for it (the dunning run's stage history), oldest first. */
  letters?: { stage: StageName; runDate: CalendarDate }[];
}

/** Exposure held for an order confirmed but not yet invoiced. */
export interface Reservation {
  orderId: string;
  contractId?: string;
  amount: Money;
  /** ISO instant. */
  createdAt: string;
  /** ISO instant; after it the reservation no longer counts. */
  expiresAt: string;
  /** The override the order passed under, when it did. */
  overrideId?: string;
}

export interface CreditFacts {
  customerId: string;
  /** A group of related customers (a holding) whose exposure is also limited together. */
  groupId?: string;
  invoices: CreditInvoice[];
  /** Unapplied credit per currency (money received but not yet applied to an invoice). */
  unappliedCredit: Money[];
  reservations: Reservation[];
  openClaim?: { caseId: string; openedOn?: CalendarDate };
}

export const isActiveReservation = (r: Reservation, now: string): boolean => r.expiresAt > now;
