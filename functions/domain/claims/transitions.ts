/**
 * Claim-case transitions as pure functions: each takes a case and returns a new one (never mutates),
 * or throws a typed error. Rules:
 * - one case per customer is open at a time (the store enforces it); invoices join its basis;
 * - stage history only grows: a stage is recorded once, in order (claim before litigation);
 * - reaching litigation asks for approval (status awaiting-approval);
 * - only an operator with role "legal" approves or rejects; a rejection needs a reason;
 * - litigation and the litigation package need an approval; a closed case changes no more;
 * - a case closes when its principal is paid.
 */
import { Decimal } from 'decimal.js';
import { addDays, isCalendarDate, type CalendarDate } from '../dates.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import type { RuleData } from '../rules/index.js';
import { estimateDuty, type Assessment, type CustomerIdentity } from './assess.js';
import { ApprovalRequiredError, CaseStatusError, RoleNotAllowedError } from './errors.js';
import { CLAIM_STRATEGIES, LEGAL_ROLE, STRATEGY_DEFAULTS, type CaseEvent, type CaseStage, type ClaimCase, type ClaimStrategy, type CourtType } from './model.js';
import { money } from '../money.js';

export interface Actor {
  by: string;
  /** ISO instant from the caller's clock. */
  at: string;
}

const STAGE_ORDER: Record<CaseStage, number> = { claim: 1, litigation: 2 };

const withEvent = (c: ClaimCase, e: CaseEvent): CaseEvent[] => [...c.events, e];

function assertOpen(c: ClaimCase, action: string): void {
  if (c.status === 'closed') throw new CaseStatusError(c.caseId, c.status, action);
}

function requireActor(a: Actor): void {
  const issues: FieldIssue[] = [];
  if (!a.by?.trim()) issues.push({ field: 'by', message: 'is required (who does it)' });
  if (!a.at) issues.push({ field: 'at', message: 'is required' });
  if (issues.length) throw new ValidationError(issues);
}

/** Opens a case in pre-trial work with the given figures. */
export function openCase(input: {
  caseId: string;
  customerId: string;
  customer: CustomerIdentity;
  openedOn: CalendarDate;
  stage: CaseStage;
  assessment: Assessment;
  court: CourtType;
  courtSetBy?: string;
  actor: Actor;
}): ClaimCase {
  requireActor(input.actor);
  const a = input.assessment;
  const def = STRATEGY_DEFAULTS.wait;
  const base: ClaimCase = {
    caseId: input.caseId,
    customerId: input.customerId,
    ...(input.customer.legalName ? { customerName: input.customer.legalName } : {}),
    ...(input.customer.taxId ? { taxId: input.customer.taxId } : {}),
    openedOn: input.openedOn,
    currency: a.currency,
    basis: a.basis,
    daysOverdue: a.daysOverdue,
    principal: a.principal,
    penalty: a.penalty,
    claimPrice: a.claimPrice,
    court: input.court,
    courtSetBy: input.courtSetBy ?? 'default',
    estimatedDuty: a.estimatedDuty,
    total: a.total,
    strategy: 'wait',
    expectedRecoveryPct: def.pct,
    expectedRecoveryDate: addDays(input.openedOn, def.days),
    strategySetBy: 'system',
    status: 'pre-trial',
    events: [
      {
        at: input.actor.at,
        by: input.actor.by,
        kind: 'opened',
        note: `opened at the ${input.stage} stage: ${a.basis.map((i) => i.number).join(', ')}; principal ${a.principal.amount} ${a.currency}`,
      },
    ],
    stageHistory: [],
    lastAssessedOn: input.openedOn,
    version: 0,
  };
  return reachStage(base, input.stage, input.openedOn, input.actor);
}

/** The basis ids after adding `invoiceIds` on `on` (existing ones keep their date). */
export function basisWith(c: ClaimCase | undefined, invoiceIds: readonly string[], on: CalendarDate): { invoiceId: string; addedOn: CalendarDate }[] {
  const out = (c?.basis ?? []).map((i) => ({ invoiceId: i.invoiceId, addedOn: i.addedOn }));
  const have = new Set(out.map((i) => i.invoiceId));
  for (const id of invoiceIds) {
    if (!have.has(id)) {
      out.push({ invoiceId: id, addedOn: on });
      have.add(id);
    }
  }
  return out;
}

