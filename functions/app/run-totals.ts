/**
 * Run totals: what the state machine carries from batch to batch and prints at the end.
 * Pure; amounts are decimal strings per currency.
 */
import { Decimal } from 'decimal.js';
import { isCurrency, minorUnits } from '../domain/money.js';

export const STAGES = ['reminder', 'warning', 'claim', 'litigation'] as const;
export type Stage = (typeof STAGES)[number];

export type LetterOutcome = 'sent' | 'already-sent' | 'ambiguous' | 'failed' | 'cancelled' | 'would-send';

export interface LetterResult {
  stage: Stage;
  invoiceNumbers: string[];
  channels: string[];
  outcome: LetterOutcome;
  total: { amount: string; currency: string }[];
  note?: string;
  documentUri?: string;
}

/** The output of one Map item: what was decided and sent for one customer, in plain words too. */
export interface CustomerResult {
  customerId: string;
  status: 'processed' | 'nothing-due' | 'failed';
  summary?: string;
  letters?: LetterResult[];
  skipped?: { invoice: string; reason: string }[];
  error?: string;
  cause?: string;
  /** The customer's individual terms, as deviations from the policy. */
  deviations?: { field: string; policyValue: unknown; customerValue: unknown }[];
  /** The claim case opened or moved to approval for this customer. */
  claimCase?: { caseId: string; status: string; action: string };
}

/**
 * What the run totals need of one customer: per letter its stage, outcome and amounts, and how many
 * invoices were skipped. The Map item's output in the DunningRun (bounded whatever the customer's book).
 */
export interface CustomerTally {
  letters: { stage: Stage; outcome: LetterOutcome; total: { amount: string; currency: string }[] }[];
  skipped: number;
}

export function tallyOf(r: Pick<CustomerResult, 'letters' | 'skipped'>): CustomerTally {
  return { letters: (r.letters ?? []).map((l) => ({ stage: l.stage, outcome: l.outcome, total: l.total })), skipped: r.skipped?.length ?? 0 };
}

/** A Map item's output: the full result (dry runs, local) or the lean one (customerId, status, tally). */
export type BatchItem = Pick<CustomerResult, 'customerId' | 'status' | 'error' | 'cause'> & Partial<CustomerResult> & { tally?: CustomerTally; recorded?: boolean };

export interface RunTotals {
  customers: number;
  failures: number;
  letters: Record<Stage, number>;
  skipped: number;
  ambiguous: number;
  /** stage → currency → decimal string of outstanding amounts in letters sent. */
  amounts: Record<string, Record<string, string>>;
  failedCustomers?: string[];
}

export const emptyTotals = (): RunTotals => ({
  customers: 0,
  failures: 0,
  letters: { reminder: 0, warning: 0, claim: 0, litigation: 0 },
  skipped: 0,
  ambiguous: 0,
  amounts: {},
});

/** Adds one batch of Map results to the totals. Letters count when sent (or would be sent in a dry run). */
export function addUp(totals: RunTotals, batch: BatchItem[]): RunTotals {
  const t: RunTotals = structuredClone({ ...emptyTotals(), ...totals });
  t.failedCustomers = [...(totals.failedCustomers ?? [])];
  for (const r of batch) {
    t.customers += 1;
    if (r.status === 'failed') {
      t.failures += 1;
      if (t.failedCustomers.length < 100) t.failedCustomers.push(r.customerId);
      continue;
    }
    const tally = r.tally ?? tallyOf(r);
    t.skipped += tally.skipped;
    for (const l of tally.letters) {
      if (l.outcome === 'ambiguous') t.ambiguous += 1;
      if (l.outcome !== 'sent' && l.outcome !== 'would-send') continue;
      t.letters[l.stage] += 1;
      t.amounts[l.stage] ??= {};
      const byCur = t.amounts[l.stage];
      for (const m of l.total) byCur[m.currency] = new Decimal(byCur[m.currency] ?? '0').plus(m.amount).toFixed(isCurrency(m.currency) ? minorUnits(m.currency) : 2);
    }
  }
  return t;
}
