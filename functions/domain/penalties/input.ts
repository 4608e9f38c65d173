/**
 * JSON-friendly penalty input, validated with zod. Errors name the field by JSON path
 * (e.g. `charges[0].amount`). Unknown fields are ignored. Pure.
 */
import { z } from 'zod';
import { addDays, type CalendarDate } from '../dates.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { calendarDate, readingChoiceSchema, zodIssues } from '../rules/index.js';

const MONEY_RE = /^\d{1,15}(\.\d{1,2})?$/;
const RATE_RE = /^\d{1,6}(\.\d{1,8})?$/;

const positiveMoney = z
  .string({ message: 'must be a decimal string such as "7300.00"' })
  .regex(MONEY_RE, { message: 'must be a decimal string with at most 2 decimals, such as "7300.00"' })
  .refine((s) => !/^0+(\.0+)?$/.test(s), { message: 'must be greater than zero' });
const rate = z.string({ message: 'must be a decimal string such as "0.5"' }).regex(RATE_RE, { message: 'must be a non-negative decimal string such as "0.5" (no exponent)' });

export const chargeSchema = z.object({
  amount: positiveMoney,
  lastDayToPay: calendarDate,
  /** When the obligation arose (for moratoria "only obligations that arose before"); defaults to lastDayToPay. */
  arisenOn: calendarDate.optional(),
  /** The day the goods or service were provided: arisenOn's default under the "providedOn" reading of ПП 497. */
  providedOn: calendarDate.optional(),
  label: z.string().optional(),
});
export const paymentSchema = z.object({
  date: calendarDate,
  amount: positiveMoney,
  /**
   * The charge the payer named (its index in `charges`): the payment goes to that charge (up to what it
   * still owes; any rest is applied as money that names no debt). Absent: the payment names no debt.
   */
  charge: z
    .number({ message: 'must be the index of a charge in `charges` (0, 1, …)' })
    .int({ message: 'must be a whole number' })
    .min(0, { message: 'must be 0 or more' })
    .optional(),
});
export const customMoratoriumSchema = z
  .object({
    from: calendarDate,
    to: calendarDate,
    onlyObligationsArisenBefore: calendarDate.optional(),
    note: z.string().optional(),
  })
  .refine((m) => m.from <= m.to, { message: '`to` must not be before `from`', path: ['to'] });

export const penaltyInputSchema = z.object({
  rule: z.enum(['contractual', 'interest395', 'housing'], { message: 'must be one of "contractual", "interest395", "housing"' }),
  charges: z.array(chargeSchema).min(1, { message: 'at least one charge is required' }),
  payments: z.array(paymentSchema).default([]),
  calculateTo: calendarDate,
  ratePctPerDay: rate.optional(),
  capPct: rate.optional(),
  rateMode: z.enum(['paymentDate', 'asOf'], { message: 'must be "paymentDate" or "asOf"' }).default('paymentDate'),
  fixedRatePct: rate.optional(),
  moratoria: z
    .union([z.literal('default'), z.literal('none'), z.array(customMoratoriumSchema)], {
      message: 'must be "default", "none" or a list of {from, to} periods',
    })
    .default('default'),
  rounding: z.enum(['perPeriod', 'total'], { message: 'must be "perPeriod" or "total"' }).default('perPeriod'),
  /** Another reading of the law for this calculation (rule data `readings`), e.g. { "housingCapBy": "paymentDate" }. */
  readings: readingChoiceSchema.optional(),
});

export type PenaltyInput = z.input<typeof penaltyInputSchema>;
export type ParsedPenaltyInput = z.output<typeof penaltyInputSchema>;
export type PenaltyRule = ParsedPenaltyInput['rule'];
export type RoundingMode = ParsedPenaltyInput['rounding'];
export type RateMode = ParsedPenaltyInput['rateMode'];

/** Parses and checks the input; throws ValidationError naming each bad field. */
export function parsePenaltyInput(raw: unknown): ParsedPenaltyInput {
  const parsed = penaltyInputSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), { cause: parsed.error });
  const input = parsed.data;
  const issues: FieldIssue[] = [];
  if (input.rule === 'contractual' && input.ratePctPerDay === undefined) {
    issues.push({ field: 'ratePctPerDay', message: 'is required for rule "contractual"' });
  }
  const earliestDue = input.charges.reduce((m, c) => (c.lastDayToPay < m ? c.lastDayToPay : m), input.charges[0]!.lastDayToPay);
  const firstDelayDay = addDays(earliestDue, 1);
  if (input.calculateTo < firstDelayDay) {
    issues.push({ field: 'calculateTo', message: `must not be before the first day of delay ${firstDelayDay}` });
  }
  const earliestCharge = input.charges.reduce<CalendarDate>((m, c) => {
    const d = c.arisenOn ?? c.lastDayToPay;
    return d < m ? d : m;
  }, input.charges[0]!.arisenOn ?? input.charges[0]!.lastDayToPay);
  input.payments.forEach((p, i) => {
    if (p.charge !== undefined && p.charge >= input.charges.length) {
      issues.push({ field: `payments[${i}].charge`, message: `names charges[${p.charge}], but there are ${input.charges.length} charge(s)` });
    }
    if (p.date < earliestCharge) {
      issues.push({
        field: `payments[${i}].date`,
        message: `${p.date} is before any charge (earliest ${earliestCharge}); give the charge's "arisenOn" or reduce its amount instead`,
      });
    }
  });
  if (issues.length) throw new ValidationError(issues);
  return input;
}
