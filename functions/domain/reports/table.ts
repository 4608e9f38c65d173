/**
 * The one shape every report returns (JSON for the operator API and the console; CSV, XLSX and PDF
 * are drawn from it): detail rows, the same rows summed per group and currency, totals per currency.
 * Money cells are exact decimal strings, never floats. docs/report.schema.json is its JSON Schema.
 */
import { Decimal } from 'decimal.js';
import type { CalendarDate } from '../dates.js';
import { minorUnits, type Currency } from '../money.js';
import type { GroupBy } from './model.js';

export type Cell = string | number | null;
export type ColumnType = 'text' | 'date' | 'money' | 'int' | 'number' | 'pct';
export interface Column {
  key: string;
  label: string;
  type: ColumnType;
}
export type Row = Record<string, Cell>;
export interface Table {
  columns: Column[];
  rows: Row[];
}

/** A chart the PDF draws (and the console may): one category axis, one or more numeric series. */
export interface ChartSpec {
  title: string;
  kind: 'bar' | 'line' | 'stacked-bar' | 'pie';
  categories: string[];
  series: { name: string; values: number[] }[];
}

export interface Report {
  report: string;
  title: string;
  asOf: CalendarDate;
  from?: CalendarDate;
  to?: CalendarDate;
  period?: string;
  groupBy?: GroupBy;
  /** Parameters that shaped it (buckets, window days …), echoed for reproducibility. */
  params: Record<string, unknown>;
  detail: Table;
  groups: Table;
  totals: Table;
  charts: ChartSpec[];
  notes: string[];
}

export const safeFmt = (d: Decimal, currency: string): string => {
  try {
    return d.toFixed(minorUnits(currency as Currency));
  } catch {
    return d.toFixed(2);
  }
};

/**
 * Sums money columns of rows per (key, currency). `keyOf` gives the group key; `count` adds a column
 * with the number of distinct values of `countKey` (e.g. customers).
 */
export function sumBy(
  rows: readonly Row[],
  keyOf: (r: Row) => string,
  moneyKeys: readonly string[],
  opts: { countKey?: string; countLabel?: string; keyLabel: string; keyName: string; columns: readonly Column[] },
): Table {
  const acc = new Map<string, { key: string; currency: string; sums: Decimal[]; seen: Set<Cell> }>();
  for (const r of rows) {
    const key = keyOf(r);
    const currency = String(r.currency);
    const id = `${key}\u0000${currency}`;
    let a = acc.get(id);
    if (!a) {
      a = { key, currency, sums: moneyKeys.map(() => new Decimal(0)), seen: new Set() };
      acc.set(id, a);
    }
    moneyKeys.forEach((k, i) => {
      const v = r[k];
      if (v !== null && v !== undefined && v !== '') a!.sums[i] = a!.sums[i]!.plus(String(v));
    });
    if (opts.countKey) a.seen.add(r[opts.countKey] ?? null);
  }
  const out = [...acc.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.currency < y.currency ? -1 : x.currency > y.currency ? 1 : 0));
  const columns: Column[] = [
    { key: opts.keyName, label: opts.keyLabel, type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
    ...(opts.countKey ? [{ key: 'count', label: opts.countLabel ?? 'Count', type: 'int' as const }] : []),
    ...moneyKeys.map((k) => opts.columns.find((c) => c.key === k) ?? { key: k, label: k, type: 'money' as const }),
  ];
  return {
    columns,
    rows: out.map((a) => ({
      [opts.keyName]: a.key,
      currency: a.currency,
      ...(opts.countKey ? { count: a.seen.size } : {}),
      ...Object.fromEntries(moneyKeys.map((k, i) => [k, safeFmt(a.sums[i]!, a.currency)])),
    })),
  };
}

export const emptyTable = (columns: Column[] = []): Table => ({ columns, rows: [] });
