/**
 * Operator use cases: the actions collections clerks take between runs, each audited (who, when, why,
 * what). The router (functions/operator/router.ts) parses requests and calls exactly one of these; the
 * CLI reaches them through the router (locally via the local stack's HTTP server, in the cloud via the
 * IAM-authorized operator API).
 *
 * - pause / resume (a customer, or one invoice: a dispute), with a reason and an until-date;
 * - a promise to pay (pause until the promised date), an agreed payment schedule (pause until the last
 *   installment);
 * - close the books through a date (the ledger refuses back-dated entries afterwards);
 * - dry run of a run date: what would be sent per customer and stage; nothing is written;
 * - start a run (or a deliberate re-run), list a run's letters, resolve an ambiguous send;
 * - reconciliation statement JSON/PDF, bank-statement import, review list, replay of an archived payload;
 * - the audit trail per customer and per day.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../domain/errors.js';
import { addDays, dateInZone, type CalendarDate } from '../domain/dates.js';
import { minorUnits, type Currency, type Money } from '../domain/money.js';
import { zPaymentReceived, zodFields, type LedgerCommand } from '../domain/ledger/commands.js';
import { bankPaymentId } from '../ingest/bank-match.js';
import type { ReconciliationStatement } from '../domain/ledger/reconcile.js';
import type { LedgerReader, LedgerService } from '../ports/index.js';
import type { LetterRecord, PauseRecord } from '../adapters/dynamo-dunning.js';
import type { PeriodClose, RefusalRecord } from '../adapters/dynamo-ledger.js';
import { renderReconciliationPdf, type CompanyInfo } from '../render/reconciliation-pdf.js';
import { reconciliationStatement } from './ledger.js';
import { findDebtors } from './find-debtors.js';
import { processCustomer, type ProcessCustomerDeps } from './process-customer.js';
import { addUp, emptyTotals, type CustomerResult, type RunTotals, type Stage } from './run-totals.js';
import { importBankStatement, type BankImportConfig, type BankImportResult } from '../ingest/bank-import.js';
import { replayArchived, type ReplayResult } from '../ingest/replay.js';
import type { ArchiveReader, CustomerDirectory, IngestLogger, ReviewItem, ReviewList } from '../ingest/ports.js';
import type { WebhookConfig } from '../ingest/config.js';
import type { DeadLetters } from '../ports/index.js';

// ------------------------------------------------------------------------------------------------
// Ports

/** Who acts: the operator's name (CLI --by / $USER) and, in the cloud, the authenticated IAM principal. */
export interface Actor {
  by: string;
  principal?: string;
}

export type AuditAction =
  | 'pause'
  | 'resume'
  | 'promise'
  | 'schedule'
  | 'period.close'
  | 'run.start'
  | 'letter.resolve'
  | 'bank.import'
  | 'review.resolve'
  | 'replay';

/** One audited operator action: who, when, why and what. */
export interface AuditEntry {
  id: string;
  /** ISO instant. */
  at: string;
  /** Business day of `at` in the company time zone (the per-day index). */
  day: CalendarDate;
  action: AuditAction | 'ledger-refusal';
  by: string;
  principal?: string;
  reason: string;
  customerId?: string;
  /** What was acted on and the outcome, in plain data. */
  details: Record<string, unknown>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  byCustomer(customerId: string, opts?: { limit?: number }): Promise<AuditEntry[]>;
  byDay(day: CalendarDate): Promise<AuditEntry[]>;
}

/** Pauses and letters (DynamoDunningStore implements it). */
export interface OperatorDunning {
  putPause(p: PauseRecord): Promise<void>;
  resolvePause(customerId: string, pauseId: string, resolved: { by: string; at: string; reason: string }): Promise<boolean>;
  pauses(customerId: string): Promise<PauseRecord[]>;
  getLetter(runDate: string, customerId: string, stage: string): Promise<LetterRecord | undefined>;
  lettersOfRun(runDate: string): Promise<LetterRecord[]>;
  getRun(runDate: string): Promise<Record<string, unknown> | undefined>;
  failuresOfRun?(runDate: string): Promise<{ customerId: string; error: string; cause: string }[]>;
}

