/** Ports of the receivables reports (functions/app/reports.ts). */
import type { CustomerBook } from '../domain/reports/model.js';

export interface ReadProgress {
  /** Items read so far (all customers). */
  items: number;
  /** Customers seen so far. */
  customers: number;
}

/**
 * Whose books: `all` (default) every customer's; `debtors` only the customers with an open invoice
 * now (the ledger's debtor index); `open` those and the customers holding unapplied credit or a
 * refund debt now. Without their letters — enough for the reports that only show what is open as of
 * today or later (functions/app/reports.ts decides which).
 */
export type BooksScope = 'all' | 'debtors' | 'open';

/**
 * Reads every customer's book (entries, stage history, promises, letters sent, claim cases). An
 * aborted `signal` stops the read and rejects (the synchronous route's read budget, functions/app/report-jobs.ts).
 */
export interface ReportSource {
  books(opts?: { onProgress?: (p: ReadProgress) => void; scope?: BooksScope; signal?: AbortSignal }): Promise<CustomerBook[]>;
  /** Whether a scope can be read completely now (`open` needs its index back-filled); absent: only `all` and `debtors`. */
  ready?(scope: BooksScope): Promise<boolean>;
}
