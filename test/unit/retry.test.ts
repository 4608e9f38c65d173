/** functions/util/retry.ts: retry on conflict with full-jitter backoff. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffMs, retry, retryOnConflict, RETRY_CAP_MS } from '../../functions/util/retry.js';

describe('retryOnConflict', () => {
  it('goes again while an attempt asks for it, and answers the first result', async () => {
    // Prepare
    const seen: number[] = [];
    // Act
    const r = await retryOnConflict(
      async (n) => {
        seen.push(n);
        return n < 3 ? retry(new Error(`conflict ${n}`)) : `done at ${n}`;
      },
      { maxAttempts: 5, random: () => 0 },
    );
    // Assess
    expect(r).toBe('done at 3');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('throws the last cause when attempts run out, or what `exhausted` makes of it', async () => {
    // Prepare
    const always = async (n: number) => retry(new Error(`conflict ${n}`));
    // Act / Assess
    await expect(retryOnConflict(always, { maxAttempts: 2, random: () => 0 })).rejects.toThrow('conflict 2');
    await expect(retryOnConflict(always, { maxAttempts: 3, random: () => 0, exhausted: (c, n) => new Error(`gave up after ${n}: ${(c as Error).message}`) })).rejects.toThrow(
      'gave up after 3: conflict 3',
    );
  });

  it('an error that is not a retry request passes straight through', async () => {
    // Act / Assess
    await expect(
      retryOnConflict(
        async () => {
          throw new Error('boom');
        },
        { maxAttempts: 5 },
      ),
    ).rejects.toThrow('boom');
  });

  it('backoff is full jitter: between 0 and min(cap, base·2^attempt) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        // Act
        const ms = backoffMs(attempt, { random: () => r });
        // Assess
        return ms >= 0 && ms <= Math.min(RETRY_CAP_MS, 10 * 2 ** attempt);
      }),
    );
  });
});