/** Replaces the figures with a fresh assessment; records which invoices joined. */
export function applyAssessment(c: ClaimCase, a: Assessment, on: CalendarDate, actor: Actor): ClaimCase {
  assertOpen(c, 'reassess');
  requireActor(actor);
  const before = new Set(c.basis.map((i) => i.invoiceId));
  const added = a.basis.filter((i) => !before.has(i.invoiceId));
  const changed =
    added.length > 0 ||
    a.principal.amount !== c.principal.amount ||
    a.penalty.amount.amount !== c.penalty.amount.amount ||
    a.estimatedDuty.amount.amount !== c.estimatedDuty.amount.amount;
  const events = [...c.events];
  if (added.length) {
    events.push({ at: actor.at, by: actor.by, kind: 'invoices-added', note: `added ${added.map((i) => i.number).join(', ')}` });
  }
  if (changed) {
    events.push({
      at: actor.at,
      by: actor.by,
      kind: 'reassessed',
      note: `as of ${on}: principal ${a.principal.amount}, penalty ${a.penalty.amount.amount}, duty ${a.estimatedDuty.amount.amount}, total ${a.total.amount} ${a.currency}`,
    });
  }
  return {
    ...c,
    basis: a.basis,
    daysOverdue: a.daysOverdue,
    principal: a.principal,
    penalty: a.penalty,
    claimPrice: a.claimPrice,
    estimatedDuty: a.estimatedDuty,
    total: a.total,
    lastAssessedOn: on,
    events,
  };
}

/** Records a dunning stage once; a stage earlier than one already reached is ignored (never backwards). */
export function reachStage(c: ClaimCase, stage: CaseStage, on: CalendarDate, actor: Actor): ClaimCase {
  if (c.stageHistory.some((s) => s.stage === stage)) return c;
  const highest = c.stageHistory.reduce((m, s) => Math.max(m, STAGE_ORDER[s.stage]), 0);
  if (STAGE_ORDER[stage] < highest) return c;
  return {
    ...c,
    stageHistory: [...c.stageHistory, { stage, on, by: actor.by }],
    events: withEvent(c, { at: actor.at, by: actor.by, kind: 'stage-reached', note: `${stage} on ${on}` }),
  };
}

/**
 * Litigation reached: ask the legal team. pre-trial → awaiting-approval with a new request round.
 * Idempotent: a case already awaiting, approved or in litigation is returned unchanged.
 */
export function requestApproval(c: ClaimCase, on: CalendarDate, actor: Actor): ClaimCase {
  assertOpen(c, 'request approval');
  requireActor(actor);
  if (c.status !== 'pre-trial') return c;
  const round = (c.approvalRequest?.round ?? 0) + 1;
  const toCourt = c.strategySetBy === 'system' && c.strategy !== 'collect';
  const def = STRATEGY_DEFAULTS.collect;
  return {
    ...c,
    status: 'awaiting-approval',
    approvalRequest: { round, requestedOn: on, requestedAt: actor.at },
    ...(toCourt ? { strategy: 'collect' as const, expectedRecoveryPct: def.pct, expectedRecoveryDate: addDays(on, def.days) } : {}),
    events: withEvent(c, {
      at: actor.at,
      by: actor.by,
      kind: 'approval-requested',
      note: `litigation reached on ${on}: the legal team is asked to approve (round ${round})${toCourt ? '; strategy set to collect' : ''}`,
    }),
  };
}

/** The waiting workflow's token is stored on the open request (only while awaiting approval). */
export function recordWaitingToken(c: ClaimCase, token: string, executionName: string | undefined, at: string): ClaimCase {
  if (c.status !== 'awaiting-approval' || !c.approvalRequest || c.approvalRequest.decision) {
    throw new CaseStatusError(c.caseId, c.status, 'wait for approval');
  }
  if (c.approvalRequest.token === token) return c;
  return {
    ...c,
    approvalRequest: { ...c.approvalRequest, token, ...(executionName ? { executionName } : {}) },
    events: withEvent(c, { at, by: 'workflow', kind: 'approval-waiting', note: `waiting for the legal team${executionName ? ` (execution ${executionName})` : ''}` }),
  };
}

