/**
 * Zod schemas for the rule data (key rates, moratoria, housing-rate caps, state-duty tables).
 * Every entry carries its legal `source`, an optional `note`, and a docs/law.md reliability mark:
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

/**
 * Readings of the law that move money: where the law or practice is read two ways, the rule data says
 * which reading the calculator uses, with the default, its source and why (docs/calc.md).
 */
const reading = <T extends z.ZodTypeAny>(value: T) =>
  z.object({ value, default: value, options: z.array(value).min(2), label: z.string().min(1), why: z.string().min(1), ...provenance });
/** Each reading's possible values: the rule data's readings and a calculation's choice both take them from here. */
const readingValues = {
  /** ПП 474 / ПП 329 housing rate caps: for each day of delay in the cap window, or for the whole delay when the rate date (payment date) is in it. */
  housingCapBy: z.enum(['accrualDay', 'paymentDate']),
  /** ПП 329 (9.5 % fixed): from 2025-01-01 (retroactive) or from its own date 2025-03-18. */
  pp329From: z.enum(['2025-01-01', '2025-03-18']),
  /** ПП 497 moratorium "obligations that arose before 01.04.2022": when a charge without `arisenOn` arose. */
  pp497ArisenOn: z.enum(['lastDayToPay', 'providedOn']),
};
export const readingsSchema = z.object({
  housingCapBy: reading(readingValues.housingCapBy),
  pp329From: reading(readingValues.pp329From),
  pp497ArisenOn: reading(readingValues.pp497ArisenOn),
});
export type Readings = z.infer<typeof readingsSchema>;
export type ReadingId = keyof Readings;
export const readingChoiceSchema = z
  .object({
    housingCapBy: readingValues.housingCapBy.optional(),
    pp329From: readingValues.pp329From.optional(),
    pp497ArisenOn: readingValues.pp497ArisenOn.optional(),
  })
  .strict();
export type ReadingChoice = z.infer<typeof readingChoiceSchema>;

export const ruleDataSchema = z.object({
  version: z.string().min(1),
  keyRates: z.array(keyRateEntry).min(1),
  moratoria: z.array(moratoriumEntry),
  housingCaps: z.array(housingCapEntry),
  dutyTables: z.array(dutyTable).min(1),
  readings: readingsSchema,
});
export type RuleData = z.infer<typeof ruleDataSchema>;

/** A user extension file: additions (or, with `override: true`, corrections) to the built-in data. */
export const ruleExtensionSchema = z.object({
  version: z.string().min(1).optional(),
  keyRates: z.array(keyRateEntry).optional(),
  moratoria: z.array(moratoriumEntry).optional(),
  housingCaps: z.array(housingCapEntry).optional(),
  /** Choose another reading of the law, e.g. { "housingCapBy": "paymentDate" }. */
  readings: readingChoiceSchema.optional(),
});
export type RuleExtension = z.infer<typeof ruleExtensionSchema>;
