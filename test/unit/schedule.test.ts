/**
 * The dunning schedule is one definition (workflows/schedule.ts) from which the stack's EventBridge
 * cron and the local scheduler's croner pattern are derived: both name the same minute, hour and days.
 */
import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CREDIT_SCHEDULES } from '../../workflows/credit-schedule.js';
import { cronerPattern, cronFields, eventBridgeCron, type CronSchedule, type WeekDay } from '../../workflows/cron.js';
import { DEFAULT_SCHEDULE, dunningCron, type ScheduleConfig } from '../../workflows/schedule.js';
import { DAILY_SNAPSHOT_SCHEDULE, DEFAULT_SUMMARY_SCHEDULE, summaryCron } from '../../workflows/summary-schedule.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
/** Tuesday 2026-11-24, 00:00 UTC: a fixed start instant, no clock read. */
const FROM = new Date('2026-11-24T00:00:00Z');

const localRuns = (cfg: ScheduleConfig, n: number) => new Cron(cronerPattern(dunningCron(cfg)), { timezone: cfg.timeZone }).nextRuns(n, FROM);

describe('the dunning schedule', () => {
  it('derives cron(0 9 ? * TUE,FRI *) and 0 9 * * 2,5 by default: Tuesdays and Fridays at 09:00 Moscow time', () => {
    // Prepare
    const cfg = DEFAULT_SCHEDULE;

    // Act
    const eventBridge = eventBridgeCron(dunningCron(cfg));
    const croner = cronerPattern(dunningCron(cfg));
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
        const f = cronFields(dunningCron(cfg));
        const fromEventBridgeFields = new Cron(`${f.minute} ${f.hour} * * ${f.weekDay}`, { timezone: cfg.timeZone }).nextRuns(8, FROM);
        expect(eventBridgeCron(dunningCron(cfg))).toBe(`cron(${f.minute} ${f.hour} ? * ${f.weekDay} *)`);
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
    const runs = new Cron(cronerPattern(summaryCron(s)), { timezone: 'Europe/Moscow' }).nextRuns(2, FROM);

    // Assess
    expect(eventBridgeCron(summaryCron(s))).toBe('cron(0 8 ? * MON *)');
    expect(cronerPattern(summaryCron(s))).toBe('0 8 * * MON');
    expect(iso(runs)).toEqual(['2026-11-30T05:00:00.000Z', '2026-12-07T05:00:00.000Z']);
  });
});

describe('the daily report snapshot schedule (one definition for AWS and the local stack)', () => {
  it('derives cron(50 23 * * ? *) and 50 23 * * *; croner runs it every day at 23:50 in the zone', () => {
    // Prepare
    const s = DAILY_SNAPSHOT_SCHEDULE;

    // Act
    const runs = new Cron(cronerPattern(s), { timezone: 'Europe/Moscow' }).nextRuns(2, FROM);

    // Assess
    expect(eventBridgeCron(s)).toBe('cron(50 23 * * ? *)');
    expect(cronerPattern(s)).toBe('50 23 * * *');
    expect(runs.map((d) => d.getTime() - runs[0]!.getTime())).toEqual([0, 86_400_000]);
    expect(iso(runs)[0]).toMatch(/T20:50:00\.000Z$/);
  });
});

describe('workflows/cron.ts: one derivation for every schedule', () => {
  it("pins each schedule's EventBridge expression, aws-scheduler fields and croner pattern as they were before the helpers were shared", () => {
    // Prepare
    const other = { timeZone: 'Asia/Yekaterinburg', hour: 7, minute: 30 };
    // Act
    const forms = (s: CronSchedule) => [eventBridgeCron(s), cronerPattern(s), cronFields(s)];
    // Assess
    expect(forms(dunningCron(DEFAULT_SCHEDULE))).toEqual(['cron(0 9 ? * TUE,FRI *)', '0 9 * * 2,5', { minute: '0', hour: '9', weekDay: 'TUE,FRI' }]);
    expect(forms(dunningCron(other))).toEqual(['cron(30 7 ? * TUE,FRI *)', '30 7 * * 2,5', { minute: '30', hour: '7', weekDay: 'TUE,FRI' }]);
    expect(forms(summaryCron(DEFAULT_SUMMARY_SCHEDULE))).toEqual(['cron(0 8 ? * MON *)', '0 8 * * MON', { minute: '0', hour: '8', weekDay: 'MON' }]);
    expect(forms(summaryCron({ weekDay: 'FRI', hour: 6, minute: 15 }))).toEqual(['cron(15 6 ? * FRI *)', '15 6 * * FRI', { minute: '15', hour: '6', weekDay: 'FRI' }]);
    expect(forms(DAILY_SNAPSHOT_SCHEDULE)).toEqual(['cron(50 23 * * ? *)', '50 23 * * *', { minute: '50', hour: '23' }]);
    expect(CREDIT_SCHEDULES.map((j) => forms(j.cron))).toEqual([
      ['cron(* * * * ? *)', '* * * * *', { minute: '*', hour: '*' }],
      ['cron(5 * * * ? *)', '5 * * * *', { minute: '5', hour: '*' }],
    ]);
  });

  it('property: croner runs a schedule at the same instants whether its days are written as names or as numbers', () => {
    // Prepare
    const days: WeekDay[] = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
    const arb = fc.record({
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      weekDays: fc.uniqueArray(fc.constantFrom(...days), { minLength: 1 }),
    });
    // Act / Assess
    fc.assert(
      fc.property(arb, (s) => {
        const byName = new Cron(cronerPattern({ ...s, cronerDays: 'names' }), { timezone: 'Europe/Moscow' }).nextRuns(6, FROM);
        const byNumber = new Cron(cronerPattern({ ...s, cronerDays: 'numbers' }), { timezone: 'Europe/Moscow' }).nextRuns(6, FROM);
        expect(iso(byNumber)).toEqual(iso(byName));
      }),
      { numRuns: 60 },
    );
  });
});
