/**
 * The body of "start a run" (local `POST /runs`, the start-run Lambda's event): every field checked,
 * so bad input is a 400 naming the field, never a 500.
 */
import { z } from 'zod';
import { zDate } from '../domain/ledger/commands.js';
import { parseInstant } from '../domain/instants.js';
import { ValidationError } from '../domain/errors.js';
import { zodFields } from '../domain/ledger/commands.js';
import type { CalendarDate } from '../domain/dates.js';

export const zStartRunRequest = z
  .object({
    runDate: zDate.optional(),
    /** The Scheduler's <aws.scheduler.scheduled-time>, an ISO instant with its offset. */
    scheduledTime: z
      .string()
      .refine((s) => parseInstant(s) !== undefined, { message: 'must be an ISO 8601 instant with a real date and an offset' })
      .optional(),
    dryRun: z.boolean().optional(),
    rerun: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'letters, digits, _ and - only (at most 40)' })
      .optional(),
  })
  .strict();

/** Parses a start-run body (bytes of JSON, or an already parsed value); ValidationError names the field. */
export type ParsedRunRequest = { runDate?: CalendarDate; scheduledTime?: string; dryRun?: boolean; rerun?: string };

export function parseStartRunRequest(body: unknown): ParsedRunRequest {
  let value = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    if (text.trim() === '') value = {};
    else {
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new ValidationError([{ field: '(body)', message: `is not valid JSON (${(err as Error).message})` }], { cause: err });
      }
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError([{ field: '(body)', message: 'must be a JSON object' }]);
  const r = zStartRunRequest.safeParse(value);
  if (!r.success) throw new ValidationError(zodFields(r.error));
  return r.data as ParsedRunRequest;
}
