/**
 * Operator use cases on runs: a dry run (what would be sent; writes nothing), start a run or a
 * deliberate re-run, list a run's letters and failures, settle an ambiguous send. Audited.
 */
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { LetterRecord } from '../../ports/dunning.js';
import type { Actor, AuditEntry } from '../../ports/operator.js';
import { findDebtors } from '../find-debtors.js';
import { processCustomer } from '../process-customer.js';
import { addUp, emptyTotals, type CustomerResult, type RunTotals, type Stage } from '../run-totals.js';
import { audit, requireActor, requireText, type OperatorDeps } from './common.js';

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
  await audit(deps, actor, 'run.start', reason, {
    runDate: input.runDate,
    executionName: result.executionName,
    status: result.status,
    ...(input.rerun ? { rerun: input.rerun } : {}),
  });
  return result;
}

export async function listRun(
  deps: OperatorDeps,
  runDate: CalendarDate,
): Promise<{ runDate: CalendarDate; run?: Record<string, unknown>; letters: LetterRecord[]; failures: { customerId: string; error: string; cause: string }[] }> {
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
