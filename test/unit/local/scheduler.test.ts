import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalScheduler, type LocalScheduler } from '../../../bin/local/scheduler.js';
import { cronerPattern } from '../../../workflows/cron.js';
import { DEFAULT_SCHEDULE, dunningCron } from '../../../workflows/schedule.js';
import { ConfigError } from '../../../functions/domain/errors.js';

describe('startLocalScheduler (fake clock)', () => {
  let scheduler: LocalScheduler | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    scheduler?.stop();
    scheduler = undefined;
    vi.useRealTimers();
  });

  it('ticks at Tuesday 09:00 Moscow with the scheduled time, then points at Friday', async () => {
    // Prepare: Tuesday 2026-11-24, 08:59:00 Moscow (05:59Z).
    vi.setSystemTime(new Date('2026-11-24T05:59:00Z'));
    const ticks: string[] = [];
    scheduler = startLocalScheduler({
      pattern: cronerPattern(dunningCron(DEFAULT_SCHEDULE)),
      timeZone: DEFAULT_SCHEDULE.timeZone,
      onTick: (t) => {
        ticks.push(t.toISOString());
      },
    });
    const before = scheduler.next()?.toISOString();

    // Act: two minutes of fake time pass.
    await vi.advanceTimersByTimeAsync(120_000);

    // Assess
    expect(scheduler.pattern).toBe('0 9 * * 2,5');
    expect(before).toBe('2026-11-24T06:00:00.000Z');
    expect(ticks).toEqual(['2026-11-24T06:00:00.000Z']);
    expect(scheduler.next()?.toISOString()).toBe('2026-11-27T06:00:00.000Z');
  });

  it('passes the scheduled minute even when the timer fires late, and keeps going after a failing tick', async () => {
    // Prepare: every 15 minutes; the first tick throws.
    vi.setSystemTime(new Date('2026-11-24T10:14:00Z'));
    const ticks: string[] = [];
    const errors: string[] = [];
    scheduler = startLocalScheduler({
      pattern: '*/15 * * * *',
      timeZone: 'UTC',
      onTick: (t) => {
        ticks.push(t.toISOString());
        if (ticks.length === 1) throw new Error('boom');
      },
      onError: (err, t) => errors.push(`${t.toISOString()} ${(err as Error).message}`),
    });

    // Act
    await vi.advanceTimersByTimeAsync(20 * 60_000);

    // Assess
    expect(ticks).toEqual(['2026-11-24T10:15:00.000Z', '2026-11-24T10:30:00.000Z']);
    expect(errors).toEqual(['2026-11-24T10:15:00.000Z boom']);
  });

  it('stops for good: no more ticks, next() is null, stop() is idempotent', async () => {
    // Prepare
    vi.setSystemTime(new Date('2026-11-24T10:14:00Z'));
    const ticks: Date[] = [];
    scheduler = startLocalScheduler({ pattern: '* * * * *', timeZone: 'UTC', onTick: (t) => void ticks.push(t) });

    // Act
    scheduler.stop();
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(5 * 60_000);

    // Assess
    expect(ticks).toEqual([]);
    expect(scheduler.next()).toBeNull();
  });

  it('refuses a pattern croner cannot read', () => {
    // Prepare
    const start = () => startLocalScheduler({ pattern: '0 9 * * TUESDAY', timeZone: 'Europe/Moscow', onTick: () => {} });

    // Act / Assess
    expect(start).toThrow(ConfigError);
  });

  it('refuses an unknown time zone with a message naming it', () => {
    // Prepare
    const start = () => startLocalScheduler({ pattern: '0 9 * * 2', timeZone: 'Mars/Olympus', onTick: () => {} });

    // Act / Assess
    expect(start).toThrow(/Mars\/Olympus/);
  });
});
