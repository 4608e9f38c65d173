/**
 * Which books a report reads (functions/app/reports.ts): the debtors' (unpaid) or the open ones
 * (aging, portfolios, once the source says the balance index is complete) as of today or later, every
 * book otherwise; the synchronous route's read budget keeps the choice (it forwards ready()).
 */
import { describe, expect, it } from 'vitest';
import { buildReport, type ReportsDeps } from '../../../functions/app/reports.js';
import { buildReportWithin } from '../../../functions/app/report-jobs.js';
import { DEFAULT_REPORTS_CONFIG, parseReportsConfig } from '../../../functions/domain/reports/config.js';
import { ConfigError } from '../../../functions/domain/errors.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import type { CustomerBook } from '../../../functions/domain/reports/index.js';
import type { BooksScope, ReportSource } from '../../../functions/ports/reports.js';

const TODAY = '2025-06-30' as CalendarDate;

class RecordingSource implements ReportSource {
  readonly scopes: BooksScope[] = [];
  constructor(private readonly openReady: boolean) {}
  async books(opts: { scope?: BooksScope } = {}): Promise<CustomerBook[]> {
    this.scopes.push(opts.scope ?? 'all');
    return [];
  }
  async ready(scope: BooksScope): Promise<boolean> {
    return scope !== 'open' || this.openReady;
  }
}

const depsOf = (source: ReportSource): ReportsDeps => ({ source, config: DEFAULT_REPORTS_CONFIG, today: () => TODAY });

describe('source=auto: which books a report reads', () => {
  it('unpaid the debtors’, aging and portfolios the open books, as of today or later; the rest and past dates every book', async () => {
    // Prepare
    const source = new RecordingSource(true);
    const deps = depsOf(source);
    // Act
    for (const q of [
      { name: 'unpaid', asOf: TODAY },
      { name: 'aging', asOf: '2025-07-15' },
      { name: 'portfolios', asOf: TODAY },
      { name: 'aging', asOf: '2025-06-29' },
      { name: 'balances', asOf: TODAY },
      { name: 'calendar', asOf: TODAY, from: '2025-07-01' },
      { name: 'efficiency', asOf: TODAY },
      { name: 'unpaid', asOf: TODAY, source: 'ledger' },
    ])
      await buildReport(deps, q);
    // Assess
    expect(source.scopes).toEqual(['debtors', 'open', 'open', 'all', 'all', 'all', 'all', 'all']);
  });

  it('before the balance index is complete aging reads every book; the read budget of the synchronous route keeps the choice', async () => {
    // Prepare
    const notYet = new RecordingSource(false);
    const ready = new RecordingSource(true);
    // Act
    const aging = await buildReport(depsOf(notYet), { name: 'aging', asOf: TODAY });
    await buildReport(depsOf(notYet), { name: 'unpaid', asOf: TODAY });
    const budgeted = await buildReportWithin(depsOf(ready), { name: 'aging', asOf: TODAY }, 60_000);
    // Assess
    expect(notYet.scopes).toEqual(['all', 'debtors']);
    expect(aging.report.params.source).toBeUndefined();
    expect(ready.scopes).toEqual(['open']);
    expect(budgeted.report.params.source).toBe('debtors');
  });
});

describe('REPORTS_CONFIG readConcurrency', () => {
  it('is optional, a whole number 1–64; a bad value names it', () => {
    // Act
    const none = parseReportsConfig('{}');
    const set = parseReportsConfig('{"readConcurrency": 32}');
    const bad = () => parseReportsConfig('{"readConcurrency": 0}');
    // Assess
    expect(none.readConcurrency).toBeUndefined();
    expect(set.readConcurrency).toBe(32);
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/REPORTS_CONFIG\.readConcurrency/);
  });
});
