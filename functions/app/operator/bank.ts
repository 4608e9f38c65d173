/**
 * Operator use cases on bank statements and payloads: import a 1C bank file, the review list of
 * payments that could not be matched and their resolution, replay of an archived webhook payload. Audited.
 */
import { createHash } from 'node:crypto';
import { ClaimflowError, ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { zPaymentReceived, zodFields } from '../../domain/ledger/commands.js';
import { bankPaymentId } from '../../ingest/bank-match.js';
import { importBankStatement, type BankImportResult } from '../../ingest/bank-import.js';
import { replayArchived, type ReplayResult } from '../../ingest/replay.js';
import type { ArchiveReader } from '../../ports/ingest.js';
import type { Actor, AuditEntry, StoredReviewItem } from '../../ports/operator.js';
import { audit, requireActor, requireText, type OperatorDeps } from './common.js';

export async function importBank(
  deps: OperatorDeps,
  actor: Actor,
  input: { fileName: string; bytes: Uint8Array; reason?: string },
): Promise<BankImportResult & { audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  if (!input.bytes.byteLength) issues.push({ field: 'contentBase64', message: 'the file is empty' });
  if (issues.length) throw new ValidationError(issues);
  if (!deps.bank) throw new NotFoundError('bank import is not available on this endpoint');
  // The same file imported twice gets the same id, so its review items are not duplicated.
  const digest = createHash('sha256').update(input.bytes).digest('hex').slice(0, 16);
  const importId = `operator/${input.fileName.replace(/[^\p{L}\p{N}_.-]/gu, '_').slice(0, 80)}#${digest}`;
  const directory = deps.bank.directory();
  const result = await importBankStatement(
    {
      ledger: deps.ledger,
      directory,
      review: directory,
      ...(deps.bank.config ? { config: deps.bank.config } : {}),
      now: deps.now,
      ...(deps.logger ? { logger: deps.logger } : {}),
    },
    { importId, bytes: input.bytes, archiveRef: `upload:${importId}` },
  );
  const entry = await audit(deps, actor, 'bank.import', input.reason?.trim() || `bank statement ${input.fileName}`, {
    importId,
    fileName: input.fileName,
    documents: result.documents,
    imported: result.imported,
    duplicates: result.duplicates,
    review: result.review.length,
    errors: result.errors.length,
  });
  return { ...result, audit: entry };
}

export async function reviewList(deps: OperatorDeps, opts: { limit?: number } = {}): Promise<StoredReviewItem[]> {
  if (!deps.review) throw new NotFoundError('the review list is not available on this endpoint');
  return deps.review.listOpen(opts);
}

/**
 * An operator resolves a bank payment that could not be matched: books it to a customer (optionally
 * naming invoices) or dismisses it (not ours, refunded by the bank …). Booking uses the same stable
 * payment id as the import, so a later re-import of the file cannot book it twice. Audited.
 */
export async function resolveReview(
  deps: OperatorDeps,
  actor: Actor,
  input: { importId: string; line: number; outcome: 'book' | 'dismiss'; customerId?: string; invoiceIds?: string[]; currency?: string; reason: string },
): Promise<{ status: 'booked' | 'dismissed'; paymentId?: string; ledger?: string; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (input.outcome === 'book' && !input.customerId) issues.push({ field: 'customerId', message: 'required to book the payment' });
  if (issues.length) throw new ValidationError(issues);
  if (!deps.review) throw new NotFoundError('the review list is not available on this endpoint');
  const item = await deps.review.get(input.importId, input.line);
  if (!item) throw new NotFoundError(`no review item ${input.importId} line ${input.line}`);
  if (item.status !== 'open') throw new ConflictError(`review item ${input.importId} line ${input.line} is already ${item.status}`);
  const at = deps.now().toISOString();
  let paymentId: string | undefined;
  let ledgerStatus: string | undefined;
  if (input.outcome === 'book') {
    const doc = item.document;
    paymentId = bankPaymentId(doc);
    const parsed = zPaymentReceived.safeParse({
      type: 'payment.received',
      customerId: input.customerId,
      paymentId,
      date: doc.receivedDate ?? doc.date,
      amount: { amount: doc.amount, currency: input.currency ?? 'RUB' },
      ...(input.invoiceIds?.length ? { invoiceIds: input.invoiceIds } : {}),
      channel: 'bank',
      reference: `п/п № ${doc.number} от ${doc.date}${doc.purpose ? `: ${doc.purpose}` : ''}`.slice(0, 500),
    });
    if (!parsed.success) throw new ValidationError(zodFields(parsed.error));
    const r = await deps.ledger.apply(parsed.data, { source: 'bank-review', eventId: `${input.importId}#${input.line}`, receivedAt: at });
    ledgerStatus = r.status;
  }
  await deps.review.close(input.importId, input.line, {
    outcome: input.outcome === 'book' ? 'booked' : 'dismissed',
    by: actor.by,
    at,
    reason: input.reason,
    ...(input.customerId ? { customerId: input.customerId } : {}),
    ...(paymentId ? { paymentId } : {}),
  });
  const entry = await audit(
    deps,
    actor,
    'review.resolve',
    input.reason,
    {
      importId: input.importId,
      line: input.line,
      outcome: input.outcome,
      ...(input.customerId ? { customerId: input.customerId } : {}),
      ...(paymentId ? { paymentId, ledger: ledgerStatus } : {}),
    },
    input.customerId,
  );
  return { status: input.outcome === 'book' ? 'booked' : 'dismissed', ...(paymentId ? { paymentId, ledger: ledgerStatus } : {}), audit: entry };
}

export async function replay(deps: OperatorDeps, actor: Actor, input: { archiveRef: string; reason?: string }): Promise<ReplayResult & { audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'archiveRef', input.archiveRef);
  if (issues.length) throw new ValidationError(issues);
  if (!deps.replay) throw new NotFoundError('replay is not available on this endpoint');
  let archive: Awaited<ReturnType<ArchiveReader['read']>>;
  try {
    archive = await deps.replay.archive.read(input.archiveRef);
  } catch (err) {
    // A reference outside the archive (400) or a record without the archive's seal (409) says so; never the file's content.
    if (err instanceof ClaimflowError) throw err;
    throw new NotFoundError('no archived payload under this reference', { cause: err });
  }
  const cached: ArchiveReader = { read: async () => archive };
  const result = await replayArchived(
    {
      archive: cached,
      ledger: deps.ledger,
      config: deps.replay.config,
      now: deps.now,
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.replay.deadLetters ? { deadLetters: deps.replay.deadLetters } : {}),
    },
    input.archiveRef,
  );
  const entry = await audit(deps, actor, 'replay', input.reason?.trim() || 'replay of a dead-lettered payload', {
    archiveRef: input.archiveRef,
    source: result.source,
    eventId: result.eventId,
    status: result.status,
  });
  return { ...result, audit: entry };
}
