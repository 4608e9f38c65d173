/** Report periods over a date range: days, ISO weeks (Monday–Sunday) or calendar months, clipped to the range. */
import { addDays, daysBetween, weekday, type CalendarDate } from '../dates.js';
import { ValidationError } from '../errors.js';
import type { Period } from './model.js';

export interface Span {
  label: string;
  start: CalendarDate;
  end: CalendarDate;
}

export const MAX_SPANS = 3660;

export function checkRange(from: CalendarDate, to: CalendarDate): void {
  if (to < from) throw new ValidationError([{ field: 'to', message: `ends (${to}) before the range starts (${from})` }]);
}

const monthEnd = (d: CalendarDate): CalendarDate => {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return addDays(next as CalendarDate, -1);
};

export function spans(from: CalendarDate, to: CalendarDate, period: Period): Span[] {
  checkRange(from, to);
  const out: Span[] = [];
  let start = from;
  while (start <= to) {
    let end: CalendarDate;
    if (period === 'day') end = start;
    else if (period === 'week')
      end = addDays(start, (7 - weekday(start)) % 7); // through Sunday
    else end = monthEnd(start);
    if (end > to) end = to;
    const label = period === 'day' ? start : period === 'week' ? `week of ${addDays(start, -((weekday(start) + 6) % 7))}` : start.slice(0, 7);
    out.push({ label, start, end });
    if (out.length > MAX_SPANS) throw new ValidationError([{ field: 'period', message: `the range has more than ${MAX_SPANS} ${period}s; choose a longer period` }]);
    start = addDays(end, 1);
  }
  return out;
}

/** Calendar months ending at `to`, latest first: the month of `to` up to `to`, then whole months before it. */
export function monthsBack(to: CalendarDate, count: number): Span[] {
  const out: Span[] = [];
  let end = to;
  for (let i = 0; i < count; i++) {
    const start = `${end.slice(0, 7)}-01` as CalendarDate;
    out.push({ label: end.slice(0, 7), start, end });
    end = addDays(start, -1);
  }
  return out;
}

export const spanDays = (s: Span): number => daysBetween(s.start, s.end) + 1;
