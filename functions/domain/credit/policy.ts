/**
 * Credit policy as versioned, validated data (like the dunning policy in ../policy): default terms,
 * when a hold starts, the materiality floor, the override maximum, the credit policy matrix
 * (customer type × risk category → recommended terms) and the payment-discipline thresholds.
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';
import { DECIMAL_RE, isCurrency, type Currency, type Money } from '../money.js';

export const CREDIT_MODES = ['hard', 'flexible'] as const;
export type CreditMode = (typeof CREDIT_MODES)[number];

export const RISK_CATEGORIES = ['A', 'B', 'C', 'D', 'new'] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

/**
 * When an overdue invoice starts to hold shipments:
 * - `days-overdue`: the day after it is `maxDaysOverdue` days overdue (docs/rules.md §4: "more than 5 days");
 * - `warning-deadline`: the day after the deadline the warning letter stated ("pay within 5 calendar
 *   days, by D inclusive" → held from D + 1); a claim letter (which says shipments are stopped) holds
 *   from its own date; an invoice no letter has warned about does not hold.
 */
export const HOLD_START_RULES = ['days-overdue', 'warning-deadline'] as const;
export type HoldStartRule = (typeof HOLD_START_RULES)[number];

const zMoneyData = z
  .object({
    amount: z
      .string()
      .regex(DECIMAL_RE, 'must be a decimal string such as "5000.00"')
      .refine((s) => !s.startsWith('-'), 'must not be negative'),
    currency: z.string().refine(isCurrency, 'unknown currency'),
  })
  .strict()
  .transform((m) => ({ amount: m.amount, currency: m.currency as Currency }) as Money);

const zPct = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,2})?$/, 'a percent such as "30" or "12.5"')
  .refine((s) => Number(s) <= 100, 'at most 100');

/** A customer's (or a contract's) credit terms. */
export const CreditTermsSchema = z
  .object({
    /** The credit limit (exposure may not exceed it). Absent: no limit. "0.00": no credit at all. */
    limit: zMoneyData.optional(),
    /** Payment deferral granted on invoices (отсрочка), days. */
    deferralDays: z.number().int().min(0).max(365),
    /** Share of every order to be paid before shipment, percent. */
    prepaymentPct: zPct,
    /** Days overdue tolerated before a hold (rule `days-overdue`): more than this holds. */
    maxDaysOverdue: z.number().int().min(0).max(365),
    /** Overdue amounts below this never hold (a kopeck residue must not stop a truck). */
    materialityFloor: zMoneyData.optional(),
    /** hard: hold; flexible: ship against prepayment instead of a hold. */
    mode: z.enum(CREDIT_MODES),
  })
  .strict();
export type CreditTerms = z.infer<typeof CreditTermsSchema>;

/** Individual terms may set any subset; the rest comes from the customer's (or the matrix's) terms. */
export const PartialTermsSchema = CreditTermsSchema.partial();
export type PartialTerms = z.infer<typeof PartialTermsSchema>;

export const MatrixRowSchema = z
  .object({
    customerType: z.string().min(1).max(60),
    riskCategory: z.enum(RISK_CATEGORIES),
    terms: CreditTermsSchema,
  })
  .strict();
export type MatrixRow = z.infer<typeof MatrixRowSchema>;

/** Payment discipline: weights, the categories' score thresholds and what counts as too little history. */
export const DisciplineRulesSchema = z
  .object({
    windowDays: z.number().int().min(90).max(730),
    trendDays: z.number().int().min(14).max(365),
    /** Fewer invoices due in the window than this → category "new". */
    minInvoices: z.number().int().min(1).max(100),
    /** Score = 100 × on-time share − daysLatePenalty × weighted average days late − per broken promise − per reversal, clamped to 0…100. */
    daysLatePenalty: z.string().regex(DECIMAL_RE),
    brokenPromisePenalty: z.string().regex(DECIMAL_RE),
    reversalPenalty: z.string().regex(DECIMAL_RE),
    /** Minimum score per category, best first; the lowest listed category takes everything below. */
    thresholds: z.array(z.object({ category: z.enum(['A', 'B', 'C', 'D']), minScore: z.number().min(0).max(100) }).strict()).min(2),
    /** Trend: a change of the on-time share (percentage points) smaller than this is "stable". */
    trendBandPct: z.number().min(0).max(100),
  })
  .strict()
  .superRefine((d, ctx) => {
    for (let i = 1; i < d.thresholds.length; i++) {
      if (d.thresholds[i]!.minScore >= d.thresholds[i - 1]!.minScore) {
        ctx.addIssue({ code: 'custom', path: ['thresholds', i, 'minScore'], message: 'thresholds must decrease from the best category down' });
      }
    }
    if (d.thresholds[d.thresholds.length - 1]!.minScore !== 0) {
      ctx.addIssue({ code: 'custom', path: ['thresholds', d.thresholds.length - 1, 'minScore'], message: 'the last category must start at 0 (every score has a category)' });
    }
  });
