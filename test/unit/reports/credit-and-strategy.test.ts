/**
 * Reports over credit control's records and claim-case history: the weekly summary's overrides
 * (granted in the week, expiring within the next 7 days, revoked), and a claim case's strategy as of a
 * past date rebuilt from the case's events (the portfolio of a past date shows the strategy then).
 */
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { caseOf, overrideOf } from '../../../functions/adapters/dynamo-reports.js';
import { parseReportRequest, runReport, type OverrideRecord } from '../../../functions/domain/reports/index.js';
import { weeklySummary } from '../../../functions/domain/reports/summary.js';
import { customer, invoice } from '../ledger/builders.js';
import { bookOf } from './arbitraries.js';

const d = (s: string) => s as CalendarDate;
const override = (id: string, grantedAt: string, expiresAt: string, revokedAt?: string): OverrideRecord =>
  overrideOf(
    {
      overrideId: id,
      scope: 'customer',
      maxAmount: { amount: '50000.00', currency: 'RUB' },
      reason: `reason ${id}`,
      grantedBy: 'olga',
      grantedAt,
      expiresAt,
      ...(revokedAt ? { revokedAt } : {}),
    },
    'Europe/Moscow',
  );

describe('weekly summary: credit overrides from credit control', () => {
  it('counts those granted in the week, lists those expiring within 7 days, counts revocations', () => {
    // Prepare: week 2026-11-24 … 11-30 (Moscow). ov-a granted 11-23 21:30Z = 11-24 00:30 Moscow (in the week), expires 12-03;
    // ov-b granted 11-20 (before the week), expires 12-20 (not within 7 days); ov-c granted 11-25, revoked 11-26;
    // ov-d granted after the date (12-01) is left out.
    const book = bookOf([customer('C1', { legalName: 'ООО «Тест»' }), invoice('I1', '1000.00', '2026-10-01', '2026-11-01')], {
      credit: {
        overrides: [
          override('ov-a', '2026-11-23T21:30:00Z', '2026-12-03T09:00:00Z'),
          override('ov-b', '2026-11-20T09:00:00Z', '2026-12-20T09:00:00Z'),
          override('ov-c', '2026-11-25T09:00:00Z', '2026-12-01T09:00:00Z', '2026-11-26T09:00:00Z'),
          override('ov-d', '2026-12-01T09:00:00Z', '2026-12-04T09:00:00Z'),
        ],
      },
    });
    // Act
    const s = weeklySummary([book], { asOf: d('2026-11-30') });
    // Assess
    expect(s.overridesGranted).toBe(2);
    expect(s.overrides.granted.map((o) => [o.overrideId, o.grantedOn])).toEqual([
      ['ov-a', '2026-11-24'],
      ['ov-c', '2026-11-25'],
    ]);
    expect(s.overrides.expiring.map((o) => [o.overrideId, o.expiresOn, o.name])).toEqual([['ov-a', '2026-12-03', 'ООО «Тест»']]);
    expect(s.overrides.revokedThisWeek).toBe(1);
  });
});

describe('claim strategy as of a date', () => {
  const item = {
    caseId: 'case-1',
    openedOn: '2026-09-01',
    strategy: 'sell',
    status: 'pre-trial',
    events: [
      { at: '2026-09-01T07:00:00Z', by: 'system', kind: 'opened', note: 'opened at the claim stage: 1; principal 1000.00 RUB' },
      {
        at: '2026-10-05T07:00:00Z',
        by: 'system',
        kind: 'approval-requested',
        note: 'litigation reached on 2026-10-05: the legal team is asked to approve (round 1); strategy set to collect',
      },
      { at: '2026-11-10T21:30:00Z', by: 'lev', kind: 'strategy-set', note: 'sell (продажа долга): 30 % expected by 2027-01-31' },
    ],
  };

  it('rebuilds the history from the case events: wait from opening, collect at litigation, sell from the operator’s day (company zone)', () => {
    // Act
    const c = caseOf(item, 'Europe/Moscow');
    // Assess
    expect(c.strategyHistory).toEqual([
      { on: '2026-09-01', strategy: 'wait' },
      { on: '2026-10-05', strategy: 'collect' },
      { on: '2026-11-11', strategy: 'sell' },
    ]);
  });

  it('a portfolio of a past date shows the strategy the case had then, not today’s', () => {
    // Prepare
    const book = bookOf([customer('C1'), invoice('I1', '1000.00', '2026-08-01', '2026-08-15')], { cases: [caseOf(item, 'Europe/Moscow')] });
    const method = (asOf: string) => runReport([book], parseReportRequest({ name: 'portfolios', asOf })).detail.rows.map((r) => r.method);
    // Act / Assess
    expect(method('2026-09-20')).toEqual(['strategy:wait']);
    expect(method('2026-10-20')).toEqual(['strategy:collect']);
    expect(method('2026-11-10')).toEqual(['strategy:collect']);
    expect(method('2026-11-11')).toEqual(['strategy:sell']);
  });

  it('events that do not end at the stored strategy (an older case) leave only the current strategy', () => {
    // Act
    const c = caseOf({ ...item, events: item.events.slice(0, 1) }, 'Europe/Moscow');
    // Assess
    expect(c.strategyHistory).toBeUndefined();
    expect(c.strategy).toBe('sell');
  });
});
