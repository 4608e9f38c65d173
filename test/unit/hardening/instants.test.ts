/** Strict provider instants: an impossible date is refused, never rolled over (issue 12, item 2). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../../functions/domain/instants.js';
import { instantToDate, unixToDate } from '../../../functions/ingest/common.js';
import { isCalendarDate } from '../../../functions/domain/dates.js';

describe('parseInstant', () => {
  it.each([
    '2026-02-30T10:00:00.000Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31 10:00:00',
    '2026-13-01T00:00:00Z',
    '2026-11-20T24:00:00Z',
    '2026-11-20T10:60:00Z',
    '2026-11-20T10:00:00+15:00',
    'not-a-date',
    '',
  ])('refuses %s', (text) => {
    // Act / Assess
    expect(parseInstant(text, { assumeUtc: true })).toBeUndefined();
    expect(instantToDate(text, 'Europe/Moscow')).toBeUndefined();
  });

  it('accepts every real instant and keeps its calendar date (UTC)', () => {
    // Prepare
    const instants = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instants, (d) => {
        // Act
        const iso = d.toISOString();
        // Assess
        expect(parseInstant(iso)).toBe(d.getTime());
        expect(instantToDate(iso, 'UTC')).toBe(iso.slice(0, 10));
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('refuses every day past the end of its month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (y, m, d) => {
        // Prepare
        const date = `${y}-${String(m).padStart(2, '0')}-${d}`;
        // Act
        const ms = parseInstant(`${date}T10:00:00Z`);
        // Assess
        expect(ms !== undefined).toBe(isCalendarDate(date));
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('refuses a unix time no Date can hold', () => {
    // Act / Assess
    expect(() => unixToDate(1e300, 'UTC')).toThrow(/unix time/);
    expect(unixToDate(1_795_000_000, 'UTC')).toBe('2026-11-18');
  });
});
