import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bucketIndex, DEFAULT_BUCKETS, parseBucketBounds, validateBuckets } from '../../../functions/domain/reports/buckets.js';
import { ValidationError } from '../../../functions/domain/errors.js';

const fieldsOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  throw new Error('did not throw');
};

describe('aging buckets', () => {
  it('puts each boundary day of the default buckets in the right bucket', () => {
    // Prepare
    const cases: [number, string][] = [
      [-400, 'current'],
      [-1, 'current'],
      [0, 'current'],
      [1, '1–30'],
      [30, '1–30'],
      [31, '31–60'],
      [60, '31–60'],
      [61, '61–90'],
      [90, '61–90'],
      [91, '91–120'],
      [120, '91–120'],
      [121, '>120'],
      [5000, '>120'],
    ];
    // Act
    const got = cases.map(([d]) => DEFAULT_BUCKETS[bucketIndex(DEFAULT_BUCKETS, d)]!.label);
    // Assess
    expect(got).toEqual(cases.map(([, l]) => l));
  });

  it('the shorthand of upper bounds gives the default buckets', () => {
    // Act
    const b = parseBucketBounds('0,30,60,90,120');
    // Assess
    expect(b).toEqual(DEFAULT_BUCKETS);
  });

  it('refuses overlaps and gaps, naming them', () => {
    // Act
    const overlap = fieldsOf(() =>
      validateBuckets([
        { label: 'a', to: 10 },
        { label: 'b', from: 5, to: 20 },
        { label: 'c', from: 21 },
      ]),
    );
    const gap = fieldsOf(() =>
      validateBuckets([
        { label: 'a', to: 10 },
        { label: 'b', from: 15 },
      ]),
    );
    const openTop = fieldsOf(() =>
      validateBuckets([
        { label: 'a', to: 10 },
        { label: 'b', from: 11, to: 20 },
      ]),
    );
    const openBottom = fieldsOf(() =>
      validateBuckets([
        { label: 'a', from: 0, to: 10 },
        { label: 'b', from: 11 },
      ]),
    );
    const shorthand = fieldsOf(() => parseBucketBounds('0,30,20'));
    const notNumber = fieldsOf(() => parseBucketBounds('0,thirty'));
    // Assess
    expect(overlap).toEqual([{ field: 'buckets[1]', message: '"b" overlaps "a" on days 5–10' }]);
    expect(gap).toEqual([{ field: 'buckets[1]', message: 'gap between "a" and "b": days 11–14 fall in no bucket' }]);
    expect(openTop[0]!.message).toMatch(/last bucket must be open above/);
    expect(openBottom[0]!.message).toMatch(/first bucket must be open below/);
    expect(shorthand[0]).toEqual({ field: 'buckets[2]', message: 'bound 20 overlaps the bucket ending at 30: bounds must increase' });
    expect(notNumber[0]!.field).toBe('buckets[1]');
  });

  it('every day falls in exactly one bucket of any valid configuration (property)', () => {
    // Prepare
    const bounds = fc.uniqueArray(fc.integer({ min: -100, max: 400 }), { minLength: 1, maxLength: 8 }).map((xs) => xs.sort((a, b) => a - b));
    fc.assert(
      fc.property(bounds, fc.integer({ min: -1000, max: 2000 }), (bs, d) => {
        // Act
        const buckets = parseBucketBounds(bs.join(','));
        const holding = buckets.filter((b) => (b.from === undefined || d >= b.from) && (b.to === undefined || d <= b.to));
        // Assess
        expect(holding).toHaveLength(1);
        expect(buckets[bucketIndex(buckets, d)]).toBe(holding[0]);
      }),
    );
  });
});
