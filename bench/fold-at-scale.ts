/**
 * How much memory and time one function needs to fold a whole ledger (docs/ARCHITECTURE.md, "Reports
 * at scale"): generates the bench's typical book for N customers in memory (5 monthly invoices each,
 * as the report adapter would return it: fresh objects, no shared strings), then measures the books'
 * heap, aging + efficiency by manager (wall time and peak heap), and the aging as XLSX and CSV.
 * No DynamoDB: the read is the separate figure of `npm run bench -- --only reports`.
 *
 *   node --expose-gc --max-old-space-size=8000 --import tsx bench/fold-at-scale.ts 200000   # 1M invoices
 *
 * Prints figures; asserts nothing.
 */
import { customerHistory, prng } from './generate.js';
import { fmt } from './shared.js';
import type { CalendarDate } from '../functions/domain/dates.js';
import { parseReportRequest, runReport, type CustomerBook } from '../functions/domain/reports/index.js';
import { renderReportCsv } from '../functions/render/report-csv.js';
import { renderReportXlsx } from '../functions/render/report-xlsx.js';

const AS_OF = '2026-11-24' as CalendarDate;
const customers = Number(process.argv[2] ?? 10_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !Number.isInteger(customers) || customers < 1) {
  console.error('usage: node --expose-gc [--max-old-space-size=MB] --import tsx bench/fold-at-scale.ts CUSTOMERS');
  process.exit(2);
}
const mib = (b: number) => `${fmt(b / 2 ** 20)} MiB`;
const s = (ms: number) => `${fmt(ms / 1000)} s`;

gc();
const base = process.memoryUsage().heapUsed;
const r = prng(42);
const books: CustomerBook[] = [];
let entries = 0;
for (let i = 0; i < customers; i++) {
  const cmds = JSON.parse(JSON.stringify(customerHistory(i, 5, AS_OF, r, 'typical'))) as CustomerBook['entries'];
  entries += cmds.length;
  books.push({ customerId: String((cmds[0] as { customerId: string }).customerId), entries: cmds, stages: [], promises: [], letters: [], cases: [] });
}
gc();
const booksHeap = process.memoryUsage().heapUsed - base;
console.log(`# fold at scale — ${customers} customers, ${entries} ledger entries, node ${process.version}`);
console.log(`books in the heap        ${mib(booksHeap)} (${fmt(booksHeap / entries, 0)} B an entry)`);

let peak = 0;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const aging = runReport(books, parseReportRequest({ name: 'aging', asOf: AS_OF }));
runReport(books, parseReportRequest({ name: 'efficiency', asOf: AS_OF, groupBy: 'manager' }));
const foldMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
peak = Math.max(peak, process.memoryUsage().heapUsed);
clearInterval(sample);
console.log(`aging + efficiency      ${s(foldMs)} wall, ${s((cpu.user + cpu.system) / 1000)} CPU, heap at the peak ${mib(peak - base)}; ${aging.detail.rows.length} aging rows`);

const t1 = performance.now();
const xlsx = await renderReportXlsx(aging);
const t2 = performance.now();
renderReportCsv(aging);
const t3 = performance.now();
console.log(`aging as XLSX           ${s(t2 - t1)}, ${mib(xlsx.byteLength)}; CSV ${s(t3 - t2)}`);
console.log(`process RSS now         ${mib(process.memoryUsage().rss)} (${books.length} books still held)`);
