/**
 * The local stand-in for "Wait for the legal team's approval" must end when the stack stops, even when
 * the stop came while its first read was in flight: otherwise its poll (10 minutes on the stack) and
 * deadline (14 days) timers keep a stopped process alive (seen in CI: the crash-recovery helper lived
 * on after printing its answer).
 */
import { describe, expect, it } from 'vitest';
import { localApprovalWaiter } from '../../../bin/local/approval.js';
import { onStageReached } from '../../../functions/app/claims.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { depsWith, MemoryLedger, smirnovLedger } from '../claims/fakes.js';

const inv = { invoiceId: 'inv-501', number: 'inv-501', dueDate: '2025-08-13', outstanding: { amount: '86000.00', currency: 'RUB' } };

async function awaitingCase() {
  const deps = depsWith(new MemoryLedger(smirnovLedger()));
  const r = await onStageReached(deps, { customerId: 'smirnov', runDate: '2025-09-02' as CalendarDate, stage: 'litigation', invoices: [inv] });
  return { deps, caseId: r.caseId! };
}

describe('localApprovalWaiter', () => {
  it('ends at once when the stack stopped before it began waiting', async () => {
    // Prepare: the stack's signal is already aborted when the wait registers.
    const { deps, caseId } = await awaitingCase();
    const stopped = new AbortController();
    stopped.abort();
    const wait = localApprovalWaiter(deps, { pollMs: 600_000, signal: stopped.signal });
    // Act
    const outcome = wait({ Payload: { caseId, taskToken: 'tok-1' } });
    // Assess: rejected now (before the fix it waited for the 10-minute poll and the test timed out)
    await expect(outcome).rejects.toThrow('aborted');
  }, 5_000);

  it('ends when the stack stops while it waits', async () => {
    // Prepare
    const { deps, caseId } = await awaitingCase();
    const stop = new AbortController();
    const wait = localApprovalWaiter(deps, { pollMs: 600_000, signal: stop.signal });
    const outcome = wait({ Payload: { caseId, taskToken: 'tok-2' } });
    // Act
    await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    // Assess
    await expect(outcome).rejects.toThrow('aborted');
  }, 5_000);
});