function requireLegal(role: string, action: string): void {
  if (role !== LEGAL_ROLE) throw new RoleNotAllowedError(role, action, LEGAL_ROLE);
}

/** Approval by the legal team: awaiting-approval (or pre-trial, ahead of the run) → approved. */
export function approve(c: ClaimCase, input: Actor & { role: string; note?: string }): ClaimCase {
  requireActor(input);
  requireLegal(input.role, 'approve litigation');
  if (c.status !== 'awaiting-approval' && c.status !== 'pre-trial') throw new CaseStatusError(c.caseId, c.status, 'approve');
  const approval = { by: input.by, role: input.role, at: input.at, ...(input.note ? { note: input.note } : {}) };
  const decision = { decision: 'approved' as const, ...approval };
  const request =
    c.approvalRequest && !c.approvalRequest.decision
      ? { ...c.approvalRequest, decision }
      : { round: (c.approvalRequest?.round ?? 0) + 1, requestedOn: input.at.slice(0, 10) as CalendarDate, requestedAt: input.at, decision };
  return {
    ...c,
    status: 'approved',
    approval,
    approvalRequest: request,
    events: withEvent(c, { at: input.at, by: input.by, kind: 'approved', note: input.note ?? 'litigation approved' }),
  };
}

/** Rejection by the legal team (with a reason): awaiting-approval → pre-trial. */
export function reject(c: ClaimCase, input: Actor & { role: string; note: string }): ClaimCase {
  requireActor(input);
  requireLegal(input.role, 'reject litigation');
  if (!input.note?.trim()) throw new ValidationError([{ field: 'note', message: 'a rejection needs a reason' }]);
  if (c.status !== 'awaiting-approval' || !c.approvalRequest) throw new CaseStatusError(c.caseId, c.status, 'reject');
  return {
    ...c,
    status: 'pre-trial',
    approvalRequest: { ...c.approvalRequest, decision: { decision: 'rejected', by: input.by, role: input.role, at: input.at, note: input.note } },
    events: withEvent(c, { at: input.at, by: input.by, kind: 'rejected', note: input.note }),
  };
}

const PCT_RE = /^\d{1,3}(\.\d{1,2})?$/;

/** Operator sets the strategy and its expected recovery (percent 0–100, date not before opening). */
export function setStrategy(c: ClaimCase, input: Actor & { strategy: ClaimStrategy; expectedRecoveryPct?: string; expectedRecoveryDate?: string; note?: string }): ClaimCase {
  assertOpen(c, 'change the strategy');
  requireActor(input);
  const issues: FieldIssue[] = [];
  if (!CLAIM_STRATEGIES.includes(input.strategy)) issues.push({ field: 'strategy', message: 'must be "wait", "collect" or "sell"' });
  const def = STRATEGY_DEFAULTS[input.strategy] ?? STRATEGY_DEFAULTS.wait;
  const pct = input.expectedRecoveryPct ?? def.pct;
  if (!PCT_RE.test(pct) || new Decimal(pct).gt(100)) issues.push({ field: 'expectedRecoveryPct', message: 'must be a decimal percent from 0 to 100, such as "85"' });
  const date = input.expectedRecoveryDate ?? addDays(input.at.slice(0, 10) as CalendarDate, def.days);
  if (!isCalendarDate(date)) issues.push({ field: 'expectedRecoveryDate', message: 'must be a real calendar date YYYY-MM-DD' });
  else if (date < c.openedOn) issues.push({ field: 'expectedRecoveryDate', message: `must not be before the case was opened (${c.openedOn})` });
  if (issues.length) throw new ValidationError(issues);
  return {
    ...c,
    strategy: input.strategy,
    expectedRecoveryPct: new Decimal(pct).toString(),
    expectedRecoveryDate: date as CalendarDate,
    strategySetBy: input.by,
    events: withEvent(c, {
      at: input.at,
      by: input.by,
      kind: 'strategy-set',
      note: `${input.strategy} (${def.label}): ${new Decimal(pct).toString()} % expected by ${date}${input.note ? `; ${input.note}` : ''}`,
    }),
  };
}

