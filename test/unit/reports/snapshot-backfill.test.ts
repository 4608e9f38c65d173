/**
 * Back-filling daily snapshots for days before the nightly job ran: one ledger read for the range,
 * each missing day written as the ledger now knows it, existing days kept unless forced, and bad
 * ranges refused naming the field. The dynamics report then reads the back-filled days.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../functions/app/reports.js';
import { backfillDailySnapshots, MAX_BACKFILL_DAYS, snapshotTotalsKey } from '../../../functions/app/weekly-summary.js';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { snapshotWorld } from './snapshot-world.js';
import { parseWeeklySummaryEvent } from '../../../functions/handlers/weekly-summary-event.js';

const d = (s: string) => s as CalendarDate;
const world = snapshotWorld;

const totalsOf = (w: ReturnType<typeof world>, day: CalendarDate) => JSON.parse(new TextDecoder().decode(w.files.get(snapshotTotalsKey(day))));

describe('backfillDailySnapshots', () => {
  it('writes every missing day from one ledger read, the same snapshot the nightly job writes', async () => {
    // Prepare: the nightly job ran on 03-14 only
    const w = world();
    await w.nightly(d('2025-03-14'));
    const nightly = totalsOf(w, d('2025-03-14'));
    const readsBefore = w.reads();
    // Act
    const r = await backfillDailySnapshots(w, { from: d('2025-03-05'), to: d('2025-03-15'), today: d('2025-03-16') });
    // Assess
    expect(w.reads() - readsBefore).toBe(1);
    expect(r.skipped).toEqual(['2025-03-14']);
    expect(r.written.map((x) => x.date)).toEqual([
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
      '2025-03-08',
      '2025-03-09',
      '2025-03-10',
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
      '2025-03-15',
    ]);
    expect(r.written.every((x) => x.rows === 1)).toBe(true);
    const fresh = world();
    await fresh.nightly(d('2025-03-12'));
    expect(totalsOf(w, d('2025-03-12'))).toEqual(totalsOf(fresh, d('2025-03-12')));
    expect(totalsOf(w, d('2025-03-14'))).toEqual(nightly);
  });

  it('lets dynamics read the back-filled days instead of the ledger', async () => {
    // Prepare
    const w = world();
    await backfillDailySnapshots(w, { from: d('2025-03-05'), to: d('2025-03-15'), today: d('2025-03-20') });
    const deps = { source: w.source, config: w.config, documents: w.documents };
    // Act
    const fromSnapshots = await buildReport(deps, { name: 'dynamics', asOf: '2025-03-15', from: '2025-03-05', to: '2025-03-15', source: 'snapshots' });
    const fromLedger = await buildReport(deps, { name: 'dynamics', asOf: '2025-03-15', from: '2025-03-05', to: '2025-03-15', source: 'ledger' });
    // Assess
    expect(fromSnapshots.report.params).toMatchObject({ source: 'snapshots' });
    expect(fromSnapshots.report.detail.rows).toEqual(fromLedger.report.detail.rows);
  });

  it('reads nothing when every day is there, and rewrites them with force', async () => {
    // Prepare
    const w = world();
    await backfillDailySnapshots(w, { from: d('2025-03-10'), to: d('2025-03-12'), today: d('2025-03-13') });
    const reads = w.reads();
    const puts = w.puts.length;
    // Act
    const again = await backfillDailySnapshots(w, { from: d('2025-03-10'), to: d('2025-03-12'), today: d('2025-03-13') });
    const forced = await backfillDailySnapshots(w, { from: d('2025-03-10'), to: d('2025-03-12'), today: d('2025-03-13'), force: true });
    // Assess
    expect(again.written).toEqual([]);
    expect(again.skipped).toHaveLength(3);
    expect(forced.written).toHaveLength(3);
    expect(forced.skipped).toEqual([]);
    expect(w.reads() - reads).toBe(1);
    expect(w.puts.length - puts).toBe(6);
  });

  it.each([
    ['an end before the start', { from: d('2025-03-10'), to: d('2025-03-09') }, 'to'],
    ['today (not over yet)', { from: d('2025-03-10'), to: d('2025-03-20') }, 'to'],
    [`more than ${MAX_BACKFILL_DAYS} days`, { from: d('2025-01-01'), to: addDays(d('2025-01-01'), MAX_BACKFILL_DAYS) }, 'to'],
  ])('refuses %s, naming the field, before reading anything', async (_, range, field) => {
    // Prepare
    const w = world();
    // Act
    const err = await backfillDailySnapshots(w, { ...range, today: d('2025-03-20') }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields.map((f) => f.field)).toContain(field);
    expect(w.reads()).toBe(0);
    expect(w.puts).toEqual([]);
  });

  it('is the Lambda event {snapshot, from, to, force?}, kept apart from the nightly {snapshot, scheduledTime}', () => {
    // Act
    const backfill = parseWeeklySummaryEvent({ snapshot: true, from: '2025-03-01', to: '2025-03-31', force: true });
    const nightly = parseWeeklySummaryEvent({ snapshot: true, scheduledTime: '2025-03-16T20:50:00Z' });
    // Assess
    expect(backfill).toEqual({ snapshot: true, from: '2025-03-01', to: '2025-03-31', force: true });
    expect(nightly).toEqual({ snapshot: true, scheduledTime: '2025-03-16T20:50:00Z' });
    expect(() => parseWeeklySummaryEvent({ snapshot: true, from: '2025-02-30', to: '2025-03-31' })).toThrow(ValidationError);
    expect(parseWeeklySummaryEvent({ maintenance: 'index-backfill' })).toEqual({ maintenance: 'index-backfill' });
    expect(() => parseWeeklySummaryEvent({ maintenance: 'drop-table' })).toThrow(ValidationError);
  });
});