/** Moves an ambiguous letter to sent (stage recorded on its invoices) or not-sent (a re-run may send it). */
export interface LetterResolver {
  resolveAmbiguous(letter: LetterRecord, outcome: 'sent' | 'not-sent', resolution: { by: string; at: string; reason: string }): Promise<boolean>;
}

/** The ledger as operators use it (DynamoLedger implements it). */
export interface OperatorLedger extends LedgerReader, LedgerService {
  listEntries(customerId: string): Promise<{ command: LedgerCommand }[]>;
  closePeriod(through: CalendarDate, by: string, reason: string): Promise<PeriodClose>;
  getPeriodClose(): Promise<PeriodClose | undefined>;
  listRefusals?(opts: { customerId?: string; limit?: number }): Promise<RefusalRecord[]>;
}

/** Starts a (non-dry) run: Step Functions in the cloud, the in-process runner locally. */
export interface RunLauncher {
  launch(req: { runDate: CalendarDate; rerun?: string }): Promise<{ executionName: string; status: string }>;
}

export interface StoredReviewItem extends ReviewItem {
  status: string;
  at: string;
}

export interface ReviewReader {
  listOpen(opts?: { limit?: number }): Promise<StoredReviewItem[]>;
  get(importId: string, line: number): Promise<(StoredReviewItem & { resolution?: unknown }) | undefined>;
  close(
    importId: string,
    line: number,
    resolution: { outcome: 'booked' | 'dismissed'; by: string; at: string; reason: string; customerId?: string; paymentId?: string },
  ): Promise<boolean>;
}

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

// ------------------------------------------------------------------------------------------------
// Helpers

const today = (deps: Pick<OperatorDeps, 'now' | 'timeZone'>): CalendarDate => dateInZone(deps.now(), deps.timeZone);
const newId = (deps: Pick<OperatorDeps, 'newId'>) => (deps.newId ?? (() => randomUUID().slice(0, 8)))();

function requireText(issues: FieldIssue[], field: string, value: string | undefined): void {
  if (!value?.trim()) issues.push({ field, message: 'required' });
}

function requireActor(issues: FieldIssue[], actor: Actor): void {
  if (!actor.by?.trim()) issues.push({ field: 'by', message: 'required: who acts (CLI --by or $USER)' });
}

