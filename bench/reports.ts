/**
 * `npm run bench -- --only reports`: each report's time over the generated ledger (10,000 customers /
 * 50,000 invoices, typical mix, after a dunning run so stages and letters exist), beside the time of
 * simply reading the same items (a parallel Scan of the table, nothing computed), and the time and items
 * of reading only the debtors' / open books (what source=auto reads for unpaid / aging and portfolios
 * as of today). Prints figures; asserts nothing.
 */
import { DynamoReportSource } from '../functions/adapters/dynamo-reports.js';
import { addDays, type CalendarDate } from '../functions/domain/dates.js';
import { parseReportRequest, runReport, type CustomerBook } from '../functions/domain/reports/index.js';
import { weeklySummary } from '../functions/domain/reports/summary.js';
import { renderReportCsv } from '../functions/render/report-csv.js';
import { renderReportPdf } from '../functions/render/report-pdf.js';
import { renderReportXlsx } from '../functions/render/report-xlsx.js';
import { renderSummaryPdf } from '../functions/render/report-summary-pdf.js';
import type { LocalStack } from '../bin/local/stack.js';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const v = await fn();
  return [v, performance.now() - t];
}

export async function reportsSection(stack: LocalStack, asOf: CalendarDate, log: (l: string) => void = console.log): Promise<void> {
  const source = new DynamoReportSource({ doc: stack.doc, tableName: stack.tableName, timeZone: stack.settings.timeZone });
  const rules = stack.app.rules;
  log('\n## Reports over the generated ledger');
  const [items, scanMs] = await timed(() => source.scanAll());
  log(`read every item         ${items} items in ${s(scanMs)} (parallel Scan, 4 segments, nothing computed: the floor)`);
  const [books, booksMs] = await timed(() => source.books());
  const entries = books.reduce((n, b) => n + b.entries.length, 0);
  const letters = books.reduce((n, b) => n + b.letters.length, 0);
  log(`read the books          ${books.length} customers, ${entries} ledger entries, ${letters} letters in ${s(booksMs)} (filtered Scan, grouped per customer)`);
  let debtorItems = 0;
  const [debtorBooks, debtorsMs] = await timed(() => source.books({ scope: 'debtors', onProgress: (p) => (debtorItems = p.items) }));
  log(
    `read the debtors' books ${debtorBooks.length} customers, ${debtorItems} items in ${s(debtorsMs)} (debtor index + one Query per customer, 16 at once): ` +
      `${(debtorsMs / scanMs).toFixed(2)}× the time and ${((100 * debtorItems) / items).toFixed(1)} % of the items of reading every item`,
  );
  let openItems = 0;
  const [openBooks, openMs] = await timed(() => source.books({ scope: 'open', onProgress: (p) => (openItems = p.items) }));
  log(
    `read the open books     ${openBooks.length} customers, ${openItems} items in ${s(openMs)} (debtor + balance index, one Query per customer): ` +
      `${(openMs / scanMs).toFixed(2)}× the time and ${((100 * openItems) / items).toFixed(1)} % of the items of reading every item`,
  );
  const cases: [string, Record<string, string>][] = [
    ['aging', {}],
    ['aging', { groupBy: 'manager' }],
    ['unpaid', {}],
    ['balances', { groupBy: 'contract' }],
    ['dynamics', { from: addDays(asOf, -89), to: asOf, period: 'day' }],
    ['dynamics', { from: addDays(asOf, -364), to: asOf, period: 'month' }],
    ['calendar', { from: addDays(asOf, 1), to: addDays(asOf, 28), period: 'week' }],
    ['portfolios', {}],
    ['efficiency', { groupBy: 'manager' }],
    ['efficiency', { groupBy: 'portfolio' }],
  ];
  log('report                              compute   read + compute   rows');
  let aging: ReturnType<typeof runReport> | undefined;
  for (const [name, q] of cases) {
    const req = parseReportRequest({ name, asOf, ...q });
    const [r, ms] = await timed(() => runReport(books as CustomerBook[], req, { rules }));
    if (name === 'aging' && !q.groupBy) aging = r;
    const label = `${name}${
      Object.keys(q).length
        ? ` (${Object.entries(q)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')})`
        : ''
    }`;
    log(`${label.padEnd(34)}  ${s(ms).padStart(8)}   ${s(ms + booksMs).padStart(14)}   ${r.detail.rows.length}`);
  }
  // What source=auto does as of today (the bench's as-of date is its "today"): the same reports from the debtors' / open books only.
  for (const [name, few, readMs] of [
    ['unpaid', debtorBooks, debtorsMs],
    ['aging', openBooks, openMs],
    ['portfolios', openBooks, openMs],
  ] as const) {
    const req = parseReportRequest({ name, asOf });
    const [fromFew, ms] = await timed(() => runReport(few, req, { rules }));
    const same = JSON.stringify(fromFew) === JSON.stringify(runReport(books as CustomerBook[], req, { rules }));
    log(
      `${`${name} from the ${few === debtorBooks ? 'debtors' : 'open books'} only`.padEnd(34)}  ${s(ms).padStart(8)}   ${s(ms + readMs).padStart(14)}   ${fromFew.detail.rows.length}   (same report as from every book: ${same ? 'yes' : 'NO'})`,
    );
  }
  if (aging) {
    const [, csvMs] = await timed(() => renderReportCsv(aging!));
    const [xlsx, xlsxMs] = await timed(() => renderReportXlsx(aging!));
    const [pdf, pdfMs] = await timed(() => renderReportPdf(aging!));
    log(
      `aging as CSV ${s(csvMs)}, XLSX ${s(xlsxMs)} (${(xlsx.byteLength / 1024 / 1024).toFixed(1)} MiB), PDF ${s(pdfMs)} (${(pdf.byteLength / 1024).toFixed(0)} KiB, charts + first 300 groups)`,
    );
  }
  const [summary, sumMs] = await timed(() => weeklySummary(books as CustomerBook[], { asOf }));
  const [, sumPdfMs] = await timed(() => renderSummaryPdf(summary));
  log(`weekly summary          ${s(sumMs)} compute + ${s(sumPdfMs)} PDF (read + compute + PDF ${s(booksMs + sumMs + sumPdfMs)})`);
  const mem = process.memoryUsage();
  log(`memory after            RSS ${(mem.rss / 1024 / 1024).toFixed(0)} MiB, heap ${(mem.heapUsed / 1024 / 1024).toFixed(0)} MiB`);
}
