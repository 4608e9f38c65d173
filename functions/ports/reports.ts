/** Ports of the receivables reports (functions/app/reports.ts). */
import type { CustomerBook } from '../domain/reports/model.js';

export interface ReadProgress {
  /** Items read so far (all customers). */
  items: number;
  /** Customers seen so far. */
  customers: number;
}

/**
 * Reads every customer's book (entries, stage history, promises, letters sent, claim cases). An
 * aborted `signal` stops the read and rejects (the synchronous route's read budget, functions/app/report-jobs.ts).
 */
export interface ReportSource {
  books(opts?: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal }): Promise<CustomerBook[]>;
}
