/** Ports of the receivables reports (functions/app/reports.ts). */
import type { CustomerBook } from '../domain/reports/model.js';

export interface ReadProgress {
  /** Items read so far (all customers). */
  items: number;
  /** Customers seen so far. */
  customers: number;
}

/** Reads every customer's book (entries, stage history, promises, letters sent, claim cases). */
export interface ReportSource {
  books(opts?: { onProgress?: (p: ReadProgress) => void }): Promise<CustomerBook[]>;
}
