/**
 * The dunning schedule is one definition (workflows/schedule.ts) from which the stack's EventBridge
 * cron and the local scheduler's croner pattern are derived: both name the same minute, hour and days.
 */
import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEDULE, dunningCronerPattern, dunningCronFields, dunningEventBridgeCron, type ScheduleConfig } from '../../workflows/schedule.js';
import {
  DAILY_SNAPSHOT_SCHEDULE,
  DEFAULT_SUMMARY_SCHEDULE,
  snapshotCronerPattern,
  snapshotEventBridgeCron,
  summaryCronerPattern,
  summaryEventBridgeCron,
} from '../../workflows/summary-schedule.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
/** Tuesday 2026-11-24, 00:00 UTC: a fixed start instant, no clock read. */
const FROM = new Date('2026-11-24T00:00:00Z');

const localRuns = (cfg: ScheduleConfig, n: number) => new Cron(dunningCronerPattern(cfg), { timezone: cfg.timeZone }).nextRuns(n, FROM);

describe('the dunning schedule', () => {
  it('derives cron(0 9 ? * TUE,FRI *) and 0 9 * * 2,5 by default: Tuesdays and Fridays at 09:00 Moscow time', () => {
    // Prepare
    const cfg = DEFAULT_SCHEDULE;

    // Act
    const eventBridge = dunningEventBridgeCron(cfg);
    const croner = dunningCronerPattern(cfg);
    const runs = localRuns(cfg, 6);

    // Assess
    expect(eventBridge).toBe('cron(0 9 ? * TUE,FRI *)');
    expect(croner).toBe('0 9 * * 2,5');
    expect(iso(runs)).toEqual([
      '2026-11-24T06:00:00.000Z',
      '2026-11-27T06:00:00.000Z',
      '2026-12-01T06:00:00.000Z',
      '2026-12-04T06:00:00.000Z',
      '2026-12-08T06:00:00.000Z',
      '2026-12-11T06:00:00.000Z',
    ]);
  });

  it('runs in the configured time zone, not UTC or the machine zone', () => {
    // Prepare
    const at = { hour: 9, minute: 30 };

    // Act
    const berlin = localRuns({ ...at, timeZone: 'Europe/Berlin' }, 2);
    const utc = localRuns({ ...at, timeZone: 'UTC' }, 2);

    // Assess: Berlin is UTC+1 in November.
    expect(iso(berlin)).toEqual(['2026-11-24T08:30:00.000Z', '2026-11-27T08:30:00.000Z']);
    expect(iso(utc)).toEqual(['2026-11-24T09:30:00.000Z', '2026-11-27T09:30:00.000Z']);
  });

  it('property: the croner pattern runs exactly when the EventBridge fields say (croner reading the day names itself)', () => {
    // Prepare
    const zones = ['Europe/Moscow', 'Europe/Berlin', 'Asia/Yekaterinburg', 'America/New_York', 'UTC'];
    const arb = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), timeZone: fc.constantFrom(...zones) });

    // Act / Assess
    fc.assert(
      fc.property(arb, (cfg) => {
        const f = dunningCronFields(cfg);
        const fromEventBridgeFields = new Cron(`${f.minute} ${f.hour} * * ${f.weekDay}`, { timezone: cfg.timeZone }).nextRuns(8, FROM);
        expect(dunningEventBridgeCron(cfg)).toBe(`cron(${f.minute} ${f.hour} ? * ${f.weekDay} *)`);
        expect(iso(localRuns(cfg, 8))).toEqual(iso(fromEventBridgeFields));
      }),
      { numRuns: 60 },
    );
  });

  it('property: any hour and minute fires only on Tuesdays and Fridays at that local time', () => {
    // Prepare
    const zones = ['Europe/Moscow', 'Europe/Berlin', 'Asia/Yekaterinburg', 'America/New_York', 'UTC'];
    const arb = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), timeZone: fc.constantFrom(...zones) });

    // Act / Assess
    fc.assert(
      fc.property(arb, (cfg) => {
        const runs = localRuns(cfg, 8);
        const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: cfg.timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
        const expectedTime = `${String(cfg.hour).padStart(2, '0')}:${String(cfg.minute).padStart(2, '0')}`;
        expect(runs).toHaveLength(8);
        for (const r of runs) {
          const [weekDay, time] = fmt.format(r).split(' ');
          expect(['Tue', 'Fri']).toContain(weekDay);
          // A local time inside a DST gap would move to the first valid time; these zones have none on Tue/Fri here.
          expect(time).toBe(expectedTime);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the weekly summary schedule', () => {
  it('derives cron(0 8 ? * MON *) and 0 8 * * MON; croner runs it on Mondays at 08:00 in the zone', () => {
    // Prepare
    const s = DEFAULT_SUMMARY_SCHEDULE;

    // Act
    const runs = new Cron(summaryCronerPattern(s), { timezone: 'Europe/Moscow' }).nextRuns(2, FROM);

    // Assess
    expect(summaryEventBridgeCron(s)).toBe('cron(0 8 ? * MON *)');
    expect(summaryCronerPattern(s)).toBe('0 8 * * MON');
    expect(iso(runs)).toEqual(['2026-11-30T05:00:00.000Z', '2026-12-07T05:00:00.000Z']);
  });
});

describe('the daily report snapshot schedule (one definition for AWS and the local stack)', () => {
  it('derives cron(50 23 * * ? *) and 50 23 * * *; croner runs it every day at 23:50 in the zone', () => {
    // Prepare
    const s = DAILY_SNAPSHOT_SCHEDULE;

    // Act
    const runs = new Cron(snapshotCronerPattern(s), { timezone: 'Europe/Moscow' }).nextRuns(2, FROM);

    // Assess
    expect(snapshotEventBridgeCron(s)).toBe('cron(50 23 * * ? *)');
    expect(snapshotCronerPattern(s)).toBe('50 23 * * *');
    expect(runs.map((d) => d.getTime() - runs[0]!.getTime())).toEqual([0, 86_400_000]);
    expect(iso(runs)[0]).toMatch(/T20:50:00\.000Z$/);
  });
});
