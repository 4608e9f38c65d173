/**
 * Local approval wait: the local runner has no task tokens, so the state "Wait for the legal team's
 * approval" is overridden in-process (bin/local/stack.ts wires it). Local only: nothing in
 * functions/ depends on this file.
 */
import { ValidationError } from '../../functions/domain/errors.js';
import { awaitApproval, decisionOf, getCase, type ApprovalDecision, type ClaimsDeps } from '../../functions/app/claims.js';
import type { ApprovalSignal, SignalOutcome } from '../../functions/ports/claims.js';
import { claimCaseSteps } from '../../functions/handlers/claim-case.js';

/**
 * In-process fast path for the local stack: approveCase/rejectCase (with this as deps.approval) hand
 * the decision straight to the waiting local execution. Decisions made in another process (the CLI)
 * reach it through the table, which localApprovalWaiter polls.
 */
export class LocalApprovalHub implements ApprovalSignal {
  private readonly waiters = new Map<string, (d: ApprovalDecision) => void>();
  register(token: string, resolve: (d: ApprovalDecision) => void): () => void {
    this.waiters.set(token, resolve);
    return () => {
      if (this.waiters.get(token) === resolve) this.waiters.delete(token);
    };
  }
  get waiting(): string[] {
    return [...this.waiters.keys()];
  }
  async approve(token: string, output: Record<string, unknown>): Promise<SignalOutcome> {
    this.waiters.get(token)?.({ ...(output as ApprovalDecision), decision: 'approved' });
    return 'sent'; // the decision is on the case: a waiter in another process reads it from there
  }
  async reject(token: string, reason: string, output: Record<string, unknown> = {}): Promise<SignalOutcome> {
    this.waiters.get(token)?.({ ...(output as ApprovalDecision), decision: 'rejected', reason });
    return 'sent';
  }
}

/** Thrown when a local wait gives up; the state machine catches it like a task timeout. */
export class LocalApprovalTimeout extends Error {
  constructor(caseId: string, ms: number) {
    super(`no decision on case ${caseId} within ${ms} ms`);
    this.name = 'States.Timeout';
  }
}

export interface LocalWaiterOptions {
  /** How often the case record is read (default 1000 ms). */
  pollMs?: number;
  /** Give up after this long (default 14 days, as the deployed task timeout). */
  maxWaitMs?: number;
  hub?: LocalApprovalHub;
  signal?: AbortSignal;
}

/**
 * The local override for the state "Wait for the legal team's approval": stores the (local) token on
 * the case like the Lambda does, then resolves with the decision when the case record shows it
 * (polled every `pollMs`), or at once through the hub when approveCase runs in this process.
 * Input: what the state hands its Resource: {FunctionName, Payload: {caseId, taskToken, executionName}}.
 */
export function localApprovalWaiter(deps: ClaimsDeps, opts: LocalWaiterOptions = {}): (input: unknown) => Promise<ApprovalDecision> {
  const pollMs = opts.pollMs ?? 1000;
  const maxWaitMs = opts.maxWaitMs ?? 14 * 24 * 3600 * 1000;
  return async (input: unknown) => {
    const payload = ((input as { Payload?: unknown })?.Payload ?? input) as { caseId?: string; taskToken?: string; executionName?: string };
    if (!payload.caseId || !payload.taskToken) throw new ValidationError([{ field: 'Payload', message: 'needs caseId and taskToken' }]);
    const { caseId, taskToken } = payload;
    const first = await awaitApproval({ ...deps, approval: undefined }, { caseId, taskToken, ...(payload.executionName ? { executionName: payload.executionName } : {}) });
    if (!first.waiting) return first.decision!;
    const round = first.round;
    return new Promise<ApprovalDecision>((resolve, reject) => {
      let settled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        clearTimeout(deadline);
        unregister();
        opts.signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const unregister = opts.hub?.register(taskToken, (d) => finish(() => resolve(d))) ?? (() => undefined);
      const deadline = setTimeout(() => finish(() => reject(new LocalApprovalTimeout(caseId, maxWaitMs))), maxWaitMs);
      const onAbort = () => finish(() => reject(new Error('aborted')));
      // The stack may have stopped while the first read was in flight: an abort listener added now would
      // never fire, and the poll and deadline timers would keep the process alive (10 minutes, 14 days).
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort);
      const poll = async () => {
        if (settled) return;
        try {
          const d = decisionOf(await getCase(deps, caseId), round);
          if (d) return finish(() => resolve(d));
        } catch (err) {
          return finish(() => reject(err));
        }
        if (!settled) timer = setTimeout(() => void poll(), pollMs);
      };
      timer = setTimeout(() => void poll(), pollMs);
    });
  };
}

/**
 * Handlers for executeLocally (bin/local/state-machine.ts) with arns = localClaimCaseResources(): the
 * same record and package steps as the Lambda; the wait state runs localApprovalWaiter instead of a
 * task token.
 */
export function claimCaseLocalHandlers(deps: ClaimsDeps, waiter: LocalWaiterOptions = {}) {
  const steps = claimCaseSteps(deps);
  return { recordCase: steps.recordCase, waitForApproval: localApprovalWaiter(deps, waiter), buildPackage: steps.buildPackage };
}
