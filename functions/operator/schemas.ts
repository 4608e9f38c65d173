/**
 * Request bodies and query strings of the operator API (zod). Field names in errors are the JSON
 * paths of these schemas (e.g. "installments.1.amount").
 */
import { z } from 'zod';
import { zCurrency, zDate, zDecimal, zId, zMoney } from '../domain/ledger/commands.js';
import { STAGES } from '../app/run-totals.js';

const reason = z.string().trim().min(1, { message: 'required: why (it is audited)' }).max(1000);
/** Optional operator name in the body; the X-Claimflow-Operator header is the usual carrier. */
const by = z.string().trim().min(1).max(200).optional();

export const zRunRequest = z.object({
  runDate: zDate,
  dryRun: z.boolean().default(false),
  /** Dry run paging (the API answers within its time limit; the CLI follows nextToken). */
  pageToken: z.string().min(1).optional(),
  maxCustomers: z.number().int().min(1).max(5000).optional(),
  /** A deliberate re-run of a date already run (e.g. after resolving ambiguous letters). */
  rerun: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'letters, digits, _ and - only (at most 40)' })
    .optional(),
  reason: z.string().trim().max(1000).optional(),
  by,
});

export const zPauseRequest = z.object({
  invoiceId: zId.optional(),
  until: zDate,
  reason,
  kind: z.enum(['dispute', 'manual']).optional(),
  by,
});

export const zResumeRequest = z.object({ reason, by });

export const zPromiseRequest = z.object({
  date: zDate,
  amount: zMoney,
  invoiceIds: z.array(zId).max(200).optional(),
  reason,
  by,
});

export const zScheduleRequest = z.object({
  installments: z
    .array(z.object({ date: zDate, amount: zDecimal }))
    .min(1, { message: 'at least one installment' })
    .max(120),
  currency: zCurrency.default('RUB'),
  invoiceIds: z.array(zId).max(200).optional(),
  reason,
  by,
});

export const zClosePeriodRequest = z.object({ through: zDate, reason, by });

export const zBankImportRequest = z.object({
  fileName: z.string().trim().min(1).max(255).default('statement.txt'),
  contentBase64: z
    .string()
    .min(1, { message: 'required: the file bytes, base64' })
    .regex(/^[A-Za-z0-9+/=\r\n]+$/, { message: 'must be base64' }),
  reason: z.string().trim().max(1000).optional(),
  by,
});

export const zReplayRequest = z.object({ archiveRef: z.string().trim().min(1).max(2000), reason: z.string().trim().max(1000).optional(), by });

export const zResolveLetterRequest = z.object({ outcome: z.enum(['sent', 'not-sent']), reason, by });

export const zStage = z.enum(STAGES);

export const zReconciliationQuery = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string().optional(),
  /** A contract id: the statement by that contract; "none": what belongs to no contract. */
  contract: z.string().trim().min(1).max(120).optional(),
  format: z.enum(['json', 'pdf']).default('json'),
});

export const zAuditQuery = z.object({
  customer: zId.optional(),
  day: zDate.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
