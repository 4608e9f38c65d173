/**
 * A report table as CSV (RFC 4180): comma-separated, CRLF line ends, quotes doubled, UTF-8 with a
 * byte-order mark so spreadsheet programs read Cyrillic names. Money stays the exact decimal string
 * ("1234.50"); a cell that would start a formula (=, +, -, @) is prefixed with an apostrophe.
 */
import type { Report, Table } from '../domain/reports/table.js';

export type ReportPart = 'detail' | 'groups' | 'totals';

const cell = (v: unknown, numeric: boolean): string => {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (!numeric && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function tableCsv(t: Table): string {
  const numeric = new Set(t.columns.filter((c) => c.type !== 'text' && c.type !== 'date').map((c) => c.key));
  const lines = [t.columns.map((c) => cell(c.label, false)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => cell(r[c.key], numeric.has(c.key))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function renderReportCsv(report: Report, part: ReportPart = 'detail'): Uint8Array {
  return new TextEncoder().encode(`\ufeff${tableCsv(report[part])}`);
}
