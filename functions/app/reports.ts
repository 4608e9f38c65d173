/**
 * Use case: build one receivables report in one format. Reads every customer's book through the
 * ReportSource port (only the debtors' books when they give the report exactly: debtorsOnlyInexact),
 * runs the pure report (functions/domain/reports) and renders it (JSON, CSV, XLSX or PDF). Bad input
 * is a ValidationError naming the field, raised before anything is read.
 */
import { ValidationError } from '../domain/errors.js';
import { parseReportRequest, runReport, type ReportRequest, type ReportRequestInput } from '../domain/reports/index.js';
import { dynamicsFromTotals, SNAPSHOT_GROUPS, type SnapshotGroup, type SnapshotTotals } from '../domain/reports/snapshot.js';
import { addDays, type CalendarDate } from '../domain/dates.js';
import type { DocumentStore } from '../ports/index.js';
import { snapshotTotalsKey } from './weekly-summary.js';
import type { ReportsConfig } from '../domain/reports/config.js';
import type { Report } from '../domain/reports/table.js';
import type { RuleData } from '../domain/rules/index.js';
import type { CreditPolicy } from '../domain/credit/policy.js';
import type { BooksScope, ReadProgress, ReportSource } from '../ports/reports.js';
import { renderReportCsv, type ReportPart } from '../render/report-csv.js';
import { renderReportPdf } from '../render/report-pdf.js';
import { renderReportXlsx } from '../render/report-xlsx.js';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportsDeps {
  source: ReportSource;
  config: ReportsConfig;
  rules?: RuleData;
  company?: { name: string };
  /** Credit control's policy as configured (deviations, the calendar's discipline weighting). */
  creditPolicy?: CreditPolicy;
  /** Where the nightly snapshots are (reports/snapshots/): dynamics read their daily totals when every day has them. */
  documents?: DocumentStore;
  /** Today in the company time zone (the composition root's clock): decides when the debtors' books suffice. Absent: never. */
  today?: () => CalendarDate;
}

