/**
 * Locale formatting for letters. Money goes through Intl.NumberFormat on the decimal STRING (exact in
 * Node 20: no float conversion). ru: "7 300,00 ₽", "10.03.2025"; en: "RUB 7,300.00", "10 Mar 2025".
 * Intl uses no-break spaces (U+00A0 / U+202F) where a line must not break.
 */
import type { CalendarDate } from '../domain/dates.js';
import { DECIMAL_RE, minorUnits, type Money } from '../domain/money.js';
import type { Locale } from '../domain/policy/schema.js';

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(locale: Locale, currency: Money['currency']): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    const digits = minorUnits(currency);
    f =
      locale === 'ru'
        ? new Intl.NumberFormat('ru-RU', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
        : new Intl.NumberFormat('en-GB', { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: digits, maximumFractionDigits: digits });
    moneyFormats.set(key, f);
  }
  return f;
}

export function formatMoney(m: Money, locale: Locale): string {
  if (!DECIMAL_RE.test(m.amount)) throw new RangeError(`not a decimal string: ${m.amount}`);
  // Intl.NumberFormat accepts a decimal string and formats it exactly (no float rounding).
  return moneyFormat(locale, m.currency).format(m.amount as `${number}`);
}

const enDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const MONTHS_RU_GEN = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

export function formatDate(d: CalendarDate, locale: Locale): string {
  if (locale === 'ru') return `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;
  return enDate.format(Date.parse(`${d}T00:00:00Z`));
}

/** "10 марта 2025 г." / "10 March 2025": the long form used in a letter's date line. */
export function formatDateLong(d: CalendarDate, locale: Locale): string {
  const day = Number(d.slice(8, 10));
  const month = Number(d.slice(5, 7));
  if (locale === 'ru') return `${day} ${MONTHS_RU_GEN[month - 1]} ${d.slice(0, 4)} г.`;
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${d}T00:00:00Z`));
}

/** Russian plural form: plural(5, ['день', 'дня', 'дней']) → 'дней'. */
export function pluralRu(n: number, forms: [string, string, string]): string {
  const a = Math.abs(n) % 100;
  const b = a % 10;
  if (a > 10 && a < 20) return forms[2];
  if (b > 1 && b < 5) return forms[1];
  if (b === 1) return forms[0];
  return forms[2];
}

export function formatDays(n: number, locale: Locale): string {
  return locale === 'ru' ? `${n} ${pluralRu(n, ['день', 'дня', 'дней'])}` : `${n} ${Math.abs(n) === 1 ? 'day' : 'days'}`;
}
