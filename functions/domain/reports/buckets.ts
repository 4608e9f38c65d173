/**
 * Aging buckets as configuration. A bucket is an inclusive range of days past due
 * (`daysPastDue = asOf − dueDate`; 0 or less = not yet overdue). The first bucket is open below,
 * the last open above, and each bucket starts the day after the previous one ends, so every day
 * falls in exactly one bucket. Overlaps and gaps are refused with an error that names them.
 */
import { ValidationError } from '../errors.js';

export interface Bucket {
  /** Shown in reports, e.g. "1–30". */
  label: string;
  /** First day past due (inclusive); absent on the first bucket = no lower bound. */
  from?: number;
  /** Last day past due (inclusive); absent on the last bucket = no upper bound. */
  to?: number;
}

/** current, 1–30, 31–60, 61–90, 91–120, over 120 days past due. */
export const DEFAULT_BUCKETS: readonly Bucket[] = Object.freeze([
  { label: 'current', to: 0 },
  { label: '1–30', from: 1, to: 30 },
  { label: '31–60', from: 31, to: 60 },
  { label: '61–90', from: 61, to: 90 },
  { label: '91–120', from: 91, to: 120 },
  { label: '>120', from: 121 },
]);

const FIELD = 'buckets';
const fail = (message: string, at = FIELD): never => {
  throw new ValidationError([{ field: at, message }]);
};

/**
 * Validates a bucket list: at least one bucket, integer bounds, `from ≤ to`, first open below, last
 * open above, and no overlap or gap between neighbours.
 */
export function validateBuckets(input: unknown): Bucket[] {
  if (!Array.isArray(input) || input.length === 0) return fail('must be a non-empty list of {label, from?, to?}');
  const out: Bucket[] = [];
  const labels = new Set<string>();
  input.forEach((raw, i) => {
    const at = `${FIELD}[${i}]`;
    if (!raw || typeof raw !== 'object') fail('must be an object {label, from?, to?}', at);
    const b = raw as Record<string, unknown>;
    if (typeof b.label !== 'string' || !b.label.trim()) fail('needs a label', `${at}.label`);
    const label = (b.label as string).trim();
    if (labels.has(label)) fail(`label "${label}" is used twice`, `${at}.label`);
    labels.add(label);
    for (const k of ['from', 'to'] as const) {
      if (b[k] !== undefined && (!Number.isInteger(b[k]) || Math.abs(b[k] as number) > 100_000)) fail('must be a whole number of days', `${at}.${k}`);
    }
    const from = b.from as number | undefined;
    const to = b.to as number | undefined;
    if (from !== undefined && to !== undefined && to < from) fail(`ends (day ${to}) before it starts (day ${from})`, at);
    if (i === 0 && from !== undefined) fail(`the first bucket must be open below (no "from"): days before ${from} would fall in no bucket`, at);
    if (i === input.length - 1 && to !== undefined) fail(`the last bucket must be open above (no "to"): days after ${to} would fall in no bucket`, at);
    if (i > 0) {
      const prev = out[i - 1]!;
      if (prev.to === undefined) fail(`"${label}" overlaps "${prev.label}", which has no upper bound`, at);
      if (from === undefined) fail(`"${label}" overlaps "${prev.label}": only the first bucket may be open below`, at);
      if (from! <= prev.to!) fail(`"${label}" overlaps "${prev.label}" on days ${from}–${Math.min(prev.to!, to ?? prev.to!)}`, at);
      if (from! > prev.to! + 1) fail(`gap between "${prev.label}" and "${label}": days ${prev.to! + 1}–${from! - 1} fall in no bucket`, at);
    }
    out.push({ label, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  });
  return out;
}

/**
 * The CLI/query shorthand: upper bounds in days past due, e.g. "0,30,60,90,120" → current (≤ 0),
 * 1–30, 31–60, 61–90, 91–120, >120. Bounds must increase (else: overlap, named).
 */
export function parseBucketBounds(spec: string): Bucket[] {
  const trimmed = spec.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      return fail(`is not valid JSON: ${(err as Error).message}`);
    }
    return validateBuckets(parsed);
  }
  const parts = trimmed.split(',').map((s) => s.trim());
  const bounds = parts.map((p, i) => {
    if (!/^-?\d{1,5}$/.test(p)) fail(`"${p}" is not a whole number of days (write upper bounds such as 0,30,60,90,120)`, `${FIELD}[${i}]`);
    return Number(p);
  });
  for (let i = 1; i < bounds.length; i++) {
    if (bounds[i]! <= bounds[i - 1]!) fail(`bound ${bounds[i]} overlaps the bucket ending at ${bounds[i - 1]}: bounds must increase`, `${FIELD}[${i}]`);
  }
  const out: Bucket[] = [];
  bounds.forEach((to, i) => {
    const from = i === 0 ? undefined : bounds[i - 1]! + 1;
    const label = i === 0 ? (to === 0 ? 'current' : `≤${to}`) : from === to ? `${to}` : `${from}–${to}`;
    out.push({ label, ...(from !== undefined ? { from } : {}), to });
  });
  out.push({ label: `>${bounds[bounds.length - 1]}`, from: bounds[bounds.length - 1]! + 1 });
  return validateBuckets(out);
}

/** Index of the one bucket that holds `daysPastDue` (buckets must be validated). */
export function bucketIndex(buckets: readonly Bucket[], daysPastDue: number): number {
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if ((b.from === undefined || daysPastDue >= b.from) && (b.to === undefined || daysPastDue <= b.to)) return i;
  }
  throw new Error(`internal: day ${daysPastDue} falls in no bucket`);
}
