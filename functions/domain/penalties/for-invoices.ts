/**
 * Penalty accrued on a set of invoices as of a date, per the contract's penalty terms (pure): the
 * contractual rule when the contract sets one, otherwise interest under ГК РФ ст. 395. Payments and
 * credits allocated to each invoice reduce that invoice's base (never another's) from the day after they
 * were made.
 * Used by warning and claim letters and by claim cases.
 */
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../dates.js';
import type { ContractUpsert } from '../ledger/commands.js';
import type { LedgerState } from '../ledger/fold.js';
import { calculatePenalty, type PenaltyResult } from './engine.js';
import { penaltyBasesText, penaltyBasisText, type PenaltyTerms } from './basis.js';
import type { RuleData } from '../rules/index.js';

export interface InvoicePenalty {
  contractId?: string;
  /** The basis in Russian (court documents); `terms` is the same as data, for other languages. */
  basis: string;
  terms: PenaltyTerms;
  result: PenaltyResult;
}

export interface PenaltyForInvoices {
  /** Sum over contracts, decimal string (currency of the invoices). */
  total: string;
  currency: string;
  /** e.g. "п. 6.2 договора № ДП-17/2025 (0,2 % в день)" or "ГК РФ ст. 395" (Russian; see penaltyBasesText for other languages). */
  basis: string;
  /** Each part's basis as data (penaltyBasesText words them per language). */
  terms: PenaltyTerms[];
  parts: InvoicePenalty[];
}

const termsOf = (c: ContractUpsert | undefined): PenaltyTerms => {
  const p = c?.penalty;
  if (p?.rule === 'contractual')
    return {
      rule: 'contractual',
      ...(c ? { contractNumber: c.number } : {}),
      ...(p.clause ? { clause: p.clause } : {}),
      ratePctPerDay: p.ratePctPerDay,
      ...(p.capPct ? { capPct: p.capPct } : {}),
    };
  if (p?.rule === 'housing') return { rule: 'housing' };
  return { rule: 'interest395' };
};

export function penaltyForInvoices(state: LedgerState, invoiceIds: readonly string[], asOf: CalendarDate, rules: RuleData): PenaltyForInvoices | undefined {
  const wanted = new Set(invoiceIds);
  const invoices = state.invoices.filter((i) => wanted.has(i.invoiceId) && i.status !== 'void' && i.dueDate < asOf);
  if (!invoices.length) return undefined;
  const currency = invoices[0]!.amount.currency;
  const byContract = new Map<string, typeof invoices>();
  for (const inv of invoices.filter((i) => i.amount.currency === currency)) {
    const k = inv.contractId ?? '';
    byContract.set(k, [...(byContract.get(k) ?? []), inv]);
  }
  const parts: InvoicePenalty[] = [];
  for (const [contractId, list] of byContract) {
    const contract = contractId ? state.contracts[contractId] : undefined;
    const p = contract?.penalty;
    const rule = p?.rule ?? 'interest395';
    const charges = list.map((i) => ({ amount: i.amount.amount, lastDayToPay: i.dueDate, arisenOn: i.issueDate, label: i.number }));
    // Money applied to these invoices (payments, credit notes, write-offs), on the day it was applied and
    // to the invoice the ledger applied it to: each allocation names its charge, so the calculator never
    // re-splits it (a payment that named one invoice lowers that invoice's base only, as in the ledger fold).
    const chargeOf = new Map(list.map((inv, index) => [inv.invoiceId, index]));
    const payments = state.allocations
      .filter((a) => a.targetKind === 'invoice' && chargeOf.has(a.targetId) && !a.undoneBy && a.date <= asOf)
      .map((a) => ({ date: a.date, amount: a.amount.amount, charge: chargeOf.get(a.targetId)! }));
    const result = calculatePenalty(
      {
        rule,
        charges,
        payments,
        calculateTo: asOf,
        ...(p?.rule === 'contractual' ? { ratePctPerDay: p.ratePctPerDay, ...(p.capPct ? { capPct: p.capPct } : {}) } : {}),
        rounding: 'perPeriod',
      },
      rules,
    );
    const terms = termsOf(contract);
    parts.push({ ...(contractId ? { contractId } : {}), basis: penaltyBasisText(terms, 'ru'), terms, result });
  }
  const total = parts.reduce((s, p) => s.plus(p.result.total), new Decimal(0));
  if (total.isZero()) return undefined;
  const terms = parts.map((p) => p.terms);
  return { total: total.toFixed(2), currency, basis: penaltyBasesText(terms, 'ru'), terms, parts };
}
