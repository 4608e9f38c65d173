/**
 * Claim-case use cases (претензионно-исковая работа).
 *
 * - onStageReached: the one hook the dunning run calls for a customer at the claim or litigation
 *   stage. Claim: opens the customer's case (idempotently: one open case per customer) or adds the
 *   invoices to it. Litigation: the same, then asks the legal team (status awaiting-approval) and
 *   starts the ClaimCase workflow, which waits for the decision.
 * - ClaimCase workflow steps: recordForApproval, awaitApproval (stores the task token; answers at once
 *   when the decision is already there), buildLitigationPackage.
 * - Operator actions: approveCase / rejectCase (role "legal" only; completes the waiting execution),
 *   setStrategy, setCourt, closeCase, refreshCase (re-assess; closes a paid case), getCase, listCases.
 *
 * Every change is read → pure transition → save with the version read (bounded retry on conflict).
 */
import { createHash } from 'node:crypto';
import { dateInZone, type CalendarDate } from '../domain/dates.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { LedgerState } from '../domain/ledger/fold.js';
import { defaultRules, type RuleData } from '../domain/rules/index.js';
import {
  applyAssessment,
  approve,
  assertApproved,
  assess,
  basisWith,
  caseIdFor,
  close,
  closeIfPaid,
  CLAIM_STATUSES,
  defaultCourt,
  markPackaged,
  recordClaim,
  openCase,
  packageFacts,
  reachStage,
  recordWaitingToken,
  reject,
  requestApproval,
  setCourt as setCourtT,
  setStrategy as setStrategyT,
  type Actor,
  type CaseStage,
  type ClaimCase,
  type ClaimStatus,
  type ClaimStrategy,
  type CourtType,
  type LetterProof,
} from '../domain/claims/index.js';
import type { CustomerProfileView, DocumentStore, Logger } from '../ports/index.js';
import type { ApprovalSignal, CaseFlowStarter, ClaimCaseStore, ClaimsLedger, LetterLog, SignalOutcome } from '../ports/claims.js';
import { retry, retryOnConflict } from '../util/retry.js';
import { buildManifest, renderLitigationPackage, type LetterCopy, type ManifestFile, type PackageManifest } from '../render/litigation-package.js';
import type { CompanyInfo } from '../render/reconciliation-pdf.js';

// ------------------------------------------------------------------------------------------------
// Dependencies (the interfaces are in functions/ports/claims.ts)

export interface ClaimsDeps {
  cases: ClaimCaseStore;
  ledger: ClaimsLedger;
  letters: LetterLog;
  documents: DocumentStore;
  company: CompanyInfo;
  /** Company time zone: "today" for operator actions and packages. */
  timeZone: string;
  now: () => Date;
  rules?: RuleData;
  /** Absent: approval is recorded on the case only (the package can still be built by the CLI). */
  approval?: ApprovalSignal;
  /** Absent: no workflow is started (the case still waits in status awaiting-approval). */
  flow?: CaseFlowStarter;
  logger?: Logger;
}

// ------------------------------------------------------------------------------------------------
// Helpers

const MAX_ATTEMPTS = 8;
const rulesOf = (deps: ClaimsDeps) => (deps.rules ??= defaultRules());
const today = (deps: ClaimsDeps): CalendarDate => dateInZone(deps.now(), deps.timeZone);
const actor = (deps: ClaimsDeps, by: string): Actor => ({ by, at: deps.now().toISOString() });
const same = (a: ClaimCase, b: ClaimCase) => JSON.stringify(a) === JSON.stringify(b);

async function load(deps: ClaimsDeps, caseId: string): Promise<ClaimCase> {
  const c = await deps.cases.get(caseId);
  if (!c) throw new NotFoundError(`claim case ${caseId} not found`);
  return c;
}

/** Read → change → save with the version read; re-read and retry (with backoff) on a concurrent change. */
async function mutate(deps: ClaimsDeps, caseId: string, change: (c: ClaimCase) => ClaimCase | Promise<ClaimCase>): Promise<ClaimCase> {
  return retryOnConflict(
    async () => {
      const current = await load(deps, caseId);
      const next = await change(current);
      if (same(current, next)) return current;
      return saveOrRetry(deps, next);
    },
    { maxAttempts: MAX_ATTEMPTS },
  );
}

