/**
 * A report as an XLSX workbook (exceljs): the detail rows, the rows summed per group, the totals per
 * currency, and an "About" sheet with the as-of date, the parameters and the notes. Money cells are
 * numbers with two decimals (amounts up to 15 significant digits are exact in a spreadsheet number);
 * dates are real dates.
 */
import ExcelJS from 'exceljs';
import type { Column, Report, Table } from '../domain/reports/table.js';

const MONEY_FMT = '#,##0.00';

function addSheet(wb: ExcelJS.Workbook, name: string, t: Table): void {
  const ws = wb.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = t.columns.map((c) => ({ header: c.label, key: c.key, width: width(c) }));
  ws.getRow(1).font = { bold: true };
  for (const r of t.rows) {
    ws.addRow(Object.fromEntries(t.columns.map((c) => [c.key, value(c, r[c.key])])));
  }
  t.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.type === 'money') col.numFmt = MONEY_FMT;
    else if (c.type === 'date') col.numFmt = 'yyyy-mm-dd';
    else if (c.type === 'pct' || c.type === 'number') col.numFmt = '0.0';
  });
  if (t.columns.length) ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
}

const width = (c: Column): number => (c.type === 'money' ? 16 : c.type === 'date' ? 12 : c.type === 'text' ? Math.max(12, Math.min(40, c.label.length + 2)) : 10);

function value(c: Column, v: unknown): unknown {
  if (v === null || v === undefined || v === '') return null;
  if (c.type === 'money' || c.type === 'pct' || c.type === 'number' || c.type === 'int') return Number(v);
  if (c.type === 'date') return new Date(`${String(v)}T00:00:00Z`);
  return v;
}

export async function renderReportXlsx(report: Report): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'claimflow';
  wb.created = new Date(`${report.asOf}T00:00:00Z`); // deterministic: the as-of date, not the clock
  addSheet(wb, 'Detail', report.detail);
  addSheet(wb, report.groupBy ? `By ${report.groupBy}` : 'Groups', report.groups);
  addSheet(wb, 'Totals', report.totals);
  const about = wb.addWorksheet('About');
  about.columns = [
    { header: 'Field', key: 'k', width: 24 },
    { header: 'Value', key: 'v', width: 100 },
  ];
  about.getRow(1).font = { bold: true };
  const rows: [string, string][] = [
    ['Report', report.report],
    ['Title', report.title],
    ['As of', report.asOf],
    ...(report.from ? ([['From', report.from]] as [string, string][]) : []),
    ...(report.to ? ([['To', report.to]] as [string, string][]) : []),
    ...(report.period ? ([['Period', report.period]] as [string, string][]) : []),
    ...(report.groupBy ? ([['Grouped by', report.groupBy]] as [string, string][]) : []),
    ['Parameters', JSON.stringify(report.params)],
    ...report.notes.map((n, i): [string, string] => [`Note ${i + 1}`, n]),
  ];
  for (const [k, v] of rows) about.addRow({ k, v });
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