export type DisciplineRules = z.infer<typeof DisciplineRulesSchema>;

export const CreditPolicySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.number().int().min(1),
    description: z.string().optional(),
    holdStart: z.enum(HOLD_START_RULES),
    /** An open claim case holds shipments (the claim letter says they are stopped). */
    holdOnOpenClaim: z.boolean(),
    /** Longest override head_of_sales may grant, hours. */
    maxOverrideHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 31),
    /** How long a reservation holds exposure unless invoiced, hours. */
    reservationHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    /** Terms of a customer nobody set terms for: the matrix row of its type and category "new", else these. */
    defaultTerms: CreditTermsSchema,
    matrix: z.array(MatrixRowSchema),
    discipline: DisciplineRulesSchema,
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.matrix.forEach((row, i) => {
      const k = `${row.customerType}/${row.riskCategory}`;
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: ['matrix', i], message: `duplicate row ${k}` });
      seen.add(k);
    });
  });
export type CreditPolicy = z.infer<typeof CreditPolicySchema>;

function issuesOf(err: z.ZodError, prefix: string): FieldIssue[] {
  return err.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

/** Validates a credit policy document; throws ValidationError naming each bad field. */
export function parseCreditPolicy(input: unknown, field = 'creditPolicy'): CreditPolicy {
  const r = CreditPolicySchema.safeParse(input);
  if (!r.success) throw new ValidationError(issuesOf(r.error, field), { cause: r.error });
  return r.data;
}

export function parseTerms(input: unknown, field = 'terms'): PartialTerms {
  const r = PartialTermsSchema.safeParse(input);
  if (!r.success) throw new ValidationError(issuesOf(r.error, field), { cause: r.error });
  return r.data;
}

export const policyVersionLabel = (p: Pick<CreditPolicy, 'name' | 'version'>): string => `${p.name}@${p.version}`;

const rub = (amount: string): Money => ({ amount, currency: 'RUB' });
const row = (customerType: string, riskCategory: RiskCategory, t: Omit<CreditTerms, 'materialityFloor'>): MatrixRow => ({
  customerType,
  riskCategory,
  terms: { ...t, materialityFloor: rub('100.00') },
});

/**
 * The default credit policy (wholesale, docs/rules.md §4). Hold start `days-overdue` (docs/rules.md §4's rule:
 * debt more than 5 days overdue stops shipments): it does not depend on a letter having gone out (a
 * failed or paused letter never lets a debtor ship on), and the letters state the date it starts.
 * Matrix: the better the category, the longer the deferral and the higher the limit; "new" customers
 * start with half prepayment and a small limit; D ships against full prepayment.
 */
export const DEFAULT_CREDIT_POLICY: CreditPolicy = parseCreditPolicy({
  name: 'wholesale-credit',
  version: 1,
  description: 'Wholesale credit control (seeds 001–003): hold over 5 days overdue, lifted only by the head of sales',
  holdStart: 'days-overdue',
  holdOnOpenClaim: true,
  maxOverrideHours: 72,
  reservationHours: 24,
  defaultTerms: { limit: rub('100000.00'), deferralDays: 0, prepaymentPct: '50', maxDaysOverdue: 5, materialityFloor: rub('100.00'), mode: 'hard' },
  matrix: [
    row('wholesale', 'A', { limit: rub('2000000.00'), deferralDays: 30, prepaymentPct: '0', maxDaysOverdue: 5, mode: 'flexible' }),
    row('wholesale', 'B', { limit: rub('1000000.00'), deferralDays: 14, prepaymentPct: '0', maxDaysOverdue: 5, mode: 'hard' }),
    row('wholesale', 'C', { limit: rub('300000.00'), deferralDays: 7, prepaymentPct: '30', maxDaysOverdue: 5, mode: 'hard' }),
    row('wholesale', 'D', { limit: rub('0.00'), deferralDays: 0, prepaymentPct: '100', maxDaysOverdue: 0, mode: 'hard' }),
    row('wholesale', 'new', { limit: rub('200000.00'), deferralDays: 14, prepaymentPct: '0', maxDaysOverdue: 5, mode: 'hard' }),
  ],
  discipline: {
    windowDays: 365,
    trendDays: 90,
    minInvoices: 3,
    daysLatePenalty: '1.5',
    brokenPromisePenalty: '10',
    reversalPenalty: '10',
    thresholds: [
      { category: 'A', minScore: 85 },
      { category: 'B', minScore: 70 },
      { category: 'C', minScore: 50 },
      { category: 'D', minScore: 0 },
    ],
    trendBandPct: 5,
  },
});
