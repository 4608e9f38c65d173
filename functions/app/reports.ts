/**
 * Use case: build one receivables report in one format. Reads every customer's book through the
 * ReportSource port, runs the pure report (functions/domain/reports) and renders it (JSON, CSV, XLSX
 * or PDF). Bad input is a ValidationError naming the field, raised before anything is read.
 */
import { ValidationError } from '../domain/errors.js';
import { parseReportRequest, runReport, type ReportRequestInput } from '../domain/reports/index.js';
import type { ReportsConfig } from '../domain/reports/config.js';
import type { Report } from '../domain/reports/table.js';
import type { RuleData } from '../domain/rules/index.js';
import type { CreditPolicy } from '../domain/credit/policy.js';
import type { ReadProgress, ReportSource } from '../ports/reports.js';
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

export async function buildReport(
  deps: ReportsDeps,
  input: ReportRequestInput & { format?: unknown; part?: unknown },
  opts: { onProgress?: (p: ReadProgress) => void } = {},
): Promise<BuiltReport> {
  const req = parseReportRequest(input);
  const format = parseFormat(input.format);
  const part = parsePart(input.part);
  const books = await deps.source.books(opts.onProgress ? { onProgress: opts.onProgress } : {});
  const report = runReport(books, req, {
    buckets: deps.config.buckets,
    targets: deps.config.targets,
    recoveryWindowDays: deps.config.recoveryWindowDays,
    ...(deps.rules ? { rules: deps.rules } : {}),
    ...(deps.creditPolicy ? { creditPolicy: deps.creditPolicy } : {}),
  });
  const filename = `${report.report}-${report.asOf}${report.groupBy ? `-by-${report.groupBy}` : ''}.${format}`;
  const out: BuiltReport = { report, format, contentType: CONTENT_TYPES[format], filename };
  if (format === 'csv') out.bytes = renderReportCsv(report, part);
  else if (format === 'xlsx') out.bytes = await renderReportXlsx(report);
  else if (format === 'pdf') out.bytes = await renderReportPdf(report, deps.company);
  return out;
}
