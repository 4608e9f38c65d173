import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cron } from 'croner';
import { CRONER_OPTIONS, eventBridgeCronToCroner, nextEventBridgeRuns, parseEventBridgeCron } from '../../workflows/cron.js';
import { DEFAULT_SCHEDULE, dunningEventBridgeCron } from '../../workflows/schedule.js';
import { ConfigError } from '../../functions/domain/errors.js';

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const MOSCOW = 'Europe/Moscow';
/** Tuesday 2026-11-24, 00:00 UTC: a fixed start instant, no clock read. */
const FROM = new Date('2026-11-24T00:00:00Z');

describe('eventBridgeCronToCroner', () => {
  it('converts the synthesized dunning schedule and runs on Tuesdays and Fridays at 09:00 Moscow time', () => {
    // Prepare
    const expr = dunningEventBridgeCron(DEFAULT_SCHEDULE);

    // Act
    const pattern = eventBridgeCronToCroner(expr);
    const runs = nextEventBridgeRuns(expr, MOSCOW, 6, FROM);

    // Assess
    expect(expr).toBe('cron(0 9 ? * TUE,FRI *)');
    expect(pattern).toBe('0 9 * * 2,5');
    expect(iso(runs)).toEqual([
      '2026-11-24T06:00:00.000Z',
      '2026-11-27T06:00:00.000Z',
      '2026-12-01T06:00:00.000Z',
      '2026-12-04T06:00:00.000Z',
      '2026-12-08T06:00:00.000Z',
      '2026-12-11T06:00:00.000Z',
    ]);
    const moscowParts = runs.map((d) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: MOSCOW, weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(d),
    );
    expect(moscowParts).toEqual(['Tue 09:00', 'Fri 09:00', 'Tue 09:00', 'Fri 09:00', 'Tue 09:00', 'Fri 09:00']);
  });

  it('evaluates in the given time zone, not UTC or the machine zone', () => {
    // Prepare
    const expr = 'cron(30 9 ? * TUE,FRI *)';

    // Act
    const berlin = nextEventBridgeRuns(expr, 'Europe/Berlin', 2, FROM);
    const utc = nextEventBridgeRuns(expr, 'UTC', 2, FROM);

    // Assess: Berlin is UTC+1 in November.
    expect(iso(berlin)).toEqual(['2026-11-24T08:30:00.000Z', '2026-11-27T08:30:00.000Z']);
    expect(iso(utc)).toEqual(['2026-11-24T09:30:00.000Z', '2026-11-27T09:30:00.000Z']);
  });

  it.each([
    // [EventBridge, croner]
    ['cron(0 9 ? * TUE,FRI *)', '0 9 * * 2,5'],
    ['cron(0 9 ? * 3,6 *)', '0 9 * * 2,5'], // numbers 1-7 = SUN-SAT
    ['cron(0 9 ? * 1 *)', '0 9 * * 0'], // 1 = Sunday
    ['cron(0 9 ? * 7 *)', '0 9 * * 6'], // 7 = Saturday
    ['cron(0 9 ? * MON-FRI *)', '0 9 * * 1-5'],
    ['cron(0 9 ? * 2-6 *)', '0 9 * * 1-5'],
    ['cron(0 9 ? * mon-fri *)', '0 9 * * 1-5'], // names are case-insensitive
    ['cron(0 9 ? * 3#2 *)', '0 9 * * 2#2'], // 2nd Tuesday
    ['cron(0 9 ? * FRI#1 *)', '0 9 * * 5#1'],
    ['cron(0 9 ? * 6L *)', '0 9 * * 5#L'], // last Friday
    ['cron(0 9 ? * FRIL *)', '0 9 * * 5#L'],
    ['cron(0 9 ? * L *)', '0 9 * * 6'], // last day of the week
    ['cron(0 9 L * ? *)', '0 9 L * *'],
    ['cron(0 9 LW * ? *)', '0 9 LW * *'],
    ['cron(0 9 15W * ? *)', '0 9 15W * *'],
    ['cron(0/15 * * * ? *)', '0-59/15 * * * *'],
    ['cron(5/20 8-17 ? * MON-FRI *)', '5-59/20 8-17 * * 1-5'],
    ['cron(*/10 * * * ? *)', '0-59/10 * * * *'], // explicit range: croner starts `*/s` at the field's index 0
    ['cron(0 9 1 * ? */5)', '0 0 9 1 * * 1970-2199/5'], // EventBridge years start at 1970
    ['cron(0 8-18/2 * * ? *)', '0 8-18/2 * * *'],
    ['cron(0 10,15 * * ? *)', '0 10,15 * * *'],
    ['cron(0 9 1/7 * ? *)', '0 9 1-31/7 * *'],
    ['cron(0 9 1 JAN,JUL ? *)', '0 9 1 1,7 *'],
    ['cron(0 9 1 JAN-MAR ? *)', '0 9 1 1-3 *'],
    ['cron(0 9 1 1/3 ? *)', '0 9 1 1-12/3 *'],
    ['cron(0 9 1 * ? 2027)', '0 0 9 1 * * 2027'],
    ['cron(0 9 1 * ? 2027-2029)', '0 0 9 1 * * 2027-2029'],
    ['cron(0 9 1 * ? 2026/2)', '0 0 9 1 * * 2026-2199/2'],
    ['  cron( 0  9 ? * TUE,FRI * )  ', '0 9 * * 2,5'],
    ['0 9 ? * TUE,FRI *', '0 9 * * 2,5'], // the six bare fields
  ])('%s → %s', (eventBridge, croner) => {
    // Prepare
    const expr = eventBridge;

    // Act
    const pattern = eventBridgeCronToCroner(expr);

    // Assess
    expect(pattern).toBe(croner);
  });

  it.each([
    ['nth weekday: 2nd Tuesday', 'cron(0 9 ? * 3#2 *)', ['2026-12-08T06:00:00.000Z', '2027-01-12T06:00:00.000Z', '2027-02-09T06:00:00.000Z']],
    ['last Friday', 'cron(0 9 ? * 6L *)', ['2026-11-27T06:00:00.000Z', '2026-12-25T06:00:00.000Z', '2027-01-29T06:00:00.000Z']],
    ['last day of month', 'cron(0 9 L * ? *)', ['2026-11-30T06:00:00.000Z', '2026-12-31T06:00:00.000Z', '2027-01-31T06:00:00.000Z']],
    // Jan 2027 ends on a Sunday: last weekday is Friday the 29th.
    ['last weekday of month', 'cron(0 9 LW * ? *)', ['2026-11-30T06:00:00.000Z', '2026-12-31T06:00:00.000Z', '2027-01-29T06:00:00.000Z']],
    // 15 Dec 2026 is a Tuesday; 15 May 2027 is a Saturday → Friday 14th; 15 Aug 2027 a Sunday → Monday 16th.
    ['nearest weekday to the 15th', 'cron(0 9 15W 5,8,12 ? *)', ['2026-12-15T06:00:00.000Z', '2027-05-14T06:00:00.000Z', '2027-08-16T06:00:00.000Z']],
    ['every 15 minutes', 'cron(0/15 * * * ? *)', ['2026-11-24T00:15:00.000Z', '2026-11-24T00:30:00.000Z', '2026-11-24T00:45:00.000Z']],
    ['Sunday only (1 = SUN)', 'cron(0 9 ? * 1 *)', ['2026-11-29T06:00:00.000Z', '2026-12-06T06:00:00.000Z', '2026-12-13T06:00:00.000Z']],
    ['year 2027 only', 'cron(0 9 1 * ? 2027)', ['2027-01-01T06:00:00.000Z', '2027-02-01T06:00:00.000Z', '2027-03-01T06:00:00.000Z']],
  ])('%s: %s runs on the right days in Moscow', (_label, expr, expected) => {
    // Prepare
    const from = FROM;

    // Act
    const runs = nextEventBridgeRuns(expr, MOSCOW, 3, from);

    // Assess
    expect(iso(runs)).toEqual(expected);
  });

  it('returns no runs after the last year of a restricted year field', () => {
    // Prepare
    const expr = 'cron(0 9 1 1 ? 2026)';

    // Act
    const runs = nextEventBridgeRuns(expr, MOSCOW, 3, FROM);

    // Assess
    expect(runs).toEqual([]);
  });

  it.each([
    ['both day fields set', 'cron(0 9 1 * MON *)', /exactly one of day-of-month and day-of-week must be "\?"/],
    ['both day fields "*"', 'cron(0 9 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['both day fields "?"', 'cron(0 9 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['five fields', 'cron(0 9 ? * TUE)', /expected 6 fields/],
    ['minute out of range', 'cron(60 9 ? * TUE *)', /minutes "60" has 60, outside 0-59/],
    ['hour out of range', 'cron(0 24 ? * TUE *)', /hours "24" has 24, outside 0-23/],
    ['day-of-week 0', 'cron(0 9 ? * 0 *)', /day-of-week "0" has 0, outside 1-7/],
    ['day-of-week 8', 'cron(0 9 ? * 8 *)', /day-of-week "8" has 8, outside 1-7/],
    ['bad day name', 'cron(0 9 ? * TUS *)', /day-of-week "TUS" has "TUS", which is not a number or a name/],
    ['increment in day-of-week', 'cron(0 9 ? * 2/2 *)', /does not allow in day-of-week/],
    ['# in a list', 'cron(0 9 ? * 3#2,6#1 *)', /one expression only/],
    ['# occurrence 6', 'cron(0 9 ? * 3#6 *)', /must be 1-5/],
    ['L offset', 'cron(0 9 L-3 * ? *)', /offsets from the last day/],
    ['W in day-of-week', 'cron(0 9 ? * 2W *)', /not a number or a name/],
    ['year before 1970', 'cron(0 9 1 * ? 1969)', /year "1969" has 1969, outside 1970-2199/],
    ['year after 2199', 'cron(0 9 1 * ? 2200)', /outside 1970-2199/],
    ['backwards range', 'cron(0 17-8 ? * TUE *)', /running backwards/],
    ['zero increment', 'cron(0/0 9 ? * TUE *)', /increment 0, must be 1-60/],
    ['"?" in minutes', 'cron(? 9 ? * TUE *)', /"\?" is only for day-of-month or day-of-week/],
    ['rate expression', 'rate(1 day)', /rate expression/],
  ])('refuses %s with a ConfigError naming the problem', (_label, expr, message) => {
    // Prepare
    const convert = () => eventBridgeCronToCroner(expr);

    // Act
    let caught: unknown;
    try {
      convert();
    } catch (err) {
      caught = err;
    }

    // Assess
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(message);
  });

  it('parses the six named fields', () => {
    // Prepare
    const expr = 'cron(0 9 ? * TUE,FRI *)';

    // Act
    const fields = parseEventBridgeCron(expr);

    // Assess
    expect(fields).toEqual({ minutes: '0', hours: '9', dayOfMonth: '?', month: '*', dayOfWeek: 'TUE,FRI', year: '*' });
  });

  it('property: any hour/minute Tue,Fri schedule fires only on Tue/Fri at that local time', () => {
    // Prepare
    const zones = ['Europe/Moscow', 'Europe/Berlin', 'Asia/Yekaterinburg', 'America/New_York', 'UTC'];
    const arb = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }), tz: fc.constantFrom(...zones) });

    // Act / Assess
    fc.assert(
      fc.property(arb, ({ hour, minute, tz }) => {
        const expr = dunningEventBridgeCron({ timeZone: tz, hour, minute });
        const runs = nextEventBridgeRuns(expr, tz, 8, FROM);
        const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
        const expectedTime = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
        expect(runs).toHaveLength(8);
        for (const r of runs) {
          const [wd, hm] = fmt.format(r).split(' ');
          expect(['Tue', 'Fri']).toContain(wd);
          // A local time inside a DST gap moves to the first valid time; these zones have none on Tue/Fri here.
          expect(hm).toBe(expectedTime);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('emits patterns croner evaluates identically with the Quartz numbering it also supports', () => {
    // Prepare: croner's own Quartz mode (1-7 = SUN-SAT) is an independent reading of EventBridge day numbers.
    const expr = 'cron(0 9 ? * 2-4 *)';

    // Act
    const ours = nextEventBridgeRuns(expr, MOSCOW, 6, FROM);
    const quartz = new Cron('0 9 * * 2-4', { ...CRONER_OPTIONS, timezone: MOSCOW, alternativeWeekdays: true }).nextRuns(6, FROM);

    // Assess
    expect(iso(ours)).toEqual(iso(quartz));
  });
});
