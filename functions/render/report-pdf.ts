/**
 * A report as a management PDF (A4 landscape, pdfmake): title and parameters, the charts (ECharts
 * SVG), the totals, the groups (first 300 rows; the full data is in the CSV/XLSX) and the notes.
 */
import { preparePdfmake } from '../letters/font-cache.js'; // before pdfmake/pdfkit load
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Report, Table } from '../domain/reports/table.js';
import { formatAmountRu } from './reconciliation-pdf.js';
import { renderChartSvg } from './report-charts.js';

const MAX_GROUP_ROWS = 300;
const MAX_COLUMNS = 14;

export function fmtCell(type: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (type === 'money') return formatAmountRu(String(v));
  if (type === 'pct') return `${String(v)} %`;
  return String(v);
}

/** A table as pdfmake content; wide tables keep the first MAX_COLUMNS columns. */
export function pdfTable(t: Table, maxRows = MAX_GROUP_ROWS): Content[] {
  if (!t.rows.length) return [{ text: 'No rows.', italics: true, margin: [0, 0, 0, 8] }];
  const cols = t.columns.slice(0, MAX_COLUMNS);
  const body: TableCell[][] = [
    cols.map((c) => ({ text: c.label, style: 'th', alignment: c.type === 'text' || c.type === 'date' ? 'left' : 'right' })),
    ...t.rows.slice(0, maxRows).map((r) => cols.map((c): TableCell => ({ text: fmtCell(c.type, r[c.key]), alignment: c.type === 'text' || c.type === 'date' ? 'left' : 'right' }))),
  ];
  const out: Content[] = [
    {
      table: { headerRows: 1, widths: cols.map(() => 'auto'), body },
      layout: { hLineWidth: () => 0.4, vLineWidth: () => 0.4, paddingTop: () => 1, paddingBottom: () => 1 },
      fontSize: 7,
      margin: [0, 0, 0, 8],
    },
  ];
  const notes: string[] = [];
  if (t.rows.length > maxRows) notes.push(`${t.rows.length - maxRows} more rows in the CSV/XLSX export.`);
  if (t.columns.length > MAX_COLUMNS) notes.push(`${t.columns.length - MAX_COLUMNS} more columns in the CSV/XLSX export.`);
  if (notes.length) out.push({ text: notes.join(' '), italics: true, fontSize: 7, margin: [0, 0, 0, 8] });
  return out;
}

export function reportDocDefinition(report: Report, company?: { name: string }): TDocumentDefinitions {
  const params = [
    `As of ${report.asOf}`,
    ...(report.from ? [`from ${report.from}`] : []),
    ...(report.to ? [`to ${report.to}`] : []),
    ...(report.period ? [`by ${report.period}`] : []),
    ...(report.groupBy ? [`grouped by ${report.groupBy}`] : []),
  ].join(', ');
  const content: Content[] = [
    { text: report.title, style: 'title' },
    { text: `${company ? `${company.name} · ` : ''}${params}`, margin: [0, 0, 0, 10], color: '#555555' },
    ...report.charts.slice(0, 6).map((c): Content => ({ svg: renderChartSvg(c), width: 760, margin: [0, 0, 0, 10] })),
    { text: 'Totals', style: 'h2' },
    ...pdfTable(report.totals),
    ...(report.groups.rows.length && report.groups !== report.detail ? [{ text: `By ${report.groupBy ?? 'group'}`, style: 'h2' } as Content, ...pdfTable(report.groups)] : []),
    ...(report.groups === report.detail || !report.groups.rows.length ? [{ text: 'Rows', style: 'h2' } as Content, ...pdfTable(report.detail)] : []),
    { text: 'Notes', style: 'h2' },
    { ul: report.notes, fontSize: 8 },
  ];
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [40, 36, 40, 36],
    info: { title: report.title, creator: 'claimflow' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    styles: { title: { fontSize: 15, bold: true }, h2: { fontSize: 11, bold: true, margin: [0, 6, 0, 4] }, th: { bold: true, fillColor: '#eeeeee' } },
    content,
    footer: (page: number, pages: number) => ({ text: `${report.report} · ${report.asOf} · ${page}/${pages}`, alignment: 'right', fontSize: 7, margin: [0, 10, 40, 0] }),
  };
}

export async function renderPdf(def: TDocumentDefinitions): Promise<Uint8Array> {
  preparePdfmake(pdfmake);
  const buf = await pdfmake.createPdf(def).getBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export const renderReportPdf = (report: Report, company?: { name: string }): Promise<Uint8Array> => renderPdf(reportDocDefinition(report, company));
