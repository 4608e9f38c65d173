/**
 * Report PDFs keep their text: a chart-bearing report rendered before the weekly summary must not
 * strip characters from the summary's text layer (the shared font's glyph cache, font-cache.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoLedger } from '../../../bin/local/demo.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { agingReport, type CustomerBook } from '../../../functions/domain/reports/index.js';
import { weeklySummary } from '../../../functions/domain/reports/summary.js';
import { renderReportPdf } from '../../../functions/render/report-pdf.js';
import { renderSummaryPdf } from '../../../functions/render/report-summary-pdf.js';

const text = (pdf: Uint8Array) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pdf-text-')), 'x.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
};

describe.skipIf(!existsSync('/usr/bin/pdftotext'))('report PDFs as text', () => {
  it('the aging PDF and then the weekly summary PDF both read back whole, charts included', async () => {
    // Prepare
    const byCustomer = new Map<string, CustomerBook>();
    for (const e of demoLedger('2026-11-24' as CalendarDate)) {
      const b = byCustomer.get(e.customerId) ?? { customerId: e.customerId, entries: [], stages: [], promises: [], letters: [], cases: [] };
      b.entries.push(e);
      byCustomer.set(e.customerId, b);
    }
    const books = [...byCustomer.values()];
    const first = books[0]!;
    first.credit = {
      overrides: [
        {
          overrideId: 'ov-1',
          scope: 'customer',
          maxAmount: { amount: '100000.00', currency: 'RUB' },
          reason: 'paid by letter of credit',
          grantedBy: 'olga',
          grantedAt: '2026-11-27T10:00:00Z',
          grantedOn: '2026-11-27' as CalendarDate,
          expiresAt: '2026-12-02T10:00:00Z',
          expiresOn: '2026-12-02' as CalendarDate,
        },
      ],
    };
    // Act
    const aging = text(await renderReportPdf(agingReport(books, { asOf: '2026-11-24' as CalendarDate })));
    const summary = text(await renderSummaryPdf(weeklySummary(books, { asOf: '2026-11-30' as CalendarDate })));
    // Assess
    expect(aging).toContain('Aging as of 2026-11-24, RUB'); // the chart's title, drawn from the SVG
    expect(summary).toContain('DSO and CEI over the 90 days ending 2026-11-30, all customers.');
    expect(summary).toContain('Credit overrides: 1 granted this week, 1 expiring in the next 7 days, 0 revoked this week');
    expect(summary).toContain('paid by letter of credit');
    expect(summary).toContain('Stage funnel: customers at each stage, letters this week');
  });
});