async function audit(
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

async function requireCustomer(deps: Pick<OperatorDeps, 'ledger'>, customerId: string) {
  const profile = await deps.ledger.getProfile(customerId);
  if (!profile) throw new NotFoundError(`customer ${customerId} not found`);
  return profile;
}

/** Invoices must be open invoices of the customer (a pause of a paid invoice makes no sense). */
async function requireOpenInvoices(deps: Pick<OperatorDeps, 'ledger'>, customerId: string, invoiceIds: string[], field: string): Promise<void> {
  if (!invoiceIds.length) return;
  const open = new Set((await deps.ledger.openInvoices(customerId)).map((i) => i.invoiceId));
  const missing = invoiceIds.filter((id) => !open.has(id));
  if (missing.length) throw new NotFoundError(`${field}: no open invoice ${missing.join(', ')} for customer ${customerId}`);
}

function pauseIdFor(kind: PauseRecord['kind'], at: Date, id: string): string {
  return `${kind}-${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${id}`;
}

// ------------------------------------------------------------------------------------------------
// Pauses, promises, schedules

export interface PauseInput {
  customerId: string;
  invoiceId?: string;
  until: CalendarDate;
  reason: string;
  /** A paused invoice is a dispute; a customer-wide pause is manual (default by scope). */
  kind?: 'dispute' | 'manual';
}

export async function pause(deps: OperatorDeps, actor: Actor, input: PauseInput): Promise<{ pause: PauseRecord; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (input.until < today(deps)) issues.push({ field: 'until', message: `must not be in the past (today is ${today(deps)})` });
  if (issues.length) throw new ValidationError(issues);
  await requireCustomer(deps, input.customerId);
  if (input.invoiceId) await requireOpenInvoices(deps, input.customerId, [input.invoiceId], 'invoiceId');
  const at = deps.now();
  const kind = input.kind ?? (input.invoiceId ? 'dispute' : 'manual');
  const record: PauseRecord = {
    pauseId: pauseIdFor(kind, at, newId(deps)),
    customerId: input.customerId,
    ...(input.invoiceId ? { invoiceId: input.invoiceId } : {}),
    kind,
    until: input.until,
    reason: input.reason.trim(),
    by: actor.by,
    at: at.toISOString(),
  };
  await deps.dunning.putPause(record);
  const entry = await audit(deps, actor, 'pause', record.reason, { pauseId: record.pauseId, kind, until: record.until, ...(record.invoiceId ? { invoiceId: record.invoiceId } : {}) }, input.customerId);
  return { pause: record, audit: entry };
}

/** Promise to pay `amount` by `date`: dunning of the named invoices (or the whole customer) pauses until that date. */
export async function promiseToPay(
  deps: OperatorDeps,
  actor: Actor,
  input: { customerId: string; date: CalendarDate; amount: Money; invoiceIds?: string[]; reason: string },
): Promise<{ pauses: PauseRecord[]; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (input.date < today(deps)) issues.push({ field: 'date', message: `a promised date must not be in the past (today is ${today(deps)})` });
  if (!new Decimal(input.amount.amount).gt(0)) issues.push({ field: 'amount.amount', message: 'must be greater than zero' });
  if (issues.length) throw new ValidationError(issues);
  await requireCustomer(deps, input.customerId);
  const invoiceIds = [...new Set(input.invoiceIds ?? [])];
  await requireOpenInvoices(deps, input.customerId, invoiceIds, 'invoiceIds');
  const at = deps.now();
  const base = pauseIdFor('promise', at, newId(deps));
  const common = { customerId: input.customerId, kind: 'promise' as const, until: input.date, reason: input.reason.trim(), by: actor.by, at: at.toISOString(), amount: input.amount };
  const pauses: PauseRecord[] = invoiceIds.length
    ? invoiceIds.map((invoiceId, i) => ({ ...common, pauseId: i === 0 ? base : `${base}.${i + 1}`, invoiceId }))
    : [{ ...common, pauseId: base }];
  for (const p of pauses) await deps.dunning.putPause(p);
  const entry = await audit(
    deps,
    actor,
    'promise',
    common.reason,
    { pauseId: base, date: input.date, amount: input.amount, ...(invoiceIds.length ? { invoiceIds } : {}) },
    input.customerId,
  );
  return { pauses, audit: entry };
}

/** Agreed payment schedule: dunning pauses until the last installment's date. */
export async function agreeSchedule(
  deps: OperatorDeps,
  actor: Actor,
  input: { customerId: string; installments: { date: CalendarDate; amount: string }[]; currency: Currency; invoiceIds?: string[]; reason: string },
): Promise<{ pauses: PauseRecord[]; until: CalendarDate; total: Money; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (!input.installments.length) issues.push({ field: 'installments', message: 'at least one installment' });
  const digits = minorUnits(input.currency);
  const seen = new Set<string>();
  input.installments.forEach((inst, i) => {
    if (seen.has(inst.date)) issues.push({ field: `installments.${i}.date`, message: 'two installments on the same date' });
    seen.add(inst.date);
    if (inst.date < today(deps)) issues.push({ field: `installments.${i}.date`, message: `must not be in the past (today is ${today(deps)})` });
    const d = new Decimal(inst.amount);
    if (!d.gt(0)) issues.push({ field: `installments.${i}.amount`, message: 'must be greater than zero' });
    if (d.decimalPlaces() > digits) issues.push({ field: `installments.${i}.amount`, message: `${input.currency} allows at most ${digits} decimals` });
  });
  if (issues.length) throw new ValidationError(issues);
  await requireCustomer(deps, input.customerId);
  const invoiceIds = [...new Set(input.invoiceIds ?? [])];
  await requireOpenInvoices(deps, input.customerId, invoiceIds, 'invoiceIds');
  const installments = [...input.installments].sort((a, b) => (a.date < b.date ? -1 : 1)).map((x) => ({ date: x.date, amount: new Decimal(x.amount).toFixed(digits) }));
  const until = installments[installments.length - 1]!.date;
  const total: Money = { amount: installments.reduce((s, x) => s.plus(x.amount), new Decimal(0)).toFixed(digits), currency: input.currency };
  const at = deps.now();
  const base = pauseIdFor('schedule', at, newId(deps));
  const common = { customerId: input.customerId, kind: 'schedule' as const, until, reason: input.reason.trim(), by: actor.by, at: at.toISOString(), amount: total, installments };
  const pauses: PauseRecord[] = invoiceIds.length
    ? invoiceIds.map((invoiceId, i) => ({ ...common, pauseId: i === 0 ? base : `${base}.${i + 1}`, invoiceId }))
    : [{ ...common, pauseId: base }];
  for (const p of pauses) await deps.dunning.putPause(p);
  const entry = await audit(deps, actor, 'schedule', common.reason, { pauseId: base, until, total, installments, currency: input.currency, ...(invoiceIds.length ? { invoiceIds } : {}) }, input.customerId);
  return { pauses, until, total, audit: entry };
}

/** Ends a pause (or every record of a promise/schedule group: `<id>` and `<id>.2`, `<id>.3` …). */
export async function resume(
  deps: OperatorDeps,
  actor: Actor,
  input: { customerId: string; pauseId: string; reason: string },
): Promise<{ resumed: string[]; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (issues.length) throw new ValidationError(issues);
  const all = await deps.dunning.pauses(input.customerId);
  const group = all.filter((p) => p.pauseId === input.pauseId || p.pauseId.startsWith(`${input.pauseId}.`));
  if (!group.length) throw new NotFoundError(`customer ${input.customerId} has no pause ${input.pauseId}`);
  const open = group.filter((p) => !p.resolved);
  if (!open.length) {
    const r = group[0]!.resolved!;
    throw new ConflictError(`pause ${input.pauseId} was already resumed by ${r.by} at ${r.at}`);
  }
  const resolved = { by: actor.by, at: deps.now().toISOString(), reason: input.reason.trim() };
  for (const p of open) await deps.dunning.resolvePause(input.customerId, p.pauseId, resolved);
  const entry = await audit(deps, actor, 'resume', resolved.reason, { pauseId: input.pauseId, resumed: open.map((p) => p.pauseId), kind: open[0]!.kind, until: open[0]!.until }, input.customerId);
  return { resumed: open.map((p) => p.pauseId), audit: entry };
}

export async function listPauses(deps: OperatorDeps, customerId: string): Promise<PauseRecord[]> {
  await requireCustomer(deps, customerId);
  return (await deps.dunning.pauses(customerId)).map(({ ...p }) => {
    const { PK: _pk, SK: _sk, kind_: _k, ...rest } = p as PauseRecord & Record<string, unknown>;
    return rest as PauseRecord;
  });
}

// ------------------------------------------------------------------------------------------------
// Period close

export async function closePeriod(deps: OperatorDeps, actor: Actor, input: { through: CalendarDate; reason: string }): Promise<{ period: PeriodClose; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (issues.length) throw new ValidationError(issues);
  const period = await deps.ledger.closePeriod(input.through, actor.by, input.reason.trim());
  const entry = await audit(deps, actor, 'period.close', input.reason.trim(), { closedThrough: period.closedThrough });
  return { period, audit: entry };
}

// ------------------------------------------------------------------------------------------------
// Runs

export interface DryRunCustomer {
  customerId: string;
  status: CustomerResult['status'];
  summary?: string;
  letters: { stage: Stage; channels: string[]; invoices: string[]; total: { amount: string; currency: string }[]; note?: string }[];
  skipped: { invoice: string; reason: string }[];
  error?: string;
}

export interface DryRunResult {
  runDate: CalendarDate;
  dryRun: true;
  customers: DryRunCustomer[];
  totals: RunTotals;
  /** More customers remain: call again with this token (the API pages to stay inside its time limit). */
  nextToken?: string;
}

/**
 * What the run of `runDate` would send, per customer and stage, and why invoices would not be dunned.
 * Reads only: no outbox record, no letter, no stage history is written.
 */
export async function dryRun(
  deps: Pick<OperatorDeps, 'processDeps' | 'lookAheadDays'>,
  input: { runDate: CalendarDate; pageToken?: string; maxCustomers?: number },
): Promise<DryRunResult> {
  const max = input.maxCustomers ?? Number.POSITIVE_INFINITY;
  const customers: DryRunCustomer[] = [];
  let totals = emptyTotals();
  let token: string | undefined = input.pageToken;
  const executionName = `dunning-run-${input.runDate}-dry-run-preview`;
  do {
    const page = await findDebtors(
      { reader: deps.processDeps.reader, lookAheadDays: deps.lookAheadDays },
      { runDate: input.runDate, pageToken: token ?? null, pageSize: Math.min(500, max - customers.length) },
    );
    const results: CustomerResult[] = [];
    for (const customerId of page.customerIds) {
      let r: CustomerResult;
      try {
        r = await processCustomer(deps.processDeps, { customerId, runDate: input.runDate, executionName, dryRun: true });
      } catch (err) {
        r = { customerId, status: 'failed', error: (err as Error).name, cause: (err as Error).message };
      }
      results.push(r);
      customers.push({
        customerId,
        status: r.status,
        ...(r.summary ? { summary: r.summary } : {}),
        letters: (r.letters ?? []).map((l) => ({ stage: l.stage, channels: l.channels, invoices: l.invoiceNumbers, total: l.total, ...(l.note ? { note: l.note } : {}) })),
        skipped: r.skipped ?? [],
        ...(r.status === 'failed' ? { error: `${r.error ?? 'Error'}: ${r.cause ?? ''}` } : {}),
      });
    }
    totals = addUp(totals, results);
    token = page.nextToken;
  } while (token && customers.length < max);
  return { runDate: input.runDate, dryRun: true, customers, totals, ...(token ? { nextToken: token } : {}) };
}

export async function startRunNow(
  deps: OperatorDeps,
  actor: Actor,
  input: { runDate: CalendarDate; rerun?: string; reason?: string },
): Promise<{ executionName: string; status: string }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  if (input.rerun !== undefined && !/^[A-Za-z0-9_-]{1,40}$/.test(input.rerun)) issues.push({ field: 'rerun', message: 'letters, digits, _ and - only (at most 40)' });
  if (input.rerun !== undefined) requireText(issues, 'reason', input.reason);
  if (issues.length) throw new ValidationError(issues);
  if (!deps.runs) throw new NotFoundError('starting a run is not available on this endpoint');
  const reason = input.reason?.trim() || 'run started by an operator';
  const result = await deps.runs.launch({ runDate: input.runDate, ...(input.rerun ? { rerun: input.rerun } : {}) });
  await audit(deps, actor, 'run.start', reason, { runDate: input.runDate, executionName: result.executionName, status: result.status, ...(input.rerun ? { rerun: input.rerun } : {}) });
  return result;
}