/** Saves the case; a version conflict asks for another round. */
async function saveOrRetry(deps: ClaimsDeps, c: ClaimCase) {
  try {
    return await deps.cases.save(c);
  } catch (err) {
    if (err instanceof ConflictError) return retry(err);
    throw err;
  }
}

export const flowExecutionName = (c: Pick<ClaimCase, 'caseId' | 'approvalRequest'>): string => `${c.caseId}-r${c.approvalRequest?.round ?? 1}`;

async function startFlow(deps: ClaimsDeps, c: ClaimCase): Promise<'started' | 'exists' | 'not-configured' | 'not-needed'> {
  if (c.status !== 'awaiting-approval' || !c.approvalRequest || c.approvalRequest.decision) return 'not-needed';
  if (!deps.flow) return 'not-configured';
  const r = await deps.flow.start(flowExecutionName(c), { caseId: c.caseId, customerId: c.customerId, round: c.approvalRequest.round });
  deps.logger?.info('claim case workflow', { caseId: c.caseId, execution: flowExecutionName(c), started: r !== 'exists' });
  return r === 'exists' ? 'exists' : 'started';
}

// ------------------------------------------------------------------------------------------------
// The dunning run's hook

export interface StageReachedInput {
  customerId: string;
  runDate: CalendarDate;
  /** Any dunning stage; only 'claim' and 'litigation' act. */
  stage: string;
  /** The invoices the run put at this stage (OpenInvoiceView fits). */
  invoices: { invoiceId: string; number?: string; dueDate?: string; outstanding?: unknown }[];
  /** Who acts (default "dunning-run"). */
  by?: string;
  /** What the caller already read (the run's customer snapshot): saves the reads. */
  known?: KnownCustomer;
}

/**
 * A caller's fresh read of the customer. `openCase`: the open case as read (null: none was open). A stale
 * open case only costs a retry: saving a case is conditioned on its version, opening one on the pointer.
 */
export interface KnownCustomer {
  profile?: CustomerProfileView;
  state?: LedgerState;
  openCase?: ClaimCase | null;
}

export interface StageReachedResult {
  action: 'none' | 'opened' | 'updated' | 'unchanged';
  caseId?: string;
  status?: ClaimStatus;
  /** Whether the ClaimCase workflow was started for the approval. */
  flow?: 'started' | 'exists' | 'not-configured' | 'not-needed';
  reason?: string;
}

/** The one hook the dunning run calls after a letter of a stage went out (or was already out). */
export async function onStageReached(deps: ClaimsDeps, input: StageReachedInput): Promise<StageReachedResult> {
  if (input.stage !== 'claim' && input.stage !== 'litigation') return { action: 'none', reason: `stage ${input.stage} does not concern claim cases` };
  return openCaseIfNeeded(deps, { ...input, stage: input.stage });
}

/**
 * Opens the customer's case (one open case per customer) or adds the invoices to it and re-assesses
 * it as of the run date; at litigation, asks for approval and starts the workflow. Idempotent: the
 * same call again changes nothing (and does not start a second workflow).
 */
