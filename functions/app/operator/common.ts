/**
 * What every operator use case shares: its dependencies, "today" in the company time zone, the checks
 * on who acts and why, and the audit record each action leaves.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, type FieldIssue } from '../../domain/errors.js';
import { dateInZone, type CalendarDate } from '../../domain/dates.js';
import type { DeadLetters } from '../../ports/shared.js';
import type { Actor, AuditAction, AuditEntry, AuditLog, LetterResolver, OperatorDunning, OperatorLedger, ReviewReader, RunLauncher } from '../../ports/operator.js';
import type { ArchiveReader, CustomerDirectory, IngestLogger, ReviewList } from '../../ports/ingest.js';
import type { CompanyInfo } from '../../render/reconciliation-pdf.js';
import type { BankImportConfig } from '../../ingest/bank-import.js';
import type { WebhookConfig } from '../../ingest/config.js';
import type { ProcessCustomerDeps } from '../process-customer.js';

export interface OperatorDeps {
  ledger: OperatorLedger;
  dunning: OperatorDunning;
  letters: LetterResolver;
  audit: AuditLog;
  /** What processCustomer needs; a dry run only reads through it. */
  processDeps: ProcessCustomerDeps;
  lookAheadDays: number;
  /** Company name and INN printed on the reconciliation statement. */
  company: CompanyInfo;
  timeZone: string;
  now: () => Date;
  newId?: () => string;
  runs?: RunLauncher;
  bank?: { directory: () => CustomerDirectory & ReviewList; config?: BankImportConfig };
  review?: ReviewReader;
  replay?: { archive: ArchiveReader; config: WebhookConfig; deadLetters?: DeadLetters };
  logger?: IngestLogger;
}

export const today = (deps: Pick<OperatorDeps, 'now' | 'timeZone'>): CalendarDate => dateInZone(deps.now(), deps.timeZone);
export const newId = (deps: Pick<OperatorDeps, 'newId'>) => (deps.newId ?? (() => randomUUID().slice(0, 8)))();

export function requireText(issues: FieldIssue[], field: string, value: string | undefined): void {
  if (!value?.trim()) issues.push({ field, message: 'required' });
}

export function requireActor(issues: FieldIssue[], actor: Actor): void {
  if (!actor.by?.trim()) issues.push({ field: 'by', message: 'required: who acts (CLI --by or $USER)' });
}

export async function audit(
  deps: Pick<OperatorDeps, 'audit' | 'now' | 'timeZone' | 'newId'>,
  actor: Actor,
  action: AuditAction,
  reason: string,
  details: Record<string, unknown>,
  customerId?: string,
): Promise<AuditEntry> {
  const at = deps.now();
  const entry: AuditEntry = {
    id: newId(deps),
    at: at.toISOString(),
    day: dateInZone(at, deps.timeZone),
    action,
    by: actor.by,
    ...(actor.principal ? { principal: actor.principal } : {}),
    reason,
    ...(customerId ? { customerId } : {}),
    details,
  };
  await deps.audit.record(entry);
  return entry;
}

export async function requireCustomer(deps: Pick<OperatorDeps, 'ledger'>, customerId: string) {
  const profile = await deps.ledger.getProfile(customerId);
  if (!profile) throw new NotFoundError(`customer ${customerId} not found`);
  return profile;
}

/** Invoices must be open invoices of the customer (a pause of a paid invoice makes no sense). */
export async function requireOpenInvoices(deps: Pick<OperatorDeps, 'ledger'>, customerId: string, invoiceIds: string[], field: string): Promise<void> {
  if (!invoiceIds.length) return;
  const open = new Set((await deps.ledger.openInvoices(customerId)).map((i) => i.invoiceId));
  const missing = invoiceIds.filter((id) => !open.has(id));
  if (missing.length) throw new NotFoundError(`${field}: no open invoice ${missing.join(', ')} for customer ${customerId}`);
}