export async function listRun(deps: OperatorDeps, runDate: CalendarDate): Promise<{ runDate: CalendarDate; run?: Record<string, unknown>; letters: LetterRecord[]; failures: { customerId: string; error: string; cause: string }[] }> {
  const [run, letters, failures] = await Promise.all([
    deps.dunning.getRun(runDate),
    deps.dunning.lettersOfRun(runDate),
    deps.dunning.failuresOfRun ? deps.dunning.failuresOfRun(runDate) : Promise.resolve([]),
  ]);
  if (!run && !letters.length && !failures.length) throw new NotFoundError(`no run on ${runDate}`);
  const strip = <T extends object>(o: T): T => {
    const { PK: _a, SK: _b, GSI2PK: _c, GSI2SK: _d, kind: _e, ...rest } = o as T & Record<string, unknown>;
    return rest as T;
  };
  return {
    runDate,
    ...(run ? { run: strip(run) } : {}),
    letters: letters.map(strip).sort((a, b) => (a.customerId === b.customerId ? (a.stage < b.stage ? -1 : 1) : a.customerId < b.customerId ? -1 : 1)),
    failures: failures.map((f) => ({ customerId: f.customerId, error: f.error, cause: f.cause })),
  };
}

/** An ambiguous send (crash between the send call and its record) is settled by an operator who checked the mail logs. */
export async function resolveAmbiguousLetter(
  deps: OperatorDeps,
  actor: Actor,
  input: { runDate: CalendarDate; customerId: string; stage: Stage; outcome: 'sent' | 'not-sent'; reason: string },
): Promise<{ letter: { runDate: string; customerId: string; stage: string; status: string }; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (issues.length) throw new ValidationError(issues);
  const letter = await deps.dunning.getLetter(input.runDate, input.customerId, input.stage);
  if (!letter) throw new NotFoundError(`no ${input.stage} letter for customer ${input.customerId} in the run of ${input.runDate}`);
  if (letter.status !== 'ambiguous') throw new ConflictError(`the letter is ${letter.status}, not ambiguous: nothing to resolve`);
  const resolution = { by: actor.by, at: deps.now().toISOString(), reason: input.reason.trim() };
  const ok = await deps.letters.resolveAmbiguous(letter, input.outcome, resolution);
  if (!ok) throw new ConflictError('the letter changed while resolving it; read it again');
  const status = input.outcome === 'sent' ? 'sent' : 'failed';
  const entry = await audit(
    deps,
    actor,
    'letter.resolve',
    resolution.reason,
    { runDate: input.runDate, stage: input.stage, outcome: input.outcome, status, invoiceIds: letter.invoiceIds },
    input.customerId,
  );
  return { letter: { runDate: input.runDate, customerId: input.customerId, stage: input.stage, status }, audit: entry };
}

