/**
 * Claim case (претензионно-исковая работа): the record of one customer's debt on its way from the
 * pre-trial claim to court. Types only. Amounts are Money (decimal strings with currency); dates are
 * CalendarDate strings; instants (`at`) are ISO strings passed in by the caller. Pure.
 */
import type { CalendarDate } from '../dates.js';
import type { Money } from '../money.js';

export type ClaimStrategy = 'wait' | 'collect' | 'sell';
export const CLAIM_STRATEGIES: readonly ClaimStrategy[] = ['wait', 'collect', 'sell'];

export type ClaimStatus = 'pre-trial' | 'awaiting-approval' | 'approved' | 'litigation' | 'closed';
export const CLAIM_STATUSES: readonly ClaimStatus[] = ['pre-trial', 'awaiting-approval', 'approved', 'litigation', 'closed'];

export type CourtType = 'general' | 'arbitration';

/** The dunning stages that open and move a case. */
export type CaseStage = 'claim' | 'litigation';

/** Only this operator role may approve (or reject) moving a case to litigation. */
export const LEGAL_ROLE = 'legal';

export interface CaseInvoice {
  invoiceId: string;
  number: string;
  contractId?: string;
  issueDate: CalendarDate;
  dueDate: CalendarDate;
  amount: Money;
  /** Outstanding at the last assessment (0 once paid; the invoice stays in the basis). */
  outstanding: Money;
  /** Days overdue at the last assessment (0 when not yet overdue or paid). */
  daysOverdue: number;
  /** The run date that added the invoice to the case. */
  addedOn: CalendarDate;
}

export interface CasePenaltyPart {
  contractId?: string;
  rule: 'contractual' | 'interest395' | 'housing';
  /** Contract clause or statute, e.g. "п. 6.2 договора № ДП-09/2023 (0,1 % в день, не более 10 %)" or "ГК РФ ст. 395". */
  basis: string;
  ratePctPerDay?: string;
  capPct?: string;
  total: string;
  invoiceIds: string[];
  /** Number of itemized periods of the calculation. */
  periods: number;
  rulesVersion: string;
}

export interface CasePenalty {
  amount: Money;
  /** The day the penalty is computed to (inclusive). */
  asOf: CalendarDate;
  basis: string;
  parts: CasePenaltyPart[];
  /**
   * Where the itemized calculation lives: recomputed from the ledger with calculatePenalty (same rule
   * data version) and stored with the litigation package as `cases/<caseId>/calculation.json`.
   */
  reference: string;
}

export interface CaseDuty {
  court: CourtType;
  /** Computed for the court-order variant (price ≤ 500 000). */
  courtOrder: boolean;
  amount: Money;
  /** The state-duty table that applied, e.g. "333.21 from 2024-09-09". */
  table: string;
  formula: string;
  filedOn: CalendarDate;
}

export interface CaseEvent {
  at: string;
  by: string;
  kind:
    | 'opened'
    | 'invoices-added'
    | 'reassessed'
    | 'stage-reached'
    | 'approval-requested'
    | 'approval-waiting'
    | 'approved'
    | 'rejected'
    | 'strategy-set'
    | 'court-set'
    | 'package-built'
    | 'closed';
  note?: string;
}

export interface StageEntry {
  stage: CaseStage;
  on: CalendarDate;
  by: string;
}

export interface Approval {
  by: string;
  role: string;
  at: string;
  note?: string;
}

export interface ApprovalRequest {
  /** 1, 2, … : a rejected case may be asked for again when new debts reach litigation. */
  round: number;
  requestedOn: CalendarDate;
  requestedAt: string;
  /** Step Functions task token of the waiting execution (or the local execution's token). */
  token?: string;
  executionName?: string;
  decision?: { decision: 'approved' | 'rejected'; by: string; role: string; at: string; note?: string };
}

export interface ClaimCase {
  caseId: string;
  customerId: string;
  customerName?: string;
  taxId?: string;
  openedOn: CalendarDate;
  currency: Money['currency'];
  basis: CaseInvoice[];
  /** Max days overdue over the basis invoices still outstanding. */
  daysOverdue: number;
  /** Σ outstanding of the basis. */
  principal: Money;
  penalty: CasePenalty;
  /** Price of the claim (цена иска, НК 333.22): principal + penalty. */
  claimPrice: Money;
  /** Court type; `courtSetBy` says whether it is the default (from the INN / ИП) or an operator's choice. */
  court: CourtType;
  courtSetBy: 'default' | string;
  estimatedDuty: CaseDuty;
  /** principal + penalty + estimated duty (the duty is recovered from the debtor with the claim). */
  total: Money;
  strategy: ClaimStrategy;
  /** Decimal string 0–100. */
  expectedRecoveryPct: string;
  expectedRecoveryDate: CalendarDate;
  /** Who chose the strategy ("system" until an operator sets it). */
  strategySetBy: string;
  status: ClaimStatus;
  events: CaseEvent[];
  stageHistory: StageEntry[];
  approval?: Approval;
  approvalRequest?: ApprovalRequest;
  lastAssessedOn: CalendarDate;
  /** readyToFile false: built before the claim period ran out (fileFrom = the first filing day) or with an unclaimed invoice. */
  package?: { manifestKey: string; manifestUri: string; asOf: CalendarDate; builtAt: string; readyToFile?: boolean; fileFrom?: CalendarDate };
  /** Pre-trial claim letters sent for this customer's debts: date, the letter (outbox key), the invoices it listed. */
  claims?: { sentOn: CalendarDate; letter: string; invoiceIds: string[] }[];
  closed?: { on: CalendarDate; reason: string; by: string };
  /** Optimistic-concurrency version (the store checks it). */
  version: number;
}

/** Planning defaults per strategy until an operator sets its own figures. */
export const STRATEGY_DEFAULTS: Record<ClaimStrategy, { pct: string; days: number; label: string }> = {
  wait: { pct: '100', days: 30, label: 'pre-trial: negotiation, payment schedule, calls' },
  collect: { pct: '90', days: 180, label: 'court: claim or court order, then enforcement' },
  sell: { pct: '50', days: 14, label: 'factoring / assignment of the debt' },
};