export async function openCaseIfNeeded(
  deps: ClaimsDeps,
  input: { customerId: string; runDate: CalendarDate; invoices: { invoiceId: string }[]; stage: CaseStage; by?: string; known?: KnownCustomer },
): Promise<StageReachedResult> {
  const rules = rulesOf(deps);
  const by = input.by ?? 'dunning-run';
  const ids = input.invoices.map((i) => i.invoiceId);
  const known = input.known ?? {};
  const [profile, state] = await Promise.all([known.profile ?? deps.ledger.getProfile(input.customerId), known.state ?? deps.ledger.ledgerState(input.customerId)]);
  const identity = { legalName: profile?.legalName ?? state.customer?.legalName, taxId: profile?.taxId ?? state.customer?.taxId };

  return retryOnConflict<StageReachedResult>(
    async (attempt) => {
      const existing = attempt === 1 && known.openCase !== undefined ? (known.openCase ?? undefined) : await deps.cases.openCaseOf(input.customerId);
      const who = actor(deps, by);
      if (!existing) {
        const caseId = caseIdFor(input.customerId, input.runDate);
        const court = defaultCourt(identity);
        const a = assess({ caseId, state, invoices: basisWith(undefined, ids, input.runDate), asOf: input.runDate, court, rules });
        if (!a.basis.length) return { action: 'none', reason: `no known invoice among ${ids.join(', ') || '(none)'}` };
        let c = openCase({ caseId, customerId: input.customerId, customer: identity, openedOn: input.runDate, stage: input.stage, assessment: a, court, actor: who });
        if (input.stage === 'claim') c = recordClaim(c, { sentOn: input.runDate, letter: letterPdfKey(input.runDate, input.customerId, 'claim'), invoiceIds: ids });
        if (input.stage === 'litigation') c = requestApproval(c, input.runDate, who);
        const r = await deps.cases.create(c);
        if (r.created) {
          deps.logger?.info('claim case opened', { caseId, customerId: input.customerId, stage: input.stage });
          return { action: 'opened', caseId, status: r.case.status, flow: await startFlow(deps, r.case) };
        }
        // Someone else opened it: update that one (at once: this is not contention on one item).
        return retry(new ConflictError(`could not open a case for ${input.customerId}`), { backoff: false });
      }
      let c = applyAssessment(
        existing,
        assess({
          caseId: existing.caseId,
          state,
          invoices: basisWith(existing, ids, input.runDate),
          asOf: input.runDate,
          court: existing.court,
          rules,
          currency: existing.currency,
        }),
        input.runDate,
        who,
      );
      c = reachStage(c, input.stage, input.runDate, who);
      if (input.stage === 'claim') c = recordClaim(c, { sentOn: input.runDate, letter: letterPdfKey(input.runDate, input.customerId, 'claim'), invoiceIds: ids });
      if (input.stage === 'litigation') c = requestApproval(c, input.runDate, who);
      if (same(existing, c)) {
        return { action: 'unchanged', caseId: existing.caseId, status: existing.status, flow: input.stage === 'litigation' ? await startFlow(deps, existing) : 'not-needed' };
      }
      const saved = await saveOrRetry(deps, c);
      if ('retry' in saved) return saved;
      return { action: 'updated', caseId: saved.caseId, status: saved.status, flow: input.stage === 'litigation' ? await startFlow(deps, saved) : 'not-needed' };
    },
    { maxAttempts: MAX_ATTEMPTS },
  );
}

// ------------------------------------------------------------------------------------------------
// ClaimCase workflow steps

export interface CaseBrief {
  caseId: string;
  customerId: string;
  customerName?: string;
  status: ClaimStatus;
  round?: number;
  court: CourtType;
  principal: string;
  penalty: string;
  claimPrice: string;
  duty: string;
  total: string;
  currency: string;
  strategy: ClaimStrategy;
}

export const briefOf = (c: ClaimCase): CaseBrief => ({
  caseId: c.caseId,
  customerId: c.customerId,
  ...(c.customerName ? { customerName: c.customerName } : {}),
  status: c.status,
  ...(c.approvalRequest ? { round: c.approvalRequest.round } : {}),
  court: c.court,
  principal: c.principal.amount,
  penalty: c.penalty.amount.amount,
  claimPrice: c.claimPrice.amount,
  duty: c.estimatedDuty.amount.amount,
  total: c.total.amount,
  currency: c.currency,
  strategy: c.strategy,
});

/** Step "Record the case for approval": makes sure the case awaits the legal team; returns its brief. */
export async function recordForApproval(deps: ClaimsDeps, input: { caseId: string; executionName?: string }): Promise<CaseBrief> {
  const c = await mutate(deps, input.caseId, (c) => (c.status === 'pre-trial' ? requestApproval(c, today(deps), actor(deps, 'workflow')) : c));
  return briefOf(c);
}

export interface ApprovalDecision extends Record<string, unknown> {
  decision: 'approved' | 'rejected';
  caseId: string;
  by?: string;
  role?: string;
  at?: string;
  note?: string;
  reason?: string;
}

