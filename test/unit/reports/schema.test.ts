/** Every report's JSON matches docs/report.schema.json (the shape the console draws). */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { parseReportRequest, REPORT_NAMES, runReport } from '../../../functions/domain/reports/index.js';
import { dailySnapshot, dynamicsFromTotals, snapshotTotals } from '../../../functions/domain/reports/snapshot.js';
import { addDays } from '../../../functions/domain/dates.js';
import { defaultRules } from '../../../functions/domain/rules/index.js';
import { customer, invoice, payment } from '../ledger/builders.js';
import { bookOf } from './arbitraries.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/report.schema.json', import.meta.url), 'utf8'));

describe('report JSON Schema', () => {
  it('every report, empty or not, validates against docs/report.schema.json', () => {
    // Prepare
    const validate = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false }).compile(schema);
    const book = bookOf(
      [customer('C1', { manager: 'Анна' }), invoice('I1', '1000.00', '2025-02-08', '2025-03-10'), payment('P1', '400.00', '2025-03-20', { invoiceIds: ['I1'] })],
      { letters: [{ runDate: '2025-03-14' as CalendarDate, stage: 'warning', invoiceIds: ['I1'], total: [{ amount: '1000.00', currency: 'RUB' }] }] },
    );
    for (const name of REPORT_NAMES) {
      for (const books of [[], [book]]) {
        // Act
        const r = runReport(books, parseReportRequest({ name, asOf: '2025-03-31', from: '2025-03-01', to: '2025-03-31' }), { rules: defaultRules() });
        // Assess
        expect(validate(JSON.parse(JSON.stringify(r))), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    // Dynamics from the stored snapshots' totals: the same shape
    for (const books of [[], [book]]) {
      const totals = Array.from({ length: 31 }, (_, i) => snapshotTotals(dailySnapshot(books, addDays('2025-03-01' as CalendarDate, i))));
      const r = dynamicsFromTotals(totals, {
        asOf: '2025-03-31' as CalendarDate,
        from: '2025-03-01' as CalendarDate,
        to: '2025-03-31' as CalendarDate,
        period: 'week',
        groupBy: 'manager',
      });
      expect(validate(JSON.parse(JSON.stringify(r))), `dynamics from snapshots: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
