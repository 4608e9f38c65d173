import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import { agingReport, dynamicsReport } from '../../../functions/domain/reports/index.js';
import { dailySnapshot, dynamicsFromSnapshots, dynamicsFromTotals, snapshotTotals } from '../../../functions/domain/reports/snapshot.js';
import { bookOf, history, START } from './arbitraries.js';

describe('daily snapshots', () => {
  it('dynamics summed from daily snapshots equal dynamics from the ledger, and a day’s buckets equal its aging totals (property)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 170 }), (entries, startDay) => {
        // Prepare
        const books = [bookOf(entries)];
        const from = addDays(START, startDay);
        const to = addDays(from, 6);
        const days = Array.from({ length: 7 }, (_, i) => addDays(from, i)) as CalendarDate[];
        // Act
        const snaps = days.map((d) => dailySnapshot(books, d));
        const fromSnaps = dynamicsFromSnapshots(snaps, { asOf: to, from, to, days });
        const fromLedger = dynamicsReport(books, { asOf: to, from, to, period: 'day' });
        // Assess: same figures for every day and currency that has any (zero rows aside)
        const key = (r: Record<string, unknown>) => `${r.start}|${r.currency}`;
        const nonZero = (r: Record<string, unknown>) => ['total', 'overdue', 'newInvoices', 'payments'].some((k) => Number(r[k]) !== 0);
        const a = new Map(fromSnaps.detail.rows.filter(nonZero).map((r) => [key(r), [r.total, r.overdue, r.newInvoices, r.payments]]));
        const b = new Map(fromLedger.detail.rows.filter(nonZero).map((r) => [key(r), [r.total, r.overdue, r.newInvoices, r.payments]]));
        expect(a).toEqual(b);
        const aging = agingReport(books, { asOf: to });
        for (const t of aging.totals.rows) {
          const last = snaps[6]!.rows.filter((r) => r.currency === t.currency);
          snaps[6]!.buckets.forEach((_, i) => {
            expect(last.reduce((s, r) => s + Number(r.buckets[i]), 0).toFixed(2)).toBe(Number(t[`bucket${i}`]).toFixed(2));
          });
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('dynamics from the stored daily totals', () => {
  it('equal the ledger dynamics by day, week and month, in total and per manager (property)', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 150 }), fc.constantFrom('day', 'week', 'month'), fc.boolean(), (entries, startDay, period, byManager) => {
        // Prepare: every day of the range up to the as-of date has its totals
        const books = [bookOf(entries), bookOf(entries.map((e) => ({ ...e, customerId: 'C2' })) as typeof entries, { customerId: 'C2' })];
        const from = addDays(START, startDay);
        const to = addDays(from, 34);
        const asOf = addDays(from, 20);
        const totals = Array.from({ length: 21 }, (_, i) => snapshotTotals(dailySnapshot(books, addDays(from, i))));
        const groupBy = byManager ? ('manager' as const) : undefined;
        // Act
        const fromTotals = dynamicsFromTotals(totals, { asOf, from, to, period, ...(groupBy ? { groupBy } : {}) });
        const fromLedger = dynamicsReport(books, { asOf, from, to, period, ...(groupBy ? { groupBy } : {}) });
        // Assess: the same figures per period, group and currency (series with no money at all aside)
        const key = (r: Record<string, unknown>) => `${r.start}|${r.group ?? ''}|${r.currency}`;
        const some = (r: Record<string, unknown>) => ['total', 'overdue', 'newInvoices', 'payments'].some((k) => r[k] !== null && Number(r[k]) !== 0);
        const pick = (rows: Record<string, unknown>[]) => new Map(rows.filter(some).map((r) => [key(r), [r.end, r.total, r.overdue, r.newInvoices, r.payments]]));
        expect(pick(fromTotals.detail.rows)).toEqual(pick(fromLedger.detail.rows));
        expect(fromTotals.params.source).toBe('snapshots');
      }),
      { numRuns: 40 },
    );
  });
});
