/**
 * EventBridge cron → croner pattern.
 *
 * The stack schedules the dunning run with an EventBridge Scheduler cron expression
 * (`cron(minutes hours day-of-month month day-of-week year)`); the local scheduler runs the very same
 * expression with croner. The two dialects differ:
 *
 * | EventBridge                               | croner (what we emit)                         |
 * |-------------------------------------------|-----------------------------------------------|
 * | `?` in day-of-month / day-of-week         | `*`                                           |
 * | day-of-week 1–7 = SUN–SAT                 | 0–6 = SUN–SAT (names are turned into numbers) |
 * | `3#2` (2nd TUE)                           | `2#2`                                         |
 * | `6L` (last FRI of the month)              | `5#L`                                         |
 * | `L` in day-of-week (last day of the week) | `6` (Saturday)                                |
 * | `L`, `LW`, `15W` in day-of-month          | the same                                      |
 * | `0/15` (start/increment)                  | `0-59/15` (croner only takes `*` or a range)  |
 * | year field                                | dropped when `*`; otherwise a 7-part pattern  |
 *
 * What EventBridge itself refuses is refused here too (with a ConfigError naming the field), so a cron
 * that runs locally also deploys: `*` in both day fields, `/` in day-of-week, `#` inside a list,
 * values out of range. `L-3` (offset from the last day) is not EventBridge syntax and is refused.
 *
 * Patterns are evaluated with `domAndDow: true`; since exactly one of the two day fields is `?`, AND
 * and OR give the same days, AND is merely the unambiguous reading.
 */
import { Cron, type CronOptions } from 'croner';
import { ConfigError } from '../functions/domain/errors.js';

export interface EventBridgeCronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

/** Options every converted pattern must be evaluated with (see module comment). */
export const CRONER_OPTIONS = { domAndDow: true, mode: 'auto' } as const satisfies CronOptions;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** EventBridge numbering: SUN = 1 … SAT = 7. */
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

type FieldName = keyof EventBridgeCronFields;
const FIELD_LABEL: Record<FieldName, string> = {
  minutes: 'minutes',
  hours: 'hours',
  dayOfMonth: 'day-of-month',
  month: 'month',
  dayOfWeek: 'day-of-week',
  year: 'year',
};

class FieldProblem extends Error {}

