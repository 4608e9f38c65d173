/**
 * The shipment sentence of a dunning letter, from the customer's partition as the run read it: the same
 * hold dates (functions/domain/credit/holds.ts) and terms the credit check uses, with the letter being
 * sent counted as sent.
 */
import type { CalendarDate } from '../../domain/dates.js';
import { effectiveTerms, shipmentNotice, type CreditInvoice, type CreditPolicy, type CreditTerms, type HoldRules, type ShipmentNotice } from '../../domain/credit/index.js';
import type { StageName } from '../../domain/policy/schema.js';
import type { Money } from '../../domain/money.js';

export interface NoticeInput {
  openInvoices: { invoiceId: string; number: string; contractId?: string; dueDate: CalendarDate; outstanding: Money }[];
  letters: Record<string, { stage: string; runDate: string }[]>;
  /** The customer's snapshot terms, when it has a snapshot. */
  terms?: CreditTerms;
  contractTerms?: Record<string, CreditTerms>;
  customerType: string;
  openCase?: { openedOn?: CalendarDate };
}

export function noticeForLetter(
  policy: CreditPolicy,
  rules: HoldRules,
  input: NoticeInput,
  letter: { stage: string; invoiceIds: readonly string[]; runDate: CalendarDate },
): ShipmentNotice {
  const terms = input.terms ?? effectiveTerms(policy, { customerType: input.customerType }).terms;
  const sending = new Set(letter.invoiceIds);
  const invoices: CreditInvoice[] = input.openInvoices.map((i) => {
    const sent = (input.letters[i.invoiceId] ?? []).map((l) => ({ stage: l.stage as StageName, runDate: l.runDate as CalendarDate }));
    if (sending.has(i.invoiceId)) sent.push({ stage: letter.stage as StageName, runDate: letter.runDate });
    return { invoiceId: i.invoiceId, number: i.number, ...(i.contractId ? { contractId: i.contractId } : {}), dueDate: i.dueDate, outstanding: i.outstanding, letters: sent };
  });
  const opensCase = letter.stage === 'claim' || letter.stage === 'litigation';
  const claimHoldsFrom = policy.holdOnOpenClaim ? (input.openCase ? (input.openCase.openedOn ?? letter.runDate) : opensCase ? letter.runDate : undefined) : undefined;
  return shipmentNotice({
    invoices,
    termsFor: (inv) => (inv.contractId && input.contractTerms?.[inv.contractId]) || terms,
    customerTerms: terms,
    rules,
    runDate: letter.runDate,
    ...(claimHoldsFrom ? { claimHoldsFrom } : {}),
  });
}
