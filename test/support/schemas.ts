/** The output JSON Schemas of docs/schemas/, loaded into one Ajv (2020-12) so their cross-file $refs resolve. */
import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';

const DIR = new URL('../../docs/schemas/', import.meta.url);
export const SCHEMA_FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
export const schemaOf = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(file, DIR), 'utf8'));

const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
for (const f of SCHEMA_FILES) ajv.addSchema(schemaOf(f));

/** Validates `value` (as it travels: through JSON) against docs/schemas/<file>; returns the errors, [] when valid. */
export function schemaErrors(file: string, value: unknown): string[] {
  const validate = ajv.getSchema(`https://claimflow.example/schemas/${file}`);
  if (!validate) throw new Error(`no schema docs/schemas/${file}`);
  if (validate(JSON.parse(JSON.stringify(value)))) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '(root)'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
  );
}
