/**
 * State duty (госпошлина) by НК РФ 333.19 (general courts) and 333.21 (arbitration), the table chosen
 * by filing date; court-order variant; whole rubles with 50 kopecks and more rounded up (333.18 п. 6).
 * Also the claim workflow's helpers: court-order eligibility and the limitation-period check. Pure.
 */
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { addDays, daysBetween, type CalendarDate } from '../dates.js';
import { ValidationError } from '../errors.js';
import { calendarDate, defaultRules, zodIssues, type DutyTable, type RuleData } from '../rules/index.js';

export const dutyInputSchema = z.object({
  court: z.enum(['general', 'arbitration'], { message: 'must be "general" or "arbitration"' }),
  price: z
    .string({ message: 'must be a decimal string such as "250000.00"' })
    .regex(/^\d{1,15}(\.\d{1,2})?$/, { message: 'must be a decimal string with at most 2 decimals, such as "250000.00"' })
    .refine((s) => !/^0+(\.0+)?$/.test(s), { message: 'must be greater than zero' }),
  filedOn: calendarDate,
  courtOrder: z.boolean({ message: 'must be true or false' }).default(false),
});
export type DutyInput = z.input<typeof dutyInputSchema>;
export type Court = z.output<typeof dutyInputSchema>['court'];

export interface DutyResult {
  /** Whole rubles, e.g. "4704". */
  duty: string;
  /** Which table applied, e.g. "333.19 from 2024-09-09". */
  table: string;
  tableId: string;
  court: Court;
  courtOrder: boolean;
  /** The computation before rounding: e.g. "4000 + 3 % × (123456.78 − 100000) = 4703.7034". */
  formula: string;
  /** Duty before rounding to whole rubles. */
  exactDuty: string;
  minApplied?: string;
  maxApplied?: string;
  act: string;
  source: string;
  mark: 'V' | 'S' | 'U';
  note?: string;
}

function pickTable(rules: RuleData, court: Court, filedOn: CalendarDate): DutyTable {
  const table = rules.dutyTables.find((t) => t.court === court && t.validFrom <= filedOn && (!t.validTo || filedOn <= t.validTo));
  if (!table) throw new ValidationError([{ field: 'filedOn', message: `no ${court} state-duty table covers ${filedOn}` }]);
  return table;
}

/** Computes the state duty. Validates the input (ValidationError names the field). */
export function stateDuty(raw: DutyInput | unknown, rules: RuleData = defaultRules()): DutyResult {
  const parsed = dutyInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), { cause: parsed.error });
  const { court, price: priceStr, filedOn, courtOrder } = parsed.data;
  const table = pickTable(rules, court, filedOn);
  const price = new Decimal(priceStr);

  let bracket = table.brackets[0]!;
  for (const b of table.brackets) if (price.gt(b.over)) bracket = b;
  let value = new Decimal(bracket.base).plus(price.minus(bracket.over).times(bracket.pct).div(100));
  let formula = new Decimal(bracket.pct).isZero() ? `flat ${bracket.base}` : `${bracket.base} + ${bracket.pct} % × (${priceStr} − ${bracket.over}) = ${value.toString()}`;
  let minApplied: string | undefined;
  let maxApplied: string | undefined;
  if (table.min && value.lt(table.min)) {
    value = new Decimal(table.min);
    minApplied = table.min;
    formula += `; minimum ${table.min}`;
  }
  if (table.max && value.gt(table.max)) {
    value = new Decimal(table.max);
    maxApplied = table.max;
    formula += `; maximum ${table.max}`;
  }
  if (courtOrder) {
    value = value.times(table.courtOrder.pct).div(100);
    formula += `; court order ${table.courtOrder.pct} % = ${value.toString()}`;
    if (table.courtOrder.min && value.lt(table.courtOrder.min)) {
      value = new Decimal(table.courtOrder.min);
      minApplied = table.courtOrder.min;
      formula += `; court-order minimum ${table.courtOrder.min}`;
    }
  }
  const duty = value.toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  return {
    duty: duty.toFixed(0),
    table: table.label,
    tableId: table.id,
    court,
    courtOrder,
    formula,
    exactDuty: value.toString(),
    ...(minApplied ? { minApplied } : {}),
    ...(maxApplied ? { maxApplied } : {}),
    act: table.act,
    source: table.source,
    mark: table.mark,
    ...(table.note ? { note: table.note } : {}),
  };
}

/** Court-order limit (АПК 229.2, ГПК 121): 500 000 for both court types [V]. */
export const COURT_ORDER_LIMIT = '500000';

/** A claim within the limit (price ≤ 500 000) goes the court-order way first. */
export function courtOrderEligible(price: string): boolean {
  if (!/^\d{1,15}(\.\d{1,8})?$/.test(price)) throw new ValidationError([{ field: 'price', message: 'must be a decimal string such as "250000.00"' }]);
  return new Decimal(price).lte(COURT_ORDER_LIMIT);
}

export const LIMITATION_YEARS = 3;
export const LIMITATION_NEAR_DAYS = 90;

export interface LimitationStatus {
  status: 'ok' | 'near' | 'past';
  /** The last day a claim can be filed within the period (ГК 196, 200, 192) — see the note. */
  expiresOn: CalendarDate;
  /** Days from asOf to expiresOn (negative when past). */
  daysLeft: number;
  note: string;
}

function addYears(d: CalendarDate, years: number): CalendarDate {
  const y = Number(d.slice(0, 4)) + years;
  const md = d.slice(5);
  // ГК 192 п. 3: no such day in the month → the last day of that month (29 Feb → 28 Feb).
  if (md === '02-29') {
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    return `${y}-02-${leap ? '29' : '28'}` as CalendarDate;
  }
  return `${y}-${md}` as CalendarDate;
}

/**
 * Limitation period of 3 years (ГК 196), per charge (each monthly charge has its own period [U]).
 * The period runs from the first day of delay (the day after `lastDayToPay`); we take it to expire on
 * the same day and month as `lastDayToPay` three years later — the earlier, cautious reading of
 * ГК 191–192. "near" = expiry within 90 days of `asOf`; "past" = `asOf` after expiry. Suspension and
 * interruption (pre-trial claim ГК 202 п. 3, court order ГК 204) are not modelled.
 */
export function limitationStatus(lastDayToPay: string, asOf: string): LimitationStatus {
  const parsed = z.object({ lastDayToPay: calendarDate, asOf: calendarDate }).safeParse({ lastDayToPay, asOf });
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error));
  const expiresOn = addYears(parsed.data.lastDayToPay, LIMITATION_YEARS);
  const daysLeft = daysBetween(parsed.data.asOf, expiresOn);
  const status = daysLeft < 0 ? 'past' : daysLeft <= LIMITATION_NEAR_DAYS ? 'near' : 'ok';
  return {
    status,
    expiresOn,
    daysLeft,
    note:
      `3 years (ГК 196) from the first day of delay ${addDays(parsed.data.lastDayToPay, 1)}; taken to expire ${expiresOn} ` +
      '(cautious reading [U]); suspension by a pre-trial claim or court order is not counted.',
  };
}
