/**
 * Business dates: calendar dates ("YYYY-MM-DD") in the company's time zone. Never a bare Date.
 * Pure: the current instant is always passed in by the caller.
 */
import { ValidationError } from './errors.js';

declare const brand: unique symbol;
export type CalendarDate = string & { readonly [brand]: 'CalendarDate' };

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isCalendarDate(s: unknown): s is CalendarDate {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

export function parseDate(s: unknown, field = 'date'): CalendarDate {
  if (!isCalendarDate(s)) throw new ValidationError([{ field, message: 'must be a real calendar date YYYY-MM-DD' }]);
  return s;
}

const toUtcMs = (d: CalendarDate): number => Date.parse(`${d}T00:00:00Z`);
const fromUtcMs = (ms: number): CalendarDate => new Date(ms).toISOString().slice(0, 10) as CalendarDate;

export const addDays = (d: CalendarDate, n: number): CalendarDate => fromUtcMs(toUtcMs(d) + n * DAY_MS);
/** b − a in whole days. */
export const daysBetween = (a: CalendarDate, b: CalendarDate): number => Math.round((toUtcMs(b) - toUtcMs(a)) / DAY_MS);
export const compareDates = (a: CalendarDate, b: CalendarDate): number => (a < b ? -1 : a > b ? 1 : 0);
export const maxDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a >= b ? a : b);
export const minDate = (a: CalendarDate, b: CalendarDate): CalendarDate => (a <= b ? a : b);
/** 0 = Sunday … 6 = Saturday. */
export const weekday = (d: CalendarDate): number => new Date(toUtcMs(d)).getUTCDay();
export const yearOf = (d: CalendarDate): number => Number(d.slice(0, 4));
export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
export const daysInYear = (y: number): number => (isLeapYear(y) ? 366 : 365);

/** The company zone when none is configured (functions/config.ts COMPANY_TIME_ZONE defaults to it too). */
export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than formatting with it (the ledger asks for "today" per command). */
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in an IANA time zone (the instant comes from the caller's clock). */
export function dateInZone(instant: Date, timeZone: string): CalendarDate {
  let f = zoneFormats.get(timeZone);
  if (!f) zoneFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(instant) as CalendarDate;
}

/** DD.MM.YYYY, as Russian documents write dates. */
export const formatRu = (d: CalendarDate): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
