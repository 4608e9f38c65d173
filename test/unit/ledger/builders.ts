/** Test builders: ledger commands parsed through the real zod schemas. */
import { zLedgerCommand, type LedgerCommand } from '../../../functions/domain/ledger/commands.js';

type Cur = 'RUB' | 'USD';
const m = (amount: string, currency: Cur = 'RUB') => ({ amount, currency });

export const cmd = (raw: Record<string, unknown>): LedgerCommand => zLedgerCommand.parse(raw);

export const customer = (customerId = 'C1', extra: Record<string, unknown> = {}) =>
  cmd({ type: 'customer.upsert', customerId, legalName: `ООО «${customerId}»`, taxId: '7701234567', ...extra });

export const contract = (contractId = 'K1', currency: Cur = 'RUB', customerId = 'C1') =>
  cmd({ type: 'contract.upsert', customerId, contractId, number: `Д-${contractId}`, date: '2024-01-10', currency });

export const invoice = (invoiceId: string, amount: string, issueDate: string, dueDate: string, extra: Record<string, unknown> = {}) =>
  cmd({ type: 'invoice.issued', customerId: 'C1', invoiceId, number: `N-${invoiceId}`, issueDate, dueDate, amount: m(amount), ...extra });

export const payment = (paymentId: string, amount: string, date: string, extra: Record<string, unknown> = {}) =>
  cmd({ type: 'payment.received', customerId: 'C1', paymentId, date, amount: m(amount), ...extra });

export const split = (invoiceId: string, amount: string) => ({ invoiceId, amount: m(amount) });

export const creditNote = (creditNoteId: string, amount: string, date: string, invoiceId?: string) =>
  cmd({ type: 'creditNote.issued', customerId: 'C1', creditNoteId, date, amount: m(amount), ...(invoiceId ? { invoiceId } : {}) });

export const voidInvoice = (invoiceId: string, date: string) => cmd({ type: 'invoice.voided', customerId: 'C1', invoiceId, date });

export const reversal = (paymentId: string, date: string) => cmd({ type: 'payment.reversed', customerId: 'C1', paymentId, date });

export const refund = (refundId: string, amount: string, date: string, paymentId?: string) =>
  cmd({ type: 'refund.issued', customerId: 'C1', refundId, date, amount: m(amount), ...(paymentId ? { paymentId } : {}) });

export const writeOff = (writeOffId: string, invoiceId: string, amount: string, date: string) =>
  cmd({ type: 'writeOff.recorded', customerId: 'C1', writeOffId, invoiceId, date, amount: m(amount), reason: 'безнадежный долг' });

/** K1 1000.00 and K2 500.00, 300.00 naming the K1 invoice (hand-checked: K1 700.00, K2 500.00 on 2025-01-20). */
export const twoContractBook = () => [
  customer(),
  contract('K1'),
  contract('K2'),
  invoice('I1', '1000.00', '2025-01-01', '2025-01-10', { contractId: 'K1' }),
  invoice('I2', '500.00', '2025-01-01', '2025-01-10', { contractId: 'K2' }),
  payment('P1', '300.00', '2025-01-05', { invoiceIds: ['I1'] }),
];
