/**
 * Helpers shared by the webhook sources: JSON parsing with a clear 400, validation of mapped
 * commands with field names in the provider's terms, minor-unit conversion, provider dates.
 */
import { Decimal } from 'decimal.js';
import type { z } from 'zod';
import { zLedgerCommand, zodFields, type LedgerCommand } from '../domain/ledger/commands.js';
import { ValidationError, type FieldIssue } from '../domain/errors.js';
import { dateInZone, type CalendarDate } from '../domain/dates.js';
import { parseOrThrow } from '../domain/parse.js';
import { MAX_UNIX_SECONDS, parseInstant } from '../domain/instants.js';

/** Parses a JSON body; malformed → ValidationError on "(body)". */
export function parseJsonBody(raw: Uint8Array | string): unknown {
  const text = typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ValidationError([{ field: '(body)', message: `is not valid JSON (${(err as Error).message})` }], { cause: err });
  }
}

/** Validates a provider payload against a zod schema; issues are named by their path in the payload. */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown, prefix = ''): z.output<S> {
  return parseOrThrow(schema, payload, prefix);
}

/**
 * Validates a mapped ledger command. `fieldMap` renames command paths to the provider's field names
 * ("amount.amount" → "object.amount.value"); unmapped paths are reported as "command.<path>".
 */
export function validateCommand(candidate: Record<string, unknown>, fieldMap: Record<string, string> = {}): LedgerCommand {
  const r = zLedgerCommand.safeParse(candidate);
  if (r.success) return r.data;
  const fields: FieldIssue[] = zodFields(r.error).map((f) => ({
    field: fieldMap[f.field] ?? longestPrefix(f.field, fieldMap) ?? `command.${f.field}`,
    message: f.message,
  }));
  throw new ValidationError(fields, { cause: r.error });
}

function longestPrefix(field: string, map: Record<string, string>): string | undefined {
  const keys = Object.keys(map)
    .filter((k) => field.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length);
  return keys.length ? `${map[keys[0]!]}${field.slice(keys[0]!.length)}` : undefined;
}

/** Stripe's zero-decimal currencies (amounts are already in major units). */
export const ZERO_DECIMAL_CURRENCIES = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

/** Integer minor units → decimal string ("125000" RUB → "1250.00"; "500" JPY → "500"). Exact. */
export function minorToDecimal(minor: number | string, currency: string): string {
  const digits = ZERO_DECIMAL_CURRENCIES.has(currency.toUpperCase()) ? 0 : 2;
  return new Decimal(minor).div(new Decimal(10).pow(digits)).toFixed(digits);
}

/**
 * A provider number or string amount in major units as a decimal string. JSON numbers are turned
 * into their shortest decimal text (exact for up to 15 significant digits); no arithmetic on floats.
 */
export function majorAmountText(v: number | string): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NaN';
  return v.trim();
}

/** Normalises a decimal string to at least the currency's decimals when it is valid ("10" → "10.00"). */
export function padDecimals(amount: string, digits: number): string {
  if (!/^\d{1,15}(\.\d{1,8})?$/.test(amount)) return amount;
  const dp = (amount.split('.')[1] ?? '').length;
  return dp >= digits ? amount : new Decimal(amount).toFixed(digits);
}

/** Unix seconds → calendar date in the company's time zone. */
export function unixToDate(seconds: number, timeZone: string): CalendarDate {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_UNIX_SECONDS) {
    throw new ValidationError([{ field: '(timestamp)', message: `${seconds} is not a unix time in seconds` }]);
  }
  return dateInZone(new Date(seconds * 1000), timeZone);
}

/** ISO instant (or "YYYY-MM-DD HH:mm:ss" UTC) → calendar date in the company's time zone; undefined if unparseable. */
export function instantToDate(text: string, timeZone: string): CalendarDate | undefined {
  // Strict: an impossible date ("2026-02-30T10:00:00Z") is refused, never rolled over by Date.parse.
  const ms = parseInstant(text, { assumeUtc: true });
  if (ms === undefined) return undefined;
  return dateInZone(new Date(ms), timeZone);
}

/** Case-insensitive header lookup. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
