/**
 * Zod schemas for the rule data (key rates, moratoria, housing-rate caps, state-duty tables).
 * Every entry carries its legal `source`, an optional `note`, and a LAW.md reliability mark:
 * V = legal text read, S = secondary source, U = uncertain (kept as data so a user can correct it).
 * Decimals are strings; dates are CalendarDate strings. Pure: no I/O.
 */
import { z } from 'zod';
import { isCalendarDate, type CalendarDate } from '../dates.js';

export const DECIMAL_STRING_RE = /^\d{1,15}(\.\d{1,8})?$/;

export const calendarDate = z
  .string()
  .refine((s) => isCalendarDate(s), { message: 'must be a real calendar date YYYY-MM-DD' })
  .transform((s) => s as CalendarDate);

/** Non-negative decimal string such as "9.50" (no exponent, no sign). */
export const decimalString = z.string().regex(DECIMAL_STRING_RE, { message: 'must be a decimal string such as "9.50"' });

export const mark = z.enum(['V', 'S', 'U']);
export const ruleKind = z.enum(['contractual', 'interest395', 'housing']);
export type RuleKind = z.infer<typeof ruleKind>;

const provenance = {
  source: z.string().min(1, { message: 'a source is required' }),
  note: z.string().optional(),
  mark,
};

/** Bank of Russia key rate, by EFFECTIVE date (in force from `from` until the next entry). */
export const keyRateEntry = z.object({
  from: calendarDate,
  ratePct: decimalString,
  ...provenance,
  /** User file only: replace the built-in entry with the same `from`. */
  override: z.boolean().optional(),
});
export type KeyRateEntry = z.infer<typeof keyRateEntry>;

/** A period during which no penalty/interest accrues (dates inclusive). */
export const moratoriumEntry = z
  .object({
    id: z.string().min(1),
    from: calendarDate,
    to: calendarDate,
    appliesTo: z.array(ruleKind).min(1),
    /** Only obligations that arose strictly before this date are covered (e.g. ПП 497: 2022-04-01). */
    onlyObligationsArisenBefore: calendarDate.optional(),
    act: z.string().min(1),
    ...provenance,
    override: z.boolean().optional(),
  })
  .refine((m) => m.from <= m.to, { message: '`to` must not be before `from`', path: ['to'] });
export type MoratoriumEntry = z.infer<typeof moratoriumEntry>;

/**
 * Housing-penalty rate cap for accrual days in [from, to]:
 * mode "min": r = min(ratePct, r); mode "fixed": r = ratePct.
 */
export const housingCapEntry = z
  .object({
    id: z.string().min(1),
    from: calendarDate,
    to: calendarDate,
    mode: z.enum(['min', 'fixed']),
    ratePct: decimalString,
    act: z.string().min(1),
    ...provenance,
    override: z.boolean().optional(),
  })
  .refine((c) => c.from <= c.to, { message: '`to` must not be before `from`', path: ['to'] });
export type HousingCapEntry = z.infer<typeof housingCapEntry>;

/** duty = base + pct % × (price − over), for price in (over, next bracket's over]. */
export const dutyBracket = z.object({ over: decimalString, base: decimalString, pct: decimalString });
export type DutyBracket = z.infer<typeof dutyBracket>;

export const dutyTable = z.object({
  id: z.string().min(1),
  court: z.enum(['general', 'arbitration']),
  /** Filing dates this table applies to (inclusive); `validTo` absent = open-ended. */
  validFrom: calendarDate,
  validTo: calendarDate.optional(),
  label: z.string().min(1),
  brackets: z.array(dutyBracket).min(1),
  min: decimalString.optional(),
  max: decimalString.optional(),
  courtOrder: z.object({ pct: decimalString, min: decimalString.optional() }),
  act: z.string().min(1),
  ...provenance,
});
export type DutyTable = z.infer<typeof dutyTable>;

export const ruleDataSchema = z.object({
  version: z.string().min(1),
  keyRates: z.array(keyRateEntry).min(1),
  moratoria: z.array(moratoriumEntry),
  housingCaps: z.array(housingCapEntry),
  dutyTables: z.array(dutyTable).min(1),
});
export type RuleData = z.infer<typeof ruleDataSchema>;

/** A user extension file: additions (or, with `override: true`, corrections) to the built-in data. */
export const ruleExtensionSchema = z.object({
  version: z.string().min(1).optional(),
  keyRates: z.array(keyRateEntry).optional(),
  moratoria: z.array(moratoriumEntry).optional(),
  housingCaps: z.array(housingCapEntry).optional(),
});
export type RuleExtension = z.infer<typeof ruleExtensionSchema>;