/** Splits `cron(a b c d e f)` (or the six bare fields) into named fields. Throws ConfigError. */
export function parseEventBridgeCron(expression: string): EventBridgeCronFields {
  const trimmed = expression.trim();
  if (/^rate\(/i.test(trimmed)) {
    throw new ConfigError(`"${expression}" is a rate expression; only cron(...) expressions can be converted for croner`);
  }
  const m = /^cron\((.*)\)$/is.exec(trimmed);
  const body = (m ? m[1] : trimmed).trim();
  const parts = body.split(/\s+/).filter(Boolean);
  if (parts.length !== 6) {
    throw new ConfigError(
      `invalid EventBridge cron expression "${expression}": expected 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`,
    );
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [string, string, string, string, string, string];
  return { minutes, hours, dayOfMonth, month, dayOfWeek, year };
}

/**
 * Converts an EventBridge cron expression into a croner pattern (5 parts, or 7 parts with seconds `0`
 * when the year field is restricted). Evaluate it with CRONER_OPTIONS. Throws ConfigError naming the
 * offending field.
 */
export function eventBridgeCronToCroner(expression: string): string {
  const f = parseEventBridgeCron(expression);
  const convert = (name: FieldName, fn: (v: string) => string): string => {
    try {
      return fn(f[name]);
    } catch (err) {
      if (err instanceof FieldProblem) {
        throw new ConfigError(`invalid EventBridge cron expression "${expression}": ${FIELD_LABEL[name]} "${f[name]}" ${err.message}`);
      }
      throw err;
    }
  };

  const domQ = f.dayOfMonth === '?';
  const dowQ = f.dayOfWeek === '?';
  if (domQ === dowQ) {
    throw new ConfigError(
      `invalid EventBridge cron expression "${expression}": exactly one of day-of-month and day-of-week must be "?" (EventBridge cannot combine both day fields)`,
    );
  }

  const minutes = convert('minutes', (v) => convertSimple(v, 0, 59));
  const hours = convert('hours', (v) => convertSimple(v, 0, 23));
  const dom = domQ ? '*' : convert('dayOfMonth', convertDayOfMonth);
  const month = convert('month', (v) => convertSimple(v, 1, 12, MONTH_NAMES));
  const dow = dowQ ? '*' : convert('dayOfWeek', convertDayOfWeek);
  const year = convert('year', (v) => convertSimple(v, 1970, 2199));

  const pattern = year === '*' ? `${minutes} ${hours} ${dom} ${month} ${dow}` : `0 ${minutes} ${hours} ${dom} ${month} ${dow} ${year}`;
  // Let croner itself confirm it can read what we produced (defence against a gap in this converter).
  try {
    new Cron(pattern, { ...CRONER_OPTIONS, paused: true });
  } catch (err) {
    throw new ConfigError(`EventBridge cron expression "${expression}" converted to croner pattern "${pattern}" that croner refuses: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return pattern;
}

/** A croner job (without a callback) evaluating the EventBridge expression in the time zone. */
export function eventBridgeCronJob(expression: string, timeZone: string, extra: Omit<CronOptions, 'timezone'> = {}): Cron {
  const pattern = eventBridgeCronToCroner(expression);
  try {
    return new Cron(pattern, { ...CRONER_OPTIONS, ...extra, timezone: timeZone });
  } catch (err) {
    throw new ConfigError(`cannot evaluate "${expression}" in time zone "${timeZone}": ${(err as Error).message}`, { cause: err });
  }
}

/** The next `n` run instants strictly after `from` (no clock read). */
export function nextEventBridgeRuns(expression: string, timeZone: string, n: number, from: Date): Date[] {
  return eventBridgeCronJob(expression, timeZone).nextRuns(n, from);
}

// ---------------------------------------------------------------------------------------------------

function num(text: string, min: number, max: number, names?: string[], nameBase = 1): number {
  const upper = text.toUpperCase();
  if (names) {
    const ix = names.indexOf(upper);
    if (ix >= 0) return ix + nameBase;
  }
  if (!/^\d+$/.test(text)) {
    throw new FieldProblem(`has "${text}", which is not a number${names ? ` or a name (${names.join(', ')})` : ''}`);
  }
  const v = Number.parseInt(text, 10);
  if (v < min || v > max) throw new FieldProblem(`has ${v}, outside ${min}-${max}`);
  return v;
}

function step(text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new FieldProblem(`has increment "${text}", which is not a number`);
  const s = Number.parseInt(text, 10);
  if (s < 1 || s > max - min + 1) throw new FieldProblem(`has increment ${s}, must be 1-${max - min + 1}`);
  return s;
}

/** `*`, `n`, `a-b`, `*\/s`, `a/s`, `a-b/s`, lists: minutes, hours, month, year. */
function convertSimple(field: string, min: number, max: number, names?: string[]): string {
  if (field === '?') throw new FieldProblem('cannot be "?" ("?" is only for day-of-month or day-of-week)');
  return field
    .split(',')
    .map((item) => convertItem(item, min, max, names))
    .join(',');
}

function convertItem(item: string, min: number, max: number, names?: string[]): string {
  if (item === '') throw new FieldProblem('has an empty list item');
  if (item === '*') return '*';
  const slash = item.split('/');
  if (slash.length > 2) throw new FieldProblem(`has "${item}", more than one "/"`);
  const [base, incText] = slash as [string, string | undefined];
  let lo: number;
  let hi: number;
  let isRange = false;
  if (base === '*') {
    lo = min;
    hi = max;
    isRange = true;
  } else if (base.includes('-')) {
    const [a, b, ...rest] = base.split('-');
    if (rest.length > 0 || a === undefined || b === undefined) throw new FieldProblem(`has "${item}", not a range a-b`);
    lo = num(a, min, max, names);
    hi = num(b, min, max, names);
    if (lo > hi) throw new FieldProblem(`has range "${base}" running backwards`);
    isRange = true;
  } else {
    lo = num(base, min, max, names);
    hi = lo;
  }
  if (incText === undefined) return isRange ? (base === '*' ? '*' : `${lo}-${hi}`) : String(lo);
  const s = step(incText, min, max);
  // EventBridge `a/s` means from a to the end of the field; croner only takes `*` or a range.
  return `${lo}-${isRange ? hi : max}/${s}`;
}

function convertDayOfMonth(field: string): string {
  const up = field.toUpperCase();
  if (up === 'LW') return 'LW';
  const items = up.split(',');
  return items
    .map((item) => {
      if (item === 'L') return 'L';
      if (item === 'LW') throw new FieldProblem('has "LW" in a list; LW must stand alone');
      if (/^L-/.test(item)) throw new FieldProblem(`has "${item}": offsets from the last day are not EventBridge syntax`);
      const w = /^(\d+)W$/.exec(item);
      if (w) {
        if (items.length > 1) throw new FieldProblem(`has "${item}" in a list; nW must stand alone`);
        return `${num(w[1]!, 1, 31)}W`;
      }
      if (/[LW]/.test(item)) throw new FieldProblem(`has "${item}": L and W must be "L", "LW" or "<day>W"`);
      return convertItem(item, 1, 31);
    })
    .join(',');
}

/** EventBridge day-of-week (1-7 = SUN-SAT) → croner (0-6 = SUN-SAT). */
function convertDayOfWeek(field: string): string {
  const up = field.toUpperCase();
  if (up.includes('/')) throw new FieldProblem('uses "/", which EventBridge does not allow in day-of-week');
  const items = up.split(',');
  const day = (t: string) => num(t, 1, 7, DAY_NAMES) - 1; // croner numbering
  return items
    .map((item) => {
      if (item === '') throw new FieldProblem('has an empty list item');
      if (item === '*') return '*';
      if (item === 'L') return '6'; // last day of the week: Saturday
      const hash = /^([A-Z0-9]+)#(.*)$/.exec(item);
      if (hash) {
        if (items.length > 1) throw new FieldProblem(`has "${item}" in a list; with "#" EventBridge allows one expression only`);
        const nth = hash[2]!;
        if (!/^[1-5]$/.test(nth)) throw new FieldProblem(`has "${item}": the occurrence after "#" must be 1-5`);
        return `${day(hash[1]!)}#${nth}`;
      }
      const last = /^([A-Z0-9]+)L$/.exec(item);
      if (last) return `${day(last[1]!)}#L`;
      if (item.includes('-')) {
        const [a, b, ...rest] = item.split('-');
        if (rest.length > 0 || a === undefined || b === undefined) throw new FieldProblem(`has "${item}", not a range a-b`);
        const lo = day(a);
        const hi = day(b);
        if (lo > hi) throw new FieldProblem(`has range "${item}" running backwards (the week runs SUN-SAT, 1-7)`);
        return `${lo}-${hi}`;
      }
      return String(day(item));
    })
    .join(',');
}