export interface BuiltReport {
  report: Report;
  format: ReportFormat;
  contentType: string;
  filename: string;
  /** The rendered file (absent for json: the report itself is the answer). */
  bytes?: Uint8Array;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

export function parseFormat(v: unknown): ReportFormat {
  if (v === undefined || v === null || v === '') return 'json';
  if (!(REPORT_FORMATS as readonly string[]).includes(String(v)))
    throw new ValidationError([{ field: 'format', message: `unknown format "${String(v)}"; known: ${REPORT_FORMATS.join(', ')}` }]);
  return v as ReportFormat;
}

export function parsePart(v: unknown): ReportPart {
  if (v === undefined || v === null || v === '') return 'detail';
  if (!['detail', 'groups', 'totals'].includes(String(v))) throw new ValidationError([{ field: 'part', message: `unknown part "${String(v)}"; known: detail, groups, totals` }]);
  return v as ReportPart;
}

export const REPORT_SOURCES = ['auto', 'snapshots', 'ledger', 'debtors'] as const;
export type ReportSourceChoice = (typeof REPORT_SOURCES)[number];

export function parseSource(v: unknown): ReportSourceChoice {
  if (v === undefined || v === null || v === '') return 'auto';
  if (!(REPORT_SOURCES as readonly string[]).includes(String(v)))
    throw new ValidationError([{ field: 'source', message: `unknown source "${String(v)}"; known: ${REPORT_SOURCES.join(', ')}` }]);
  return v as ReportSourceChoice;
}

/**
 * The reports that are exact from the books of the customers with something open now, and which books:
 * `unpaid` shows invoices open on the as-of date (the debtor index's customers); `aging` also unapplied
 * credit and refund debits, `portfolios` refund debits (so also the balance index's customers).
 */
const OPEN_SCOPES: Partial<Record<ReportRequest['name'], 'debtors' | 'open'>> = { unpaid: 'debtors', aging: 'open', portfolios: 'open' };

/**
 * Why the debtors' books (the customers with something open now: the ledger's debtor index, and for
 * aging and portfolios its balance index) would not give this report exactly, or undefined when they
 * do. They do for unpaid, aging and portfolios as of today or later: every row of theirs is an
 * invoice, refund debit or unapplied credit open on the as-of date; a fold through a day ≥ today holds
 * every entry dated up to today, so what is open in it is open in the ledger's current fold, whose
 * customers the indexes hold — unless an entry dated after the as-of date, booked already, closed it
 * (a payment dated tomorrow, booked today): that row is missing (docs/reports.md, "Debtors only").
 * Not the others: balances shows every customer, the calendar promises of customers who have paid
 * since, and dynamics, efficiency and deviations past days or every customer.
 */
export function debtorsOnlyInexact(req: ReportRequest, today: CalendarDate | undefined): string | undefined {
  if (!OPEN_SCOPES[req.name]) return `the debtors' books give only ${Object.keys(OPEN_SCOPES).join(', ')} exactly, not ${req.name}`;
  if (!today) return "today's date is not known on this endpoint";
  if (req.asOf < today) return `the debtors' books are today's (${today}); as of ${req.asOf} use source=ledger or auto`;
  return undefined;
}

/** The books to read: the debtors' (exact, and the balance index back-filled where needed) or all. source=debtors where they are not → 400. */
async function booksScope(deps: ReportsDeps, req: ReportRequest, source: ReportSourceChoice, inexact: string | undefined): Promise<BooksScope> {
  if (inexact) return 'all';
  const scope = OPEN_SCOPES[req.name]!;
  if (scope === 'debtors' || (await deps.source.ready?.(scope))) return scope;
  if (source === 'debtors')
    throw new ValidationError([{ field: 'source', message: 'source=debtors: the balance index of this table is not back-filled yet (docs/reports.md); use auto or ledger' }]);
  return 'all';
}

/**
 * Dynamics from the nightly snapshots' daily totals, when every day of the range up to the as-of date
 * has them (else undefined: the ledger is read). `source=snapshots` insists (400 naming the missing
 * days), `source=ledger` never uses them. Read 16 days at a time.
 */
async function dynamicsFromStoredTotals(deps: ReportsDeps, req: ReportRequest, source: ReportSourceChoice) {
  if (req.name !== 'dynamics' || source === 'ledger' || !deps.documents) return undefined;
  if (req.groupBy && !(SNAPSHOT_GROUPS as readonly string[]).includes(req.groupBy)) {
    if (source === 'snapshots') throw new ValidationError([{ field: 'source', message: `snapshots keep totals per ${SNAPSHOT_GROUPS.join(', ')}, not per ${req.groupBy}` }]);
    return undefined;
  }
  const to = req.to ?? req.asOf;
  const from = req.from ?? addDays(to, -29);
  const through = to < req.asOf ? to : req.asOf;
  const days: CalendarDate[] = [];
  for (let d = from; d <= through; d = addDays(d, 1)) days.push(d);
  const totals: (SnapshotTotals | undefined)[] = [];
  for (let i = 0; i < days.length; i += 16) {
    const got = await Promise.all(days.slice(i, i + 16).map((d) => deps.documents!.get(snapshotTotalsKey(d))));
    totals.push(...got.map((b) => (b ? (JSON.parse(Buffer.from(b).toString('utf8')) as SnapshotTotals) : undefined)));
    if (source !== 'snapshots' && got.some((b) => !b)) return undefined;
  }
  const missing = days.filter((_, i) => !totals[i]);
  if (missing.length)
    throw new ValidationError([{ field: 'source', message: `no snapshot for ${missing.length} day(s) of the range, first ${missing[0]}; use source=ledger or auto` }]);
  return dynamicsFromTotals(totals as SnapshotTotals[], {
    asOf: req.asOf,
    from,
    to,
    period: req.period ?? 'day',
    ...(req.groupBy ? { groupBy: req.groupBy as SnapshotGroup } : {}),
  });
}

/** Validates a request as buildReport does, before anything is read (report jobs validate with it before they are recorded). */
export function parseBuildRequest(deps: Pick<ReportsDeps, 'today'>, input: ReportRequestInput & { format?: unknown; part?: unknown; source?: unknown }) {
  const req = parseReportRequest(input);
  const format = parseFormat(input.format);
  const part = parsePart(input.part);
  const source = parseSource(input.source);
  const inexact = source === 'debtors' || source === 'auto' ? debtorsOnlyInexact(req, deps.today?.()) : 'not asked';
  if (source === 'debtors' && inexact) throw new ValidationError([{ field: 'source', message: `source=debtors: ${inexact}` }]);
  return { req, format, part, source, inexact };
}

/**
 * What a report job checks before it is recorded: the request parses, and a `source=snapshots`
 * request has a snapshot for every day (else 400 naming the missing days now, not a failed job later).
 */
export async function checkBuildRequest(deps: ReportsDeps, input: ReportRequestInput & { format?: unknown; part?: unknown; source?: unknown }): Promise<void> {
  const { req, source } = parseBuildRequest(deps, input);
  if (source === 'snapshots') await dynamicsFromStoredTotals(deps, req, source);
}

export async function buildReport(
  deps: ReportsDeps,
  input: ReportRequestInput & { format?: unknown; part?: unknown; source?: unknown },
  opts: { onProgress?: (p: ReadProgress) => void } = {},
): Promise<BuiltReport> {
  const { req, format, part, source, inexact } = parseBuildRequest(deps, input);
  const fromSnapshots = await dynamicsFromStoredTotals(deps, req, source);
  const scope = fromSnapshots ? 'all' : await booksScope(deps, req, source, inexact);
  const books = fromSnapshots ? [] : await deps.source.books({ ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(scope !== 'all' ? { scope } : {}) });
  const folded =
    fromSnapshots ??
    runReport(books, req, {
      buckets: deps.config.buckets,
      targets: deps.config.targets,
      recoveryWindowDays: deps.config.recoveryWindowDays,
      ...(deps.rules ? { rules: deps.rules } : {}),
      ...(deps.creditPolicy ? { creditPolicy: deps.creditPolicy } : {}),
    });
  const report = scope !== 'all' ? { ...folded, params: { ...folded.params, source: 'debtors' } } : folded;
  const filename = `${report.report}-${report.asOf}${report.groupBy ? `-by-${report.groupBy}` : ''}.${format}`;
  const out: BuiltReport = { report, format, contentType: CONTENT_TYPES[format], filename };
  if (format === 'csv') out.bytes = renderReportCsv(report, part);
  else if (format === 'xlsx') out.bytes = await renderReportXlsx(report);
  else if (format === 'pdf') out.bytes = await renderReportPdf(report, deps.company);
  return out;
}