/** Operator changes the court type; the duty estimate follows. */
export function setCourt(c: ClaimCase, input: Actor & { court: CourtType }, rules: RuleData): ClaimCase {
  assertOpen(c, 'change the court');
  requireActor(input);
  if (input.court !== 'general' && input.court !== 'arbitration') throw new ValidationError([{ field: 'court', message: 'must be "general" or "arbitration"' }]);
  const duty = estimateDuty(c.claimPrice, input.court, c.lastAssessedOn, rules);
  return {
    ...c,
    court: input.court,
    courtSetBy: input.by,
    estimatedDuty: duty,
    total: money(new Decimal(c.claimPrice.amount).plus(duty.amount.amount), c.currency),
    events: withEvent(c, { at: input.at, by: input.by, kind: 'court-set', note: `${c.court} → ${input.court}; duty ${duty.amount.amount}` }),
  };
}

/** Throws ApprovalRequiredError unless the legal team approved the case. */
export function assertApproved(c: ClaimCase, action = 'a litigation package'): void {
  if ((c.status !== 'approved' && c.status !== 'litigation') || !c.approval || c.approval.role !== LEGAL_ROLE) {
    throw new ApprovalRequiredError(c.caseId, c.status, action);
  }
}

/**
 * The package is built. Ready to file (a sent claim covered every owed invoice and its claim period has
 * run on asOf): approved → litigation. Not yet: the case stays approved with the package and the first
 * filing day on record; a package built again on or after that day moves it on. A case already in
 * litigation stays there.
 */
export function markPackaged(
  c: ClaimCase,
  input: Actor & { manifestKey: string; manifestUri: string; asOf: CalendarDate; readyToFile?: boolean; fileFrom?: CalendarDate },
): ClaimCase {
  assertApproved(c);
  requireActor(input);
  const ready = input.readyToFile !== false;
  return {
    ...c,
    status: ready || c.status === 'litigation' ? 'litigation' : c.status,
    package: {
      manifestKey: input.manifestKey,
      manifestUri: input.manifestUri,
      asOf: input.asOf,
      builtAt: input.at,
      readyToFile: ready,
      ...(input.fileFrom ? { fileFrom: input.fileFrom } : {}),
    },
    events: withEvent(c, {
      at: input.at,
      by: input.by,
      kind: 'package-built',
      note: `litigation package as of ${input.asOf}: ${input.manifestUri}${ready ? '' : `; not ready to file: ${input.fileFrom ? `the claim period runs until ${addDays(input.fileFrom, -1)}, file from ${input.fileFrom}` : 'an owed invoice has no sent pre-trial claim'}`}`,
    }),
  };
}

/** Records a sent pre-trial claim letter (its date, its letter, the invoices it listed) once. */
export function recordClaim(c: ClaimCase, claim: { sentOn: CalendarDate; letter: string; invoiceIds: string[] }): ClaimCase {
  if ((c.claims ?? []).some((x) => x.letter === claim.letter)) return c;
  return { ...c, claims: [...(c.claims ?? []), claim] };
}

export function close(c: ClaimCase, input: Actor & { on: CalendarDate; reason: string }): ClaimCase {
  assertOpen(c, 'close');
  requireActor(input);
  if (!input.reason?.trim()) throw new ValidationError([{ field: 'reason', message: 'is required' }]);
  return {
    ...c,
    status: 'closed',
    closed: { on: input.on, reason: input.reason, by: input.by },
    events: withEvent(c, { at: input.at, by: input.by, kind: 'closed', note: input.reason }),
  };
}

/** Closes the case when the principal of its basis is paid (the case must have been reassessed). */
export function closeIfPaid(c: ClaimCase, on: CalendarDate, actor: Actor): ClaimCase {
  if (c.status === 'closed' || c.basis.length === 0 || new Decimal(c.principal.amount).gt(0)) return c;
  const penalty = new Decimal(c.penalty.amount.amount);
  return close(c, {
    ...actor,
    on,
    reason: `paid: no principal outstanding on ${on}${penalty.gt(0) ? ` (accrued penalty ${c.penalty.amount.amount} ${c.currency} not claimed)` : ''}`,
  });
}