/** The decision already on the case, if any (what the waiting execution should continue with). */
export function decisionOf(c: ClaimCase, round?: number): ApprovalDecision | undefined {
  if (c.status === 'approved' || c.status === 'litigation') {
    return { decision: 'approved', caseId: c.caseId, ...(c.approval ?? {}) };
  }
  if (c.status === 'closed') return { decision: 'rejected', caseId: c.caseId, reason: `case closed: ${c.closed?.reason ?? ''}`.trim() };
  const req = c.approvalRequest;
  if (round !== undefined && req && req.round > round) return { decision: 'rejected', caseId: c.caseId, reason: `superseded by approval request round ${req.round}` };
  if (c.status === 'pre-trial') {
    if (req?.decision?.decision === 'rejected' && (round === undefined || req.round === round)) {
      return { decision: 'rejected', caseId: c.caseId, by: req.decision.by, role: req.decision.role, at: req.decision.at, reason: req.decision.note ?? 'rejected' };
    }
    if (round === undefined || (req?.round ?? 0) >= round) return { decision: 'rejected', caseId: c.caseId, reason: 'the case is not awaiting approval' };
  }
  return undefined;
}

/**
 * Step "Wait for the legal team's approval": stores the task token on the case. When the decision is
 * already there (approved ahead, or approved between the two steps), answers the token at once.
 */
export async function awaitApproval(
  deps: ClaimsDeps,
  input: { caseId: string; taskToken: string; executionName?: string },
): Promise<{ waiting: boolean; decision?: ApprovalDecision; round?: number }> {
  let decided: ApprovalDecision | undefined;
  const saved = await mutate(deps, input.caseId, (c) => {
    decided = undefined;
    if (c.status === 'awaiting-approval' && c.approvalRequest && !c.approvalRequest.decision) {
      return recordWaitingToken(c, input.taskToken, input.executionName, deps.now().toISOString());
    }
    decided = decisionOf(c) ?? { decision: 'rejected', caseId: c.caseId, reason: `the case is ${c.status}` };
    return c;
  });
  if (!decided) return { waiting: true, ...(saved.approvalRequest ? { round: saved.approvalRequest.round } : {}) };
  if (deps.approval) {
    if (decided.decision === 'approved') await deps.approval.approve(input.taskToken, decided);
    else await deps.approval.reject(input.taskToken, decided.reason ?? 'rejected', decided);
  }
  return { waiting: false, decision: decided };
}

// ------------------------------------------------------------------------------------------------
// Operator actions

export interface DecisionResult {
  case: ClaimCase;
  /** What happened to the waiting execution. */
  signal: SignalOutcome | 'no-token' | 'not-configured';
}

async function signal(deps: ClaimsDeps, c: ClaimCase, d: ApprovalDecision): Promise<DecisionResult['signal']> {
  const token = c.approvalRequest?.token;
  if (!token) return 'no-token';
  if (!deps.approval) return 'not-configured';
  const r = d.decision === 'approved' ? await deps.approval.approve(token, d) : await deps.approval.reject(token, d.reason ?? 'rejected', d);
  if (r === 'gone') deps.logger?.warn('the waiting execution no longer accepts the decision', { caseId: c.caseId, decision: d.decision });
  return r;
}

/** Approval by an operator with role "legal": the case moves on to the litigation package. */
export async function approveCase(deps: ClaimsDeps, input: { caseId: string; by: string; role: string; note?: string }): Promise<DecisionResult> {
  const c = await mutate(deps, input.caseId, (c) => approve(c, { ...actor(deps, input.by), role: input.role, ...(input.note ? { note: input.note } : {}) }));
  return { case: c, signal: await signal(deps, c, decisionOf(c)!) };
}

/** Rejection by the legal team (with a reason): the case stays in pre-trial work. */
export async function rejectCase(deps: ClaimsDeps, input: { caseId: string; by: string; role: string; note: string }): Promise<DecisionResult> {
  const c = await mutate(deps, input.caseId, (c) => reject(c, { ...actor(deps, input.by), role: input.role, note: input.note }));
  const req = c.approvalRequest!;
  return {
    case: c,
    signal: await signal(deps, c, { decision: 'rejected', caseId: c.caseId, by: input.by, role: input.role, at: req.decision!.at, reason: input.note }),
  };
}

