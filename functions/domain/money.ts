/**
 * Exact money. Amounts travel as decimal strings with their currency; arithmetic uses decimal.js.
 * Pure: no I/O, no clock.
 */
import { Decimal } from 'decimal.js';
import { ValidationError } from './errors.js';

/** ISO 4217 currencies the product accepts, with their minor-unit digits. */
export const CURRENCIES = {
  RUB: 2,
  USD: 2,
  EUR: 2,
  CNY: 2,
  KZT: 2,
  BYN: 2,
  GBP: 2,
  JPY: 0,
} as const;
export type Currency = keyof typeof CURRENCIES;

export interface Money {
  /** Decimal string, e.g. "7300.00". Never a float. */
  readonly amount: string;
  readonly currency: Currency;
}

export const DECIMAL_RE = /^-?\d{1,15}(\.\d{1,8})?$/;

export function isCurrency(code: string): code is Currency {
  return Object.hasOwn(CURRENCIES, code);
}

export function minorUnits(currency: Currency): number {
  return CURRENCIES[currency];
}

/**
 * Parses a decimal string amount for a currency. Refuses floats-as-strings with too many decimals,
 * exponents, negative values (unless allowed) and unknown currencies. `field` names the input in errors.
 */
export function parseMoney(amount: string, currency: string, field = 'amount', opts: { allowNegative?: boolean; allowZero?: boolean } = {}): Money {
  if (!isCurrency(currency)) {
    throw new ValidationError([{ field: field.replace(/amount$/, 'currency') || 'currency', message: `unknown currency "${currency}"` }]);
  }
  if (typeof amount !== 'string' || !DECIMAL_RE.test(amount)) {
    throw new ValidationError([{ field, message: 'must be a decimal string such as "1250.00"' }]);
  }
  const d = new Decimal(amount);
  if (d.isNegative() && !opts.allowNegative) {
    throw new ValidationError([{ field, message: 'must not be negative' }]);
  }
  if (d.isZero() && opts.allowZero === false) {
    throw new ValidationError([{ field, message: 'must be greater than zero' }]);
  }
  if (d.decimalPlaces() > minorUnits(currency)) {
    throw new ValidationError([{ field, message: `${currency} allows at most ${minorUnits(currency)} decimals` }]);
  }
  return money(d, currency);
}

/** Builds a Money from a Decimal, normalised to the currency's minor units (exact; throws if it would round). */
export function money(value: Decimal.Value, currency: Currency): Money {
  const d = new Decimal(value);
  const digits = minorUnits(currency);
  if (d.decimalPlaces() > digits) {
    throw new RangeError(`amount ${d.toString()} has more than ${digits} decimals for ${currency}`);
  }
  return { amount: d.toFixed(digits), currency };
}

/** Rounds half-up to the currency's minor units. */
export function roundMoney(value: Decimal.Value, currency: Currency): Money {
  const digits = minorUnits(currency);
  return { amount: new Decimal(value).toDecimalPlaces(digits, Decimal.ROUND_HALF_UP).toFixed(digits), currency };
}

export const zero = (currency: Currency): Money => money(0, currency);
export const dec = (m: Money | string): Decimal => new Decimal(typeof m === 'string' ? m : m.amount);

function same(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`currency mismatch: ${a.currency} vs ${b.currency}`);
}
export function add(a: Money, b: Money): Money {
  same(a, b);
  return money(dec(a).plus(dec(b)), a.currency);
}
export function sub(a: Money, b: Money): Money {
  same(a, b);
  return money(dec(a).minus(dec(b)), a.currency);
}
export function min(a: Money, b: Money): Money {
  same(a, b);
  return dec(a).lte(dec(b)) ? a : b;
}
export function cmp(a: Money, b: Money): number {
  same(a, b);
  return dec(a).cmp(dec(b));
}
export const isZero = (m: Money): boolean => dec(m).isZero();
export const isPositive = (m: Money): boolean => dec(m).gt(0);
export function sum(items: readonly Money[], currency: Currency): Money {
  return items.reduce((acc, m) => add(acc, m), zero(currency));
}
