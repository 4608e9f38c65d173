/**
 * A one-customer ledger with the snapshot use cases around it (in-memory documents, a source that
 * counts its reads): what the snapshot-source and snapshot-backfill tests share.
 */
import type { ReportsDeps } from '../../../functions/app/reports.js';
import { writeDailySnapshot } from '../../../functions/app/weekly-summary.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { parseReportsConfig } from '../../../functions/domain/reports/config.js';
import type { DocumentStore } from '../../../functions/ports/index.js';
import { customer, invoice, payment } from '../ledger/builders.js';
import { bookOf } from './arbitraries.js';

/** Invoice I1 of 1,000.00 issued 03-01, due 03-10; 400.00 paid on 03-12. */
export const snapshotBooks = [
  bookOf([customer('C1', { manager: 'Анна' }), invoice('I1', '1000.00', '2025-03-01', '2025-03-10'), payment('P1', '400.00', '2025-03-12', { invoiceIds: ['I1'] })]),
];

export function snapshotWorld() {
  const files = new Map<string, Uint8Array>();
  const puts: string[] = [];
  let reads = 0;
  const documents: DocumentStore = {
    put: async (key, body) => {
      puts.push(key);
      files.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
      return { uri: `mem://${key}` };
    },
    get: async (key) => files.get(key),
  };
  const source = {
    books: async () => {
      reads++;
      return snapshotBooks;
    },
  };
  const config = parseReportsConfig(undefined);
  const deps: ReportsDeps = { source, config, documents };
  return {
    files,
    puts,
    documents,
    source,
    config,
    deps,
    reads: () => reads,
    /** What the nightly job does for a day. */
    nightly: (day: CalendarDate) => writeDailySnapshot({ source, documents, config }, day),
  };
}