export async function setStrategy(
  deps: ClaimsDeps,
  input: { caseId: string; strategy: ClaimStrategy; expectedRecoveryPct?: string; expectedRecoveryDate?: string; by: string; note?: string },
): Promise<ClaimCase> {
  return mutate(deps, input.caseId, (c) =>
    setStrategyT(c, {
      ...actor(deps, input.by),
      strategy: input.strategy,
      ...(input.expectedRecoveryPct !== undefined ? { expectedRecoveryPct: input.expectedRecoveryPct } : {}),
      ...(input.expectedRecoveryDate !== undefined ? { expectedRecoveryDate: input.expectedRecoveryDate } : {}),
      ...(input.note ? { note: input.note } : {}),
    }),
  );
}

export async function setCourt(deps: ClaimsDeps, input: { caseId: string; court: CourtType; by: string }): Promise<ClaimCase> {
  return mutate(deps, input.caseId, (c) => setCourtT(c, { ...actor(deps, input.by), court: input.court }, rulesOf(deps)));
}

export async function closeCase(deps: ClaimsDeps, input: { caseId: string; by: string; reason: string }): Promise<ClaimCase> {
  return mutate(deps, input.caseId, (c) => close(c, { ...actor(deps, input.by), on: today(deps), reason: input.reason }));
}

/** Re-assesses the case from the ledger as of `asOf` (default today) and closes it when paid. */
export async function refreshCase(deps: ClaimsDeps, input: { caseId: string; asOf?: CalendarDate; by?: string }): Promise<ClaimCase> {
  const asOf = input.asOf ?? today(deps);
  const by = input.by ?? 'system';
  return mutate(deps, input.caseId, async (c) => {
    if (c.status === 'closed') return c;
    const state = await deps.ledger.ledgerState(c.customerId);
    const a = assess({ caseId: c.caseId, state, invoices: basisWith(c, [], asOf), asOf, court: c.court, rules: rulesOf(deps), currency: c.currency });
    const who = actor(deps, by);
    return closeIfPaid(applyAssessment(c, a, asOf, who), asOf, who);
  });
}

/** Re-assesses every open case (e.g. at the end of a dunning run); returns the ids of cases closed as paid. */
export async function refreshOpenCases(deps: ClaimsDeps, input: { asOf?: CalendarDate; by?: string } = {}): Promise<{ refreshed: number; closed: string[] }> {
  const open = await listCases(deps);
  const closed: string[] = [];
  for (const c of open) {
    const r = await refreshCase(deps, { caseId: c.caseId, ...(input.asOf ? { asOf: input.asOf } : {}), ...(input.by ? { by: input.by } : {}) });
    if (r.status === 'closed') closed.push(r.caseId);
  }
  return { refreshed: open.length, closed };
}

export async function getCase(deps: ClaimsDeps, caseId: string): Promise<ClaimCase> {
  return load(deps, caseId);
}

/** Cases by status (default: every status but closed), or all cases of a customer. */
export async function listCases(deps: ClaimsDeps, filter: { status?: ClaimStatus; customerId?: string } = {}): Promise<ClaimCase[]> {
  if (filter.status && !CLAIM_STATUSES.includes(filter.status)) {
    throw new ValidationError([{ field: 'status', message: `must be one of ${CLAIM_STATUSES.join(', ')}` }]);
  }
  let list: ClaimCase[];
  if (filter.customerId) {
    list = (await deps.cases.listOfCustomer(filter.customerId)).filter((c) => !filter.status || c.status === filter.status);
  } else {
    const statuses = filter.status ? [filter.status] : CLAIM_STATUSES.filter((s) => s !== 'closed');
    list = (await Promise.all(statuses.map((s) => deps.cases.listByStatus(s)))).flat();
  }
  return list.sort((a, b) => (a.openedOn < b.openedOn ? -1 : a.openedOn > b.openedOn ? 1 : a.caseId < b.caseId ? -1 : 1));
}

