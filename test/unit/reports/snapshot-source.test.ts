/**
 * The dynamics report reads the nightly snapshots' daily totals instead of the ledger when every day
 * of the range has them (source=auto), insists on them (source=snapshots: 400 naming the missing days)
 * or never uses them (source=ledger); the nightly job writes the totals beside the snapshot.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../functions/app/reports.js';
import { snapshotTotalsKey } from '../../../functions/app/weekly-summary.js';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { snapshotWorld } from './snapshot-world.js';

const d = (s: string) => s as CalendarDate;
const world = snapshotWorld;

describe('dynamics from the stored snapshots', () => {
  it('with every day stored, the ledger is not read and the figures are the ledger’s', async () => {
    // Prepare: the nightly job ran for 03-05 … 03-15
    const w = world();
    for (let day = d('2025-03-05'); day <= '2025-03-15'; day = addDays(day, 1)) await w.nightly(day);
    const readsBefore = w.reads();
    // Act
    const snap = await buildReport(w.deps, { name: 'dynamics', asOf: '2025-03-15', from: '2025-03-05', to: '2025-03-15', period: 'week' });
    const ledger = await buildReport(w.deps, { name: 'dynamics', asOf: '2025-03-15', from: '2025-03-05', to: '2025-03-15', period: 'week', source: 'ledger' });
    // Assess
    expect(w.files.has(snapshotTotalsKey(d('2025-03-10')))).toBe(true);
    expect(snap.report.params).toMatchObject({ source: 'snapshots' });
    expect(w.reads() - readsBefore).toBe(1); // the ledger report only
    const figures = (r: typeof snap) => r.report.detail.rows.map((x) => [x.start, x.total, x.overdue, x.newInvoices, x.payments]);
    expect(figures(snap)).toEqual(figures(ledger));
    // Weeks: Wed 03-05 … Sun 03-09 (1,000 open, not yet due) and 03-10 … 03-15 (400 paid on 03-12; 600 overdue)
    expect(figures(snap)).toEqual([
      ['2025-03-05', '1000.00', '0.00', '0.00', '0.00'],
      ['2025-03-10', '600.00', '600.00', '0.00', '400.00'],
    ]);
  });

  it('a day missing: auto reads the ledger; source=snapshots is a 400 naming the missing days', async () => {
    // Prepare: 03-08 was not snapshotted
    const w = world();
    for (const day of ['2025-03-05', '2025-03-06', '2025-03-07', '2025-03-09', '2025-03-10']) await w.nightly(d(day));
    const readsBefore = w.reads();
    // Act
    const auto = await buildReport(w.deps, { name: 'dynamics', asOf: '2025-03-10', from: '2025-03-05', to: '2025-03-10' });
    const insist = buildReport(w.deps, { name: 'dynamics', asOf: '2025-03-10', from: '2025-03-05', to: '2025-03-10', source: 'snapshots' });
    const bad = buildReport(w.deps, { name: 'dynamics', asOf: '2025-03-10', source: 'cache' });
    // Assess
    expect(auto.report.params.source).toBeUndefined();
    expect(w.reads() - readsBefore).toBe(1);
    await expect(insist).rejects.toThrow(ValidationError);
    await expect(insist).rejects.toMatchObject({ fields: [{ field: 'source', message: expect.stringContaining('first 2025-03-08') }] });
    await expect(bad).rejects.toMatchObject({ fields: [{ field: 'source' }] });
  });
});
