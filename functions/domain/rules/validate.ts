/**
 * Validation and merging of rule data. Errors are ValidationError with field paths that name the
 * offending entry, e.g. `keyRates[52].ratePct`. Pure.
 */
import { Decimal } from 'decimal.js';
import type { z } from 'zod';
import { ValidationError, type FieldIssue } from '../errors.js';
import {
  ruleDataSchema,
  ruleExtensionSchema,
  type HousingCapEntry,
  type KeyRateEntry,
  type MoratoriumEntry,
  type ReadingChoice,
  type Readings,
  type RuleData,
  type RuleExtension,
} from './schema.js';

/** The readings with some values chosen (a rules file, or one calculation's input). */
export function chooseReadings(base: Readings, choice: ReadingChoice | undefined): Readings {
  if (!choice) return base;
  const out = structuredClone(base) as Record<string, { value: unknown }>;
  for (const [k, v] of Object.entries(choice)) if (v !== undefined && out[k]) out[k]!.value = v;
  return out as unknown as Readings;
}

/** ['charges', 0, 'amount'] → "charges[0].amount". */
export function formatPath(path: ReadonlyArray<PropertyKey>, prefix = ''): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return joinField(prefix, out || '(root)');
}

/** Prefixes a field path: "rulesFile" + "keyRates[0]" → "rulesFile.keyRates[0]"; a prefix ending in ":" joins with a space. */
export function joinField(prefix: string, field: string): string {
  if (!prefix) return field;
  return prefix.endsWith(':') ? `${prefix} ${field}` : `${prefix}.${field}`;
}

export function zodIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((i) => ({ field: formatPath(i.path, prefix), message: i.message }));
}

function semanticIssues(data: RuleData): FieldIssue[] {
  const issues: FieldIssue[] = [];
  data.keyRates.forEach((k, i) => {
    const prev = data.keyRates[i - 1];
    if (prev && k.from === prev.from) issues.push({ field: `keyRates[${i}].from`, message: `duplicate effective date ${k.from}` });
    else if (prev && k.from < prev.from) issues.push({ field: `keyRates[${i}].from`, message: `not sorted: ${k.from} comes after ${prev.from}` });
  });
  const checkSortedUnique = (list: ReadonlyArray<{ id: string; from: string; to: string }>, name: string, noOverlap: boolean) => {
    const seen = new Set<string>();
    list.forEach((e, i) => {
      if (seen.has(e.id)) issues.push({ field: `${name}[${i}].id`, message: `duplicate id "${e.id}"` });
      seen.add(e.id);
      const prev = list[i - 1];
      if (prev && e.from < prev.from) issues.push({ field: `${name}[${i}].from`, message: `not sorted: ${e.from} comes after ${prev.from}` });
      else if (noOverlap && prev && e.from <= prev.to) {
        issues.push({ field: `${name}[${i}].from`, message: `overlaps ${name}[${i - 1}] ("${prev.id}", to ${prev.to})` });
      }
    });
  };
  checkSortedUnique(data.moratoria, 'moratoria', false);
  checkSortedUnique(data.housingCaps, 'housingCaps', true);
  const tableIds = new Set<string>();
  data.dutyTables.forEach((t, i) => {
    if (tableIds.has(t.id)) issues.push({ field: `dutyTables[${i}].id`, message: `duplicate id "${t.id}"` });
    tableIds.add(t.id);
    if (t.validTo && t.validTo < t.validFrom) issues.push({ field: `dutyTables[${i}].validTo`, message: 'must not be before validFrom' });
    if (!new Decimal(t.brackets[0]!.over).isZero()) issues.push({ field: `dutyTables[${i}].brackets[0].over`, message: 'the first bracket must start at 0' });
    t.brackets.forEach((b, j) => {
      const prev = t.brackets[j - 1];
      if (prev && new Decimal(b.over).lte(prev.over)) {
        issues.push({ field: `dutyTables[${i}].brackets[${j}].over`, message: 'brackets must be sorted by `over` without duplicates' });
      }
    });
    data.dutyTables.forEach((o, j) => {
      if (j >= i || o.court !== t.court) return;
      const overlap = t.validFrom <= (o.validTo ?? '9999-12-31') && o.validFrom <= (t.validTo ?? '9999-12-31');
      if (overlap) issues.push({ field: `dutyTables[${i}].validFrom`, message: `overlaps dutyTables[${j}] ("${o.id}") for court ${t.court}` });
    });
  });
  return issues;
}

