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
import type { RuleData } from '../rules/index.js';

export interface InvoicePenalty {
  contractId?: string;
  basis: string;
  result: PenaltyResult;
}

export interface PenaltyForInvoices {
  /** Sum over contracts, decimal string (currency of the invoices). */
  total: string;
  currency: string;
  /** e.g. "п. 6.2 договора ДП-17/2025" or "ГК РФ ст. 395". */
  basis: string;
  parts: InvoicePenalty[];
}

const basisOf = (c: ContractUpsert | undefined): string => {
  const p = c?.penalty;
  if (p?.rule === 'contractual')
    return `${p.clause ?? 'неустойка по договору'}${c ? ` № ${c.number}` : ''} (${p.ratePctPerDay.replace('.', ',')} % в день${p.capPct ? `, не более ${p.capPct.replace('.', ',')} %` : ''})`;
  if (p?.rule === 'housing') return 'ЖК РФ ст. 155 ч. 14';
  return 'ГК РФ ст. 395';
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
    parts.push({ ...(contractId ? { contractId } : {}), basis: basisOf(contract), result });
  }
  const total = parts.reduce((s, p) => s.plus(p.result.total), new Decimal(0));
  if (total.isZero()) return undefined;
  return { total: total.toFixed(2), currency, basis: [...new Set(parts.map((p) => p.basis))].join('; '), parts };
}
