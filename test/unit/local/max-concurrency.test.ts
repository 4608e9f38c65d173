/**
 * The DunningRun Map's MaxConcurrency is a setting of the one definition: the deployed value comes from
 * claimflow:maxConcurrency, the local one from `npm start -- --max-concurrency N` (and the bench's flag),
 * both bounded the same way.
 */
import { describe, expect, it } from 'vitest';
import { localMaxConcurrency } from '../../../bin/local/stack.js';
import { dunningRunAsl, LOCAL_FUNCTION_ARNS, MAX_CONCURRENCY, MAX_CONCURRENCY_LIMIT, STATE } from '../../../workflows/dunning-run.js';

const mapOf = (asl: Record<string, unknown>) => (asl as { States: Record<string, { MaxConcurrency?: number }> }).States[STATE.each]!;

describe('MaxConcurrency of the local DunningRun', () => {
  it('is the deployed default unless set, and the set value otherwise, in the same definition', () => {
    // Prepare
    const set = localMaxConcurrency(20);
    // Act
    const byDefault = dunningRunAsl();
    const withSetting = dunningRunAsl(LOCAL_FUNCTION_ARNS, { maxConcurrency: set });
    // Assess
    expect(localMaxConcurrency(undefined)).toBe(MAX_CONCURRENCY);
    expect(mapOf(byDefault).MaxConcurrency).toBe(MAX_CONCURRENCY);
    expect(mapOf(withSetting).MaxConcurrency).toBe(20);
    // Nothing else differs.
    expect({ ...withSetting, States: { ...(withSetting.States as object), [STATE.each]: { ...mapOf(withSetting), MaxConcurrency: MAX_CONCURRENCY } } }).toEqual(byDefault);
  });

  it.each([0, -1, 2.5, Number.NaN, MAX_CONCURRENCY_LIMIT + 1])('refuses %s at start, naming the setting and its range', (bad) => {
    // Prepare / Act
    const attempt = () => localMaxConcurrency(bad);
    // Assess
    expect(attempt).toThrow(`maxConcurrency must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT} (got ${bad})`);
  });
});
