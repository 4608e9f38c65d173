/**
 * The ClaimCase state machine executed locally (aws-local-stepfunctions through executeLocally) over
 * the real handlers: the execution waits in "Wait for the legal team's approval" until a decision
 * reaches the case, from another "process" (the table, polled) or in-process (the hub).
 */
import { describe, expect, it } from 'vitest';
import { executeLocally, type LocalExecution } from '../../bin/local/state-machine.js';
import { CLAIM_STATE, localClaimCaseAsl, localClaimCaseResources } from '../../workflows/claim-case.js';
import { claimCaseLocalHandlers, LocalApprovalHub } from '../../bin/local/approval.js';
import { approveCase, onStageReached, rejectCase, type ClaimsDeps } from '../../functions/app/claims.js';
import { composeClaims } from '../../functions/adapters/compose-claims.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { freshTable } from '../support/dynamo.js';
import { depsWith, MemoryDocuments, MemoryLedger, smirnovLedger } from '../unit/claims/fakes.js';

const RUN = '2025-09-02' as CalendarDate;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Bounded wait for the execution to reach the wait state (the token is on the case). */
async function untilWaiting(deps: ClaimsDeps, caseId: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const token = (await deps.cases.get(caseId))?.approvalRequest?.token;
    if (token) return token;
    await sleep(25);
  }
  throw new Error('the execution never reached the wait state');
}

function run(deps: ClaimsDeps, caseId: string, opts: { hub?: LocalApprovalHub } = {}): Promise<LocalExecution> {
  return executeLocally({
    asl: localClaimCaseAsl() as never,
    arns: localClaimCaseResources(),
    handlers: claimCaseLocalHandlers(deps, { pollMs: 20, maxWaitMs: 30_000, ...(opts.hub ? { hub: opts.hub } : {}) }),
    input: { caseId, customerId: 'smirnov', round: 1 },
    executionName: `${caseId}-r1`,
  });
}

describe('ClaimCase state machine, local execution', () => {
  it('waits for the approval given through the table (as `claimflow case approve` in another process), then builds the package', async () => {
    // Prepare: ledger and cases in DynamoDB Local, wired as the local stack would
    const { doc, tableName } = await freshTable('claimflow');
    const documents = new MemoryDocuments();
    const base = { doc, tableName, documents, company: { name: 'ООО «Пример Поставки»' }, timeZone: 'Europe/Moscow', now: () => new Date('2025-09-02T09:00:00Z') };
    const runner = composeClaims(base);
    for (const [i, c] of smirnovLedger().entries()) await runner.ledger.apply(c, { source: 'test', eventId: `e${i}`, receivedAt: '2025-09-01T00:00:00Z' });
    const { caseId } = await onStageReached(runner, { customerId: 'smirnov', runDate: RUN, stage: 'litigation', invoices: [{ invoiceId: 'inv-501' }] });
    const cli = composeClaims(base); // the CLI: its own store, no signal to the runner
    // Act
    const execution = run(runner, caseId!);
    const token = await untilWaiting(cli, caseId!);
    const decided = await approveCase(cli, { caseId: caseId!, by: 'lawyer', role: 'legal' });
    const done = await execution;
    // Assess
    expect(token).toBe(`${caseId}-r1`);
    expect(decided.signal).toBe('not-configured');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.visits.filter((v) => v.event === 'entered').map((v) => v.name)).toEqual([
      CLAIM_STATE.record,
      CLAIM_STATE.wait,
      CLAIM_STATE.approved,
      CLAIM_STATE.build,
      CLAIM_STATE.readyToFile,
      CLAIM_STATE.claimPeriod,
    ]);
    const out = done.output as { case: { status: string; total: string }; decision: { decision: string; by: string }; package: { manifest: string; duty: string; total: string } };
    expect(out.case).toMatchObject({ status: 'awaiting-approval', total: '95720.00' });
    expect(out.decision).toMatchObject({ decision: 'approved', by: 'lawyer' });
    expect(out.package).toMatchObject({ manifest: `cases/${caseId}/manifest.json`, duty: '8000', total: '95720.00' });
    expect(documents.files.has(`cases/${caseId}/manifest.json`)).toBe(true);
    // No sent claim letter is on record for the invoice: the package is built, the case is not ready to file.
    expect(out.package).toMatchObject({ readyToFile: false });
    expect((await cli.cases.get(caseId!))?.status).toBe('approved');
  });

  it('a rejection handed over in-process ends in "Case stays in pre-trial work" without a package', async () => {
    // Prepare
    const hub = new LocalApprovalHub();
    const deps = depsWith(new MemoryLedger(smirnovLedger()), { approval: hub });
    const { caseId } = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN, stage: 'litigation', invoices: [{ invoiceId: 'inv-501' }] });
    // Act
    const execution = run(deps, caseId!, { hub });
    await untilWaiting(deps, caseId!);
    const r = await rejectCase(deps, { caseId: caseId!, by: 'lawyer', role: 'legal', note: 'ждем оплату по графику' });
    const done = await execution;
    // Assess
    expect(r.signal).toBe('sent');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.visits.filter((v) => v.event === 'entered').map((v) => v.name)).toEqual([CLAIM_STATE.record, CLAIM_STATE.wait, CLAIM_STATE.approved, CLAIM_STATE.stays]);
    expect((done.output as { decision: { decision: string; reason: string } }).decision).toMatchObject({ decision: 'rejected', reason: 'ждем оплату по графику' });
    expect(deps.documents.files.size).toBe(0);
    expect(hub.waiting).toEqual([]);
    expect(deps.cases.cases.get(caseId!)?.status).toBe('pre-trial');
  });

  it('a non-legal approval attempt leaves the execution waiting until the lawyer decides', async () => {
    // Prepare
    const hub = new LocalApprovalHub();
    const deps = depsWith(new MemoryLedger(smirnovLedger()), { approval: hub });
    const { caseId } = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN, stage: 'litigation', invoices: [{ invoiceId: 'inv-501' }] });
    const execution = run(deps, caseId!, { hub });
    await untilWaiting(deps, caseId!);
    // Act
    const refused = await approveCase(deps, { caseId: caseId!, by: 'anna', role: 'collections' }).catch((e: Error) => e.name);
    const stillWaiting = [...hub.waiting];
    await approveCase(deps, { caseId: caseId!, by: 'lawyer', role: 'legal' });
    const done = await execution;
    // Assess
    expect(refused).toBe('RoleNotAllowedError');
    expect(stillWaiting).toEqual([`${caseId}-r1`]);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.visits.some((v) => v.name === CLAIM_STATE.claimPeriod && v.event === 'entered')).toBe(true);
  });
});