/** Validates raw rule data (zod shape + sorted dates, no duplicates, no overlapping caps/duty tables). */
export function validateRuleData(raw: unknown, prefix = ''): RuleData {
  const parsed = ruleDataSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error, prefix), { cause: parsed.error });
  const issues = semanticIssues(parsed.data);
  if (issues.length) throw new ValidationError(issues.map((i) => ({ ...i, field: joinField(prefix, i.field) })));
  return parsed.data;
}

/** Validates a user extension file's contents (shape only; merging checks conflicts). */
export function validateRuleExtension(raw: unknown, prefix = ''): RuleExtension {
  const parsed = ruleExtensionSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error, prefix), { cause: parsed.error });
  return parsed.data;
}

/**
 * Merges a user extension into rule data. New entries are added; an entry that collides with a
 * built-in one (same key-rate date, same moratorium/cap id) is an error unless it says `override: true`,
 * in which case it replaces the built-in entry. The merged data is re-validated. `prefix` names the
 * file in error paths (e.g. "rules file /x.json").
 */
export function extendRules(base: RuleData, extRaw: unknown, prefix = 'rulesFile'): RuleData {
  const ext = validateRuleExtension(extRaw, prefix);
  const issues: FieldIssue[] = [];
  const strip = <T extends { override?: boolean | undefined }>(e: T): T => {
    const { override: _o, ...rest } = e;
    return rest as T;
  };

  const keyRates: KeyRateEntry[] = [...base.keyRates];
  (ext.keyRates ?? []).forEach((k, i) => {
    const at = keyRates.findIndex((b) => b.from === k.from);
    if (at >= 0 && !k.override) {
      issues.push({
        field: joinField(prefix, `keyRates[${i}].from`),
        message: `a key rate effective ${k.from} already exists (${keyRates[at]!.ratePct} %); set "override": true to replace it`,
      });
    } else if (at >= 0) keyRates[at] = strip(k);
    else keyRates.push(strip(k));
  });
  keyRates.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));

  const mergeById = <T extends { id: string; from: string; override?: boolean | undefined }>(baseList: readonly T[], extList: readonly T[] | undefined, name: string): T[] => {
    const out = [...baseList];
    (extList ?? []).forEach((e, i) => {
      const at = out.findIndex((b) => b.id === e.id);
      if (at >= 0 && !e.override) {
        issues.push({ field: joinField(prefix, `${name}[${i}].id`), message: `an entry with id "${e.id}" already exists; set "override": true to replace it` });
      } else if (at >= 0) out[at] = strip(e);
      else out.push(strip(e));
    });
    return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  };
  const moratoria = mergeById<MoratoriumEntry>(base.moratoria, ext.moratoria, 'moratoria');
  const housingCaps = mergeById<HousingCapEntry>(base.housingCaps, ext.housingCaps, 'housingCaps');
  if (issues.length) throw new ValidationError(issues);

  const version = ext.version ? `${base.version}+${ext.version}` : `${base.version}+user`;
  try {
    return validateRuleData({ ...base, version, keyRates, moratoria, housingCaps, readings: chooseReadings(base.readings, ext.readings) });
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new ValidationError(
        err.fields.map((f) => ({ field: joinField(prefix, `(merged data) ${f.field}`), message: f.message })),
        { cause: err },
      );
    }
    throw err;
  }
}