// ------------------------------------------------------------------------------------------------
// Ledger reads and imports

export async function reconciliation(
  deps: OperatorDeps,
  input: { customerId: string; from: unknown; to: unknown; currency?: unknown; pdf?: boolean },
): Promise<{ statement: ReconciliationStatement; pdf?: Uint8Array }> {
  const statement = await reconciliationStatement({ history: deps.ledger }, input.customerId, input.from, input.to, input.currency);
  if (!input.pdf) return { statement };
  return { statement, pdf: await renderReconciliationPdf(statement, deps.company) };
}

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
    { ledger: deps.ledger, directory, review: directory, ...(deps.bank.config ? { config: deps.bank.config } : {}), now: deps.now, ...(deps.logger ? { logger: deps.logger } : {}) },
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
  const entry = await audit(deps, actor, 'review.resolve', input.reason, {
    importId: input.importId,
    line: input.line,
    outcome: input.outcome,
    ...(input.customerId ? { customerId: input.customerId } : {}),
    ...(paymentId ? { paymentId, ledger: ledgerStatus } : {}),
  }, input.customerId);
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
    throw new NotFoundError(`no archived payload ${input.archiveRef}: ${(err as Error).message}`, { cause: err });
  }
  const cached: ArchiveReader = { read: async () => archive };
  const result = await replayArchived(
    { archive: cached, ledger: deps.ledger, config: deps.replay.config, now: deps.now, ...(deps.logger ? { logger: deps.logger } : {}), ...(deps.replay.deadLetters ? { deadLetters: deps.replay.deadLetters } : {}) },
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

// ------------------------------------------------------------------------------------------------
// Audit trail

/**
 * The audit trail: operator actions of a customer (newest first, with the ledger's refusals of that
 * customer's entries) or of one day (company time zone; default today).
 */
export async function auditTrail(deps: OperatorDeps, input: { customerId?: string; day?: CalendarDate; limit?: number }): Promise<{ entries: AuditEntry[] }> {
  if (input.customerId) {
    const own = await deps.audit.byCustomer(input.customerId, { limit: input.limit ?? 500 });
    const refusals = deps.ledger.listRefusals ? await deps.ledger.listRefusals({ customerId: input.customerId, limit: input.limit ?? 500 }) : [];
    const fromRefusals: AuditEntry[] = refusals.map((r) => ({
      id: `${r.origin.source}#${r.origin.eventId}`,
      at: r.at,
      day: dateInZone(new Date(r.at), deps.timeZone),
      action: 'ledger-refusal',
      by: r.origin.source,
      reason: r.message,
      customerId: r.customerId,
      details: { code: r.code, commandType: r.commandType, entryKey: r.entryKey, ...(r.entryDate ? { entryDate: r.entryDate } : {}), ...(r.closedThrough ? { closedThrough: r.closedThrough } : {}) },
    }));
    let entries = [...own, ...fromRefusals].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    if (input.day) entries = entries.filter((e) => e.day === input.day);
    return { entries: entries.slice(0, input.limit ?? 500) };
  }
  const day = input.day ?? today(deps);
  return { entries: (await deps.audit.byDay(day)).sort((a, b) => (a.at < b.at ? 1 : -1)) };
}

/** The next business day after a pause ends (what operators are told: "dunned again from …"). */
export const resumesOn = (until: CalendarDate): CalendarDate => addDays(until, 1);
