/**
 * The one way an event, a payload or a request body is parsed: zod, and a ValidationError naming each
 * bad field (under `prefix`) when it does not fit. Pure.
 */
import type { z } from 'zod';
import { ValidationError } from './errors.js';
import { zodFields } from './ledger/commands.js';

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = '', opts: { missingAsRequired?: boolean } = {}): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  let fields = zodFields(r.error, prefix);
  if (opts.missingAsRequired) {
    fields = fields.map((f, i) => {
      const issue = r.error.issues[i];
      return issue?.code === 'invalid_type' && issue.input === undefined ? { field: f.field, message: 'required' } : f;
    });
  }
  throw new ValidationError(fields, { cause: r.error });
}
