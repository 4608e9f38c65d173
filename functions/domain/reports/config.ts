/**
 * Report configuration (JSON, e.g. the REPORTS_CONFIG setting): default aging buckets, targets for
 * the efficiency figures, the recovery window, and the weekly summary's schedule and recipients.
 * Validated; a bad value names its field.
 */
import { z } from 'zod';
import { ConfigError, ValidationError } from '../errors.js';
import { STAGES } from '../policy/schema.js';
import { DEFAULT_BUCKETS, validateBuckets, type Bucket } from './buckets.js';
import type { Targets } from './model.js';

const pct = z.number().min(0).max(100);
const zTargets = z
  .object({
    dsoDays: z.number().min(0).max(3650).optional(),
    bestPossibleDsoDays: z.number().min(0).max(3650).optional(),
    addDays: z.number().min(-3650).max(3650).optional(),
    ceiPct: pct.optional(),
    recoveryPct: z
      .object(Object.fromEntries(STAGES.map((s) => [s, pct.optional()])) as Record<(typeof STAGES)[number], z.ZodOptional<typeof pct>>)
      .strict()
      .optional(),
  })
  .strict();

export const WEEK_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

const zConfig = z
  .object({
    buckets: z.unknown().optional(),
    targets: zTargets.optional(),
    recoveryWindowDays: z.number().int().min(1).max(366).optional(),
    readConcurrency: z.number().int().min(1).max(64).optional(),
    summary: z
      .object({
        /** Day of the week of the management summary (default MON). */
        weekDay: z.enum(WEEK_DAYS).default('MON'),
        hour: z.number().int().min(0).max(23).default(8),
        minute: z.number().int().min(0).max(59).default(0),
        recipients: z.array(z.email()).max(50).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface SummarySchedule {
  weekDay: (typeof WEEK_DAYS)[number];
  hour: number;
  minute: number;
  recipients: string[];
}

export interface ReportsConfig {
  buckets: readonly Bucket[];
  targets: Targets;
  recoveryWindowDays: number;
  summary: SummarySchedule;
  /** Customers read at once when a report reads only the debtors' books (default 16; docs/reports.md "Debtors only"). */
  readConcurrency?: number;
}

/** Defaults: the standard buckets, no targets, 14-day recovery window, Monday 08:00. */
export const DEFAULT_REPORTS_CONFIG: ReportsConfig = {
  buckets: DEFAULT_BUCKETS,
  targets: {},
  recoveryWindowDays: 14,
  summary: { weekDay: 'MON', hour: 8, minute: 0, recipients: [] },
};

export function parseReportsConfig(input: unknown, name = 'REPORTS_CONFIG'): ReportsConfig {
  let raw = input;
  if (typeof input === 'string') {
    if (!input.trim()) return DEFAULT_REPORTS_CONFIG;
    try {
      raw = JSON.parse(input);
    } catch (err) {
      throw new ConfigError(`invalid configuration: ${name}: not JSON: ${(err as Error).message}`);
    }
  }
  if (raw === undefined || raw === null) return DEFAULT_REPORTS_CONFIG;
  const r = zConfig.safeParse(raw);
  if (!r.success) throw new ConfigError(`invalid configuration: ${r.error.issues.map((i) => `${name}.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  let buckets: readonly Bucket[] = DEFAULT_BUCKETS;
  if (r.data.buckets !== undefined) {
    try {
      buckets = validateBuckets(r.data.buckets);
    } catch (err) {
      if (err instanceof ValidationError) throw new ConfigError(`invalid configuration: ${err.fields.map((f) => `${name}.${f.field}: ${f.message}`).join('; ')}`);
      throw err;
    }
  }
  return {
    buckets,
    targets: r.data.targets ?? {},
    recoveryWindowDays: r.data.recoveryWindowDays ?? 14,
    summary: r.data.summary ?? DEFAULT_REPORTS_CONFIG.summary,
    ...(r.data.readConcurrency ? { readConcurrency: r.data.readConcurrency } : {}),
  };
}
