/**
 * Strict parsing of instants sent by providers ("2026-11-20T10:00:00.000Z", "2026-11-20T13:00:00+03:00",
 * CloudPayments' "2026-11-20 10:00:00" in UTC). `Date.parse` rolls impossible dates over
 * ("2026-02-30" → 2 March) and accepts years far outside any business; this refuses them. Pure.
 */
import { isCalendarDate } from './dates.js';

const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds since the epoch of a real instant, or undefined when the text is not one (or the date is impossible). */
export function parseInstant(text: unknown, opts: { assumeUtc?: boolean } = {}): number | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const m = INSTANT_RE.exec(text.trim());
  if (!m) return undefined;
  const [, date, hh, mi, ss, frac, zone] = m;
  if (!isCalendarDate(date)) return undefined;
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? 0) > 59) return undefined;
  const year = Number(date!.slice(0, 4));
  if (year < 1900 || year > 9999) return undefined;
  let offset = 'Z';
  if (zone && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (Number(zm[2]) > 14 || Number(zm[3]) > 59) return undefined;
    offset = `${zm[1]}${zm[2]}:${zm[3]}`;
  } else if (!zone && !opts.assumeUtc) return undefined;
  const ms = Date.parse(`${date}T${hh}:${mi}:${ss ?? '00'}${frac ? frac.slice(0, 4).padEnd(4, '0') : ''}${offset}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Latest unix time accepted from a provider (9999-12-31T23:59:59Z): beyond it a Date is invalid or meaningless. */
export const MAX_UNIX_SECONDS = 253_402_300_799;
