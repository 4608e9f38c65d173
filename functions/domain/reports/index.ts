/**
 * Receivables reports (pure): the registry that validates a request and runs one report over the
 * customers' books. Unknown report, grouping, period or bucket configuration → ValidationError naming
 * the field (400 on the API, exit 2 on the CLI); an impossible date → 400; an end before its start →
 * 400; an empty ledger → an empty report.
 */
import { addDays, isCalendarDate, type CalendarDate } from '../dates.js';
import { ValidationError } from '../errors.js';
import type { RuleData } from '../rules/index.js';
import type { CreditPolicy } from '../credit/policy.js';
import { agingReport } from './aging.js';
import { DEFAULT_BUCKETS, parseBucketBounds, validateBuckets, type Bucket } from './buckets.js';
import { calendarReport } from './calendar.js';
import { dynamicsReport } from './dynamics.js';
import { efficiencyReport } from './efficiency.js';
import { GROUP_BYS, PERIODS, type CustomerBook, type GroupBy, type Period, type Targets } from './model.js';
import { portfoliosReport } from './portfolios.js';
import { deviationsReport } from './deviations.js';
import type { Report } from './table.js';
import { balancesReport, unpaidReport } from './unpaid.js';

export * from './model.js';
export * from './buckets.js';
export * from './table.js';
export * from './efficiency-formulas.js';
export { agingReport, agingLines } from './aging.js';
export { dynamicsReport } from './dynamics.js';
export { unpaidReport, balancesReport } from './unpaid.js';
export { calendarReport } from './calendar.js';
export { portfoliosReport } from './portfolios.js';
export { deviationsReport } from './deviations.js';
export { efficiencyReport, efficiencyMeasures } from './efficiency.js';
export { customerAsOf, timeline, outstandingOn } from './as-of.js';

export const REPORT_NAMES = ['aging', 'dynamics', 'unpaid', 'balances', 'calendar', 'portfolios', 'efficiency', 'deviations'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** What a caller may ask (strings from a query string or CLI flags, or typed values). */
export interface ReportRequestInput {
  name: string;
  asOf?: unknown;
  from?: unknown;
  to?: unknown;
  period?: unknown;
  groupBy?: unknown;
  /** "0,30,60,90,120" upper bounds, a JSON list, or a Bucket[]. */
  buckets?: unknown;
  recoveryWindowDays?: unknown;
}

export interface ReportRequest {
  name: ReportName;
  asOf: CalendarDate;
  from?: CalendarDate;
  to?: CalendarDate;
  period?: Period;
  groupBy?: GroupBy;
  buckets?: Bucket[];
  recoveryWindowDays?: number;
}

export interface ReportSettings {
  /** Default buckets (configuration); a request may override them. */
  buckets?: readonly Bucket[];
  targets?: Targets;
  recoveryWindowDays?: number;
  rules?: RuleData;
  /** Credit control's policy (matrix and discipline rules): deviations and the calendar's weighting (default: the default policy). */
  creditPolicy?: CreditPolicy;
}

const date = (v: unknown, field: string, issues: { field: string; message: string }[]): CalendarDate | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  if (!isCalendarDate(v)) {
    issues.push({ field, message: `"${String(v)}" is not a real calendar date YYYY-MM-DD` });
    return undefined;
  }
  return v;
};