// ------------------------------------------------------------------------------------------------
// Litigation package

export const packagePrefix = (caseId: string) => `cases/${caseId}`;
/** Where the dunning run stores a letter's PDF (functions/app/process-customer.ts letterDocumentKey). */
const letterPdfKey = (runDate: string, customerId: string, stage: string) => `letters/${runDate}/${stage}/${customerId}.pdf`;

/**
 * Builds and stores the litigation package of an approved case (refuses otherwise with
 * ApprovalRequiredError): the files of render/litigation-package.ts under `cases/<caseId>/`, then
 * `cases/<caseId>/manifest.json` listing every file with its URI, size and SHA-256. The case moves to
 * litigation, re-assessed as of `asOf` (the filing date the duty is computed for).
 */
export async function buildLitigationPackage(deps: ClaimsDeps, caseId: string, asOf?: CalendarDate, by = 'workflow'): Promise<PackageManifest> {
  const on = asOf ?? today(deps);
  const rules = rulesOf(deps);
  const c0 = await load(deps, caseId);
  assertApproved(c0);
  const [state, letterRecords] = await Promise.all([deps.ledger.ledgerState(c0.customerId), deps.letters.lettersOfCustomer(c0.customerId)]);
  const a = assess({ caseId, state, invoices: basisWith(c0, [], on), asOf: on, court: c0.court, rules, currency: c0.currency });
  const c = applyAssessment(c0, a, on, actor(deps, by));
  const letters: LetterProof[] = letterRecords.map((l) => ({
    stage: l.stage,
    runDate: l.runDate as CalendarDate,
    status: l.status,
    ...(l.documentUri ? { documentUri: l.documentUri } : {}),
    ...(l.messageId ? { messageId: l.messageId } : {}),
    ...(l.channels ? { channels: l.channels } : {}),
    ...(l.invoiceIds ? { invoiceIds: l.invoiceIds } : {}),
  }));
  const facts = packageFacts({ c, assessment: a, letters, asOf: on, rules, contracts: state.contracts });

  const copies: LetterCopy[] = [];
  for (const l of facts.letters) {
    const body = await deps.documents.get(letterPdfKey(l.runDate, c.customerId, l.stage));
    if (body) copies.push({ stage: l.stage, runDate: l.runDate, body });
  }
  const from = a.basis.reduce<CalendarDate>((m, i) => (i.issueDate < m ? i.issueDate : m), on);
  const reconciliation = await deps.ledger.reconciliation(c.customerId, from, on, c.currency);
  const files = await renderLitigationPackage({
    claimCase: c,
    facts,
    ...(a.penaltyDetail ? { penalty: a.penaltyDetail } : {}),
    reconciliation,
    company: deps.company,
    letterCopies: copies,
  });

  const stored: ManifestFile[] = [];
  for (const f of files) {
    const key = `${packagePrefix(caseId)}/${f.name}`;
    const body = typeof f.body === 'string' ? Buffer.from(f.body, 'utf8') : f.body;
    const { uri } = await deps.documents.put(key, body, f.contentType);
    stored.push({ name: f.name, key, uri, contentType: f.contentType, bytes: body.byteLength, sha256: createHash('sha256').update(body).digest('hex'), title: f.title });
  }
  const builtAt = deps.now().toISOString();
  const manifest = buildManifest(c, facts, stored, builtAt);
  const manifestKey = `${packagePrefix(caseId)}/manifest.json`;
  const { uri: manifestUri } = await deps.documents.put(manifestKey, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');

  await mutate(deps, caseId, (cur) =>
    markPackaged(applyAssessment(cur, a, on, actor(deps, by)), {
      ...actor(deps, by),
      manifestKey,
      manifestUri,
      asOf: on,
      readyToFile: facts.readyToFile,
      ...(facts.pretrialClaim ? { fileFrom: facts.pretrialClaim.fileFrom } : {}),
    }),
  );
  deps.logger?.info('litigation package built', { caseId, manifestUri, files: stored.length, warnings: manifest.warnings.map((w) => w.code) });
  return manifest;
}
