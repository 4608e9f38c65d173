/**
 * The XLSX rendering (streaming writer) read back with exceljs: four sheets, a bold frozen header with
 * a filter, money as numbers with two decimals, dates as real dates, every row present.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import type { Report } from '../../../functions/domain/reports/table.js';
import { renderReportXlsx } from '../../../functions/render/report-xlsx.js';

const columns = [
  { key: 'customer', label: 'Customer', type: 'text' as const },
  { key: 'due', label: 'Due', type: 'date' as const },
  { key: 'amount', label: 'Outstanding', type: 'money' as const },
  { key: 'days', label: 'Days', type: 'int' as const },
];

function report(rows: number): Report {
  return {
    report: 'unpaid',
    title: 'Unpaid invoices',
    asOf: '2026-11-24' as CalendarDate,
    groupBy: 'manager',
    params: { buckets: [0, 30] },
    detail: {
      columns,
      rows: Array.from({ length: rows }, (_, i) => ({ customer: `C-${i}`, due: '2026-10-01', amount: `${1000 + i}.05`, days: i })),
    },
    groups: { columns: columns.filter((c) => c.key !== 'due'), rows: [{ customer: 'Ivanova', amount: '123.45', days: 3 }] },
    totals: { columns: [{ key: 'amount', label: 'Outstanding', type: 'money' }], rows: [{ amount: '999999999999.99' }] },
    charts: [],
    notes: ['A note'],
  };
}

describe('renderReportXlsx', () => {
  it('writes a workbook exceljs reads back with every row, number formats, frozen header and filter', async () => {
    // Prepare
    const r = report(2_500);
    // Act
    const bytes = await renderReportXlsx(r);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as never);
    // Assess
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Detail', 'By manager', 'Totals', 'About']);
    const detail = wb.getWorksheet('Detail')!;
    expect(detail.rowCount).toBe(2_501);
    expect(detail.getRow(1).values).toEqual([undefined, 'Customer', 'Due', 'Outstanding', 'Days']);
    expect(detail.getRow(1).font?.bold).toBe(true);
    expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(detail.autoFilter).toBeTruthy();
    const last = detail.getRow(2_501);
    expect(last.getCell(1).value).toBe('C-2499');
    expect(last.getCell(2).value).toEqual(new Date('2026-10-01T00:00:00Z'));
    expect(last.getCell(3).value).toBe(3499.05);
    expect(last.getCell(3).numFmt).toBe('#,##0.00');
    expect(last.getCell(2).numFmt).toBe('yyyy-mm-dd');
    expect(wb.getWorksheet('Totals')!.getRow(2).getCell(1).value).toBe(999999999999.99);
    const about = wb.getWorksheet('About')!;
    expect(about.getRow(4).values).toEqual([undefined, 'As of', '2026-11-24']);
    expect(about.getRow(about.rowCount).values).toEqual([undefined, 'Note 1', 'A note']);
  });

  it('renders an empty report as a workbook with headers only', async () => {
    // Prepare
    const r = { ...report(0), groups: { columns, rows: [] }, totals: { columns, rows: [] } };
    // Act
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await renderReportXlsx(r)) as never);
    // Assess
    expect(wb.getWorksheet('Detail')!.rowCount).toBe(1);
    expect(wb.getWorksheet('Totals')!.rowCount).toBe(1);
  });
});