/** Validates a request; every bad field is named (all at once). */
export function parseReportRequest(input: ReportRequestInput): ReportRequest {
  const issues: { field: string; message: string }[] = [];
  if (!(REPORT_NAMES as readonly string[]).includes(input.name)) {
    throw new ValidationError([{ field: 'report', message: `unknown report "${input.name}"; known: ${REPORT_NAMES.join(', ')}` }]);
  }
  const name = input.name as ReportName;
  const asOf = date(input.asOf, 'asOf', issues);
  if (input.asOf === undefined || input.asOf === '') issues.push({ field: 'asOf', message: 'required (YYYY-MM-DD)' });
  const from = date(input.from, 'from', issues);
  const to = date(input.to, 'to', issues);
  let period: Period | undefined;
  if (input.period !== undefined && input.period !== '') {
    if (!(PERIODS as readonly string[]).includes(String(input.period)))
      issues.push({ field: 'period', message: `unknown period "${String(input.period)}"; known: ${PERIODS.join(', ')}` });
    else period = input.period as Period;
  }
  let groupBy: GroupBy | undefined;
  if (input.groupBy !== undefined && input.groupBy !== '') {
    if (!(GROUP_BYS as readonly string[]).includes(String(input.groupBy)))
      issues.push({ field: 'groupBy', message: `unknown grouping "${String(input.groupBy)}"; known: ${GROUP_BYS.join(', ')}` });
    else groupBy = input.groupBy as GroupBy;
  }
  let buckets: Bucket[] | undefined;
  if (input.buckets !== undefined && input.buckets !== '') {
    try {
      buckets = typeof input.buckets === 'string' ? parseBucketBounds(input.buckets) : validateBuckets(input.buckets);
    } catch (err) {
      if (err instanceof ValidationError) issues.push(...err.fields);
      else throw err;
    }
  }
  let recoveryWindowDays: number | undefined;
  if (input.recoveryWindowDays !== undefined && input.recoveryWindowDays !== '') {
    const n = Number(input.recoveryWindowDays);
    if (!Number.isInteger(n) || n < 1 || n > 366) issues.push({ field: 'recoveryWindowDays', message: 'must be a whole number of days 1–366' });
    else recoveryWindowDays = n;
  }
  if (from && to && to < from) issues.push({ field: 'to', message: `ends (${to}) before the range starts (${from})` });
  if (asOf && from && from > asOf && name !== 'calendar') issues.push({ field: 'from', message: `starts (${from}) after the as-of date (${asOf})` });
  if (issues.length) throw new ValidationError(issues);
  return {
    name,
    asOf: asOf!,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(period ? { period } : {}),
    ...(groupBy ? { groupBy } : {}),
    ...(buckets ? { buckets } : {}),
    ...(recoveryWindowDays ? { recoveryWindowDays } : {}),
  };
}

/** Runs one report over the books (already read as of the date, or newer: entries after asOf are left out). */
export function runReport(books: readonly CustomerBook[], req: ReportRequest, settings: ReportSettings = {}): Report {
  const buckets = req.buckets ?? settings.buckets ?? DEFAULT_BUCKETS;
  const asOf = req.asOf;
  switch (req.name) {
    case 'aging':
      return agingReport(books, { asOf, buckets, ...(req.groupBy ? { groupBy: req.groupBy } : {}), ...(settings.rules ? { rules: settings.rules } : {}) });
    case 'unpaid':
      return unpaidReport(books, { asOf, ...(req.groupBy ? { groupBy: req.groupBy } : {}) });
    case 'balances':
      return balancesReport(books, { asOf, ...(req.groupBy ? { groupBy: req.groupBy } : {}) });
    case 'dynamics': {
      const to = req.to ?? asOf;
      const from = req.from ?? addDays(to, -29);
      return dynamicsReport(books, { asOf, from, to, period: req.period ?? 'day', ...(req.groupBy ? { groupBy: req.groupBy } : {}) });
    }
    case 'calendar': {
      const from = req.from ?? addDays(asOf, 1);
      const to = req.to ?? addDays(from, 27);
      return calendarReport(books, {
        asOf,
        from,
        to,
        period: req.period ?? 'day',
        ...(req.groupBy ? { groupBy: req.groupBy } : {}),
        ...(settings.creditPolicy ? { creditPolicy: settings.creditPolicy } : {}),
      });
    }
    case 'portfolios':
      return portfoliosReport(books, { asOf, buckets, ...(settings.rules ? { rules: settings.rules } : {}) });
    case 'efficiency':
      return efficiencyReport(books, {
        asOf: req.to && req.to < asOf ? req.to : asOf,
        ...(req.from ? { from: req.from } : {}),
        ...(req.groupBy ? { groupBy: req.groupBy } : {}),
        recoveryWindowDays: req.recoveryWindowDays ?? settings.recoveryWindowDays ?? 14,
        ...(settings.targets ? { targets: settings.targets } : {}),
      });
    case 'deviations':
      return deviationsReport(books, { asOf, ...(req.groupBy ? { groupBy: req.groupBy } : {}), ...(settings.creditPolicy ? { policy: settings.creditPolicy } : {}) });
  }
}
