/**
 * Reference checks of a (zod-parsed) command against the customer's current ledger state, and the
 * closed-period rule. Pure. The adapter calls these before writing; failures are refused with a typed
 * error and recorded as refusals (audit), never silently dropped.
 */
import { Decimal } from 'decimal.js';
import { ClosedPeriodError, ValidationError, type FieldIssue } from '../errors.js';
import { addDays, type CalendarDate } from '../dates.js';
import { entryDate, type LedgerCommand } from './commands.js';
import type { LedgerState } from './fold.js';

/** Throws ClosedPeriodError when the entry is dated on or before `closedThrough`. Master data has no date. */
export function assertOpenPeriod(command: LedgerCommand, closedThrough: CalendarDate | undefined): void {
  const d = entryDate(command);
  if (closedThrough && d && d <= closedThrough) throw new ClosedPeriodError(closedThrough, d);
}

export interface ValidateOptions {
  /** Today's business date; a payment dated later than tomorrow is refused ("recorded when money arrives"). */
  today?: CalendarDate;
}

/** Field-level issues of a command against the state (empty = acceptable). */
export function referenceIssues(state: LedgerState, c: LedgerCommand, opts: ValidateOptions = {}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (c.type === 'customer.upsert') return issues;
  if (!state.customer) {
    issues.push({ field: 'customerId', message: `unknown customer "${c.customerId}"; send customer.upsert first` });
    return issues;
  }
  const invoice = (id: string) => state.invoices.find((i) => i.invoiceId === id);
  const contractCurrencies = new Set(Object.values(state.contracts).map((k) => k.currency));
  switch (c.type) {
    case 'contract.upsert': {
      const existing = state.contracts[c.contractId];
      if (existing && existing.currency !== c.currency && state.invoices.some((i) => i.contractId === c.contractId)) {
        issues.push({ field: 'currency', message: `contract ${c.contractId} already has invoices in ${existing.currency}` });
      }
      break;
    }
    case 'invoice.issued': {
      if (c.dueDate < c.issueDate) issues.push({ field: 'dueDate', message: 'must not be before issueDate' });
      if (c.contractId) {
        const k = state.contracts[c.contractId];
        if (!k) issues.push({ field: 'contractId', message: `unknown contract "${c.contractId}"; send contract.upsert first` });
        else if (k.currency !== c.amount.currency) {
          issues.push({ field: 'amount.currency', message: `invoice currency ${c.amount.currency} differs from contract currency ${k.currency}` });
        }
      }
      break;
    }
    case 'invoice.voided': {
      const inv = invoice(c.invoiceId);
      if (!inv) issues.push({ field: 'invoiceId', message: `unknown invoice "${c.invoiceId}"` });
      else if (inv.status === 'void') issues.push({ field: 'invoiceId', message: 'invoice is already void' });
      else if (c.date < inv.issueDate) issues.push({ field: 'date', message: `must not be before the invoice date ${inv.issueDate}` });
      break;
    }
    case 'creditNote.issued': {
      if (c.invoiceId) {
        const inv = invoice(c.invoiceId);
        if (inv?.status === 'void') issues.push({ field: 'invoiceId', message: 'invoice is void' });
        if (inv && inv.amount.currency !== c.amount.currency) {
          issues.push({ field: 'amount.currency', message: `credit note currency ${c.amount.currency} differs from invoice currency ${inv.amount.currency}` });
        }
      } else if (contractCurrencies.size > 0 && !contractCurrencies.has(c.amount.currency)) {
        issues.push({ field: 'amount.currency', message: `no contract of this customer is in ${c.amount.currency}` });
      }
      break;
    }
    case 'writeOff.recorded': {
      const inv = invoice(c.invoiceId);
      if (!inv) issues.push({ field: 'invoiceId', message: `unknown invoice "${c.invoiceId}"` });
      else if (inv.status === 'void') issues.push({ field: 'invoiceId', message: 'invoice is void' });
      else if (inv.amount.currency !== c.amount.currency) issues.push({ field: 'amount.currency', message: `invoice is in ${inv.amount.currency}` });
      else if (new Decimal(c.amount.amount).gt(inv.outstanding.amount)) {
        issues.push({ field: 'amount.amount', message: `exceeds the outstanding ${inv.outstanding.amount} of invoice ${inv.number}` });
      }
      if (inv && c.date < inv.issueDate) issues.push({ field: 'date', message: `must not be before the invoice date ${inv.issueDate}` });
      break;
    }
    case 'payment.received': {
      const cur = c.amount.currency;
      if (opts.today && c.date > addDays(opts.today, 1)) issues.push({ field: 'date', message: 'a payment is recorded when the money arrives, not before' });
      const named = new Set([...(c.invoiceIds ?? []), ...(c.allocations ?? []).map((a) => a.invoiceId)]);
      for (const id of named) {
        const inv = invoice(id);
        if (!inv) continue; // may arrive later: the payment waits for it (pending)
        const contractCur = inv.contractId ? state.contracts[inv.contractId]?.currency : undefined;
        const docCur = contractCur ?? inv.amount.currency;
        if (docCur !== cur) {
          issues.push({
            field: 'amount.currency',
            message: `payment currency ${cur} differs from the ${contractCur ? 'contract' : 'invoice'} currency ${docCur} of invoice ${inv.number}`,
          });
          break;
        }
      }
      if (named.size === 0 && contractCurrencies.size > 0 && !contractCurrencies.has(cur)) {
        issues.push({ field: 'amount.currency', message: `payment currency ${cur} differs from the contract currency ${[...contractCurrencies].join(', ')}` });
      }
      if (c.allocations?.length) {
        let total = new Decimal(0);
        const seen = new Set<string>();
        c.allocations.forEach((a, i) => {
          if (a.amount.currency !== cur) issues.push({ field: `allocations.${i}.amount.currency`, message: `must be the payment currency ${cur}` });
          if (seen.has(a.invoiceId)) issues.push({ field: `allocations.${i}.invoiceId`, message: 'named twice' });
          seen.add(a.invoiceId);
          total = total.plus(a.amount.amount);
        });
        if (total.gt(c.amount.amount)) issues.push({ field: 'allocations', message: `split ${total.toFixed()} exceeds the payment amount ${c.amount.amount}` });
      }
      break;
    }
    case 'payment.reversed': {
      const p = state.payments.find((x) => x.paymentId === c.paymentId);
      if (!p) issues.push({ field: 'paymentId', message: `unknown payment "${c.paymentId}"` });
      else if (c.date < p.date) issues.push({ field: 'date', message: `must not be before the payment date ${p.date}` });
      break;
    }
    case 'refund.issued': {
      if (c.paymentId) {
        const p = state.payments.find((x) => x.paymentId === c.paymentId);
        if (!p) issues.push({ field: 'paymentId', message: `unknown payment "${c.paymentId}"` });
        else if (p.amount.currency !== c.amount.currency) issues.push({ field: 'amount.currency', message: `payment is in ${p.amount.currency}` });
      } else if (contractCurrencies.size > 0 && !contractCurrencies.has(c.amount.currency)) {
        issues.push({ field: 'amount.currency', message: `no contract of this customer is in ${c.amount.currency}` });
      }
      break;
    }
  }
  return issues;
}

/** Throws ValidationError with the field-level issues, if any. */
export function assertReferences(state: LedgerState, c: LedgerCommand, opts: ValidateOptions = {}): void {
  const issues = referenceIssues(state, c, opts);
  if (issues.length > 0) throw new ValidationError(issues);
}
