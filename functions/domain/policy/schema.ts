/**
 * Dunning policy as validated, versioned data.
 *
 * WINDOW SEMANTICS (exact):
 * - An invoice's age is `daysOverdue = runDate − dueDate` in whole calendar days. Negative = not yet due
 *   ("due in 5 days" is −5), 0 = due today, 1 = one day overdue.
 * - A stage window is `{ from, to? }`, both bounds INCLUSIVE, in that same day scale. `to` absent means
 *   open-ended ("more than 10 days overdue" is `{ from: 11 }`).
 * - Windows may overlap (the default table has claim `{from: 11}` and litigation `{from: 16}`). The stage
 *   an age calls for is the HIGHEST stage (reminder < warning < claim < litigation), among the enabled
 *   ones, whose window contains the age. Ages outside every window call for no stage.
 * - Stage `from` bounds must increase with the stage order, so "highest stage" is well defined and the
 *   called-for stage never decreases as an invoice ages.
 */
import { z } from 'zod';
import { DECIMAL_RE, isCurrency } from '../money.js';

export const STAGES = ['reminder', 'warning', 'claim', 'litigation'] as const;
export type StageName = (typeof STAGES)[number];
export const stageRank = (s: StageName): number => STAGES.indexOf(s);

export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const day = z.number().int().min(-366).max(3660);

export const WindowSchema = z
  .object({
    /** First day of the window (inclusive), in days relative to the due date (negative = before due). */
    from: day,
    /** Last day (inclusive). Absent = open-ended. */
    to: day.optional(),
  })
  .strict()
  .refine((w) => w.to === undefined || w.to >= w.from, { message: 'window.to must be >= window.from', path: ['to'] });
export type StageWindow = z.infer<typeof WindowSchema>;

export const ChannelRuleSchema = z
  .object({
    /** email: the letter is an email; print: printed, signed and posted; legal: internal notice + task for the legal team. */
    primary: z.enum(['email', 'print', 'legal']),
    /** For printed stages: also send an email copy when the customer has a usable email. */
    emailCopy: z.boolean().default(false),
    /** For email stages: a customer without a usable email gets the printed letter instead. */
    printIfNoEmail: z.boolean().default(true),
  })
  .strict();
export type ChannelRule = z.infer<typeof ChannelRuleSchema>;

export const MoneySchema = z
  .object({
    amount: z.string().regex(DECIMAL_RE, 'must be a decimal string such as "5000.00"'),
    currency: z.string().refine(isCurrency, 'unknown currency'),
  })
  .strict();

export const StageRuleSchema = z
  .object({
    enabled: z.boolean().default(true),
    window: WindowSchema,
    channel: ChannelRuleSchema,
    /** Template id per locale: `<family>/<stage>` → templates/body/<family>.<stage>.<locale>.txt.hbs */
    templates: z.object({ ru: z.string().min(1), en: z.string().min(1) }).strict(),
    /** Days the letter gives the customer to pay (warning/claim texts: "within 5 calendar days"). */
    payWithinDays: z.number().int().min(1).max(365).optional(),
    /**
     * Minimum total outstanding (per currency, summed over the customer's invoices at this stage) for the
     * stage to go out. Below it, the invoices are skipped ('below-threshold') and stay eligible.
     */
    minTotal: MoneySchema.optional(),
  })
  .strict();
export type StageRule = z.infer<typeof StageRuleSchema>;

export const PolicySchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase name such as "wholesale"'),
    version: z.number().int().min(1),
    description: z.string().optional(),
    /** Minimum days between two dunning runs that wrote to the same customer (litigation notices are internal and exempt). */
    minGapDays: z.number().int().min(0).max(365),
    stages: z
      .object({
        reminder: StageRuleSchema.optional(),
        warning: StageRuleSchema.optional(),
        claim: StageRuleSchema.optional(),
        litigation: StageRuleSchema.optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((p, ctx) => {
    let prev: { stage: StageName; from: number } | undefined;
    for (const stage of STAGES) {
      const rule = p.stages[stage];
      if (!rule?.enabled) continue;
      if (prev && rule.window.from <= prev.from) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', stage, 'window', 'from'],
          message: `must be greater than ${prev.stage}.window.from (${prev.from}): stages start in order`,
        });
      }
      if (stage === 'litigation' && rule.channel.primary !== 'legal') {
        ctx.addIssue({ code: 'custom', path: ['stages', stage, 'channel', 'primary'], message: 'litigation goes to the legal team' });
      }
      if (stage !== 'litigation' && rule.channel.primary === 'legal') {
        ctx.addIssue({ code: 'custom', path: ['stages', stage, 'channel', 'primary'], message: 'only litigation uses the legal channel' });
      }
      prev = { stage, from: rule.window.from };
    }
    if (!STAGES.some((s) => p.stages[s]?.enabled)) {
      ctx.addIssue({ code: 'custom', path: ['stages'], message: 'at least one stage must be enabled' });
    }
  });

export type Policy = z.infer<typeof PolicySchema>;
/** What a run records: the policy it used. */
export interface PolicyRef {
  name: string;
  version: number;
  /** Overrides applied on top of the preset, e.g. ['segment:key-accounts', 'customer:C-17']. */
  overrides: string[];
}

/** Loose structural check of an override; the merged policy is validated in full. */
export const PolicyOverrideSchema = z
  .object({
    description: z.string().optional(),
    minGapDays: z.number().int().min(0).max(365).optional(),
    stages: z
      .partialRecord(
        z.enum(STAGES),
        z
          .object({
            enabled: z.boolean().optional(),
            window: z.object({ from: day.optional(), to: day.nullable().optional() }).strict().optional(),
            channel: z
              .object({ primary: z.enum(['email', 'print', 'legal']).optional(), emailCopy: z.boolean().optional(), printIfNoEmail: z.boolean().optional() })
              .strict()
              .optional(),
            templates: z
              .object({ ru: z.string().min(1).optional(), en: z.string().min(1).optional() })
              .strict()
              .optional(),
            payWithinDays: z.number().int().min(1).max(365).optional(),
            minTotal: z
              .object({ amount: z.string().regex(DECIMAL_RE).optional(), currency: z.string().refine(isCurrency).optional() })
              .strict()
              .nullable()
              .optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();
/**
 * An override: any subset of the policy's fields except name and version. `null` removes a field
 * (`window: { to: null }` makes a window open-ended; `minTotal: null` drops a threshold). Arrays are
 * replaced, objects deep-merged; the merged policy is validated in full.
 */
export type PolicyOverride = z.input<typeof PolicyOverrideSchema>;

/** Company-level configuration: a preset plus overrides per customer segment and per customer. */
export const PolicyConfigSchema = z
  .object({
    base: PolicySchema,
    segments: z.record(z.string(), PolicyOverrideSchema).default({}),
    customers: z.record(z.string(), PolicyOverrideSchema).default({}),
  })
  .strict();
export type PolicyConfig = z.infer<typeof PolicyConfigSchema>;
