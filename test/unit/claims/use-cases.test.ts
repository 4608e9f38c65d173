import { describe, expect, it } from 'vitest';
import {
  approveCase,
  buildLitigationPackage,
  listCases,
  onStageReached,
  openCaseIfNeeded,
  awaitApproval,
  rejectCase,
  refreshCase,
  refreshOpenCases,
  setStrategy,
} from '../../../functions/app/claims.js';
import type { CaseFlowStarter, ClaimCaseFlowInput } from '../../../functions/ports/claims.js';
import { ApprovalRequiredError, RoleNotAllowedError } from '../../../functions/domain/claims/index.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { cmd, depsWith, MemoryLedger, MemoryLetters, RecordingSignal, smirnovLedger } from './fakes.js';

const RUN1 = '2025-08-29' as CalendarDate;
const RUN2 = '2025-09-02' as CalendarDate;
const inv = (invoiceId: string) => ({ invoiceId, number: invoiceId, dueDate: '2025-08-13', outstanding: { amount: '86000.00', currency: 'RUB' } });

class RecordingFlow implements CaseFlowStarter {
  readonly started = new Map<string, ClaimCaseFlowInput>();
  async start(name: string, input: ClaimCaseFlowInput) {
    if (this.started.has(name)) return 'exists' as const;
    this.started.set(name, input);
    return { executionArn: `arn:aws:states:eu-central-1:000000000000:execution:ClaimCase:${name}` };
  }
}

describe('onStageReached (the dunning run hook)', () => {
  it('ignores reminder and warning stages', async () => {
    // Prepare
    const deps = depsWith(new MemoryLedger(smirnovLedger()));
    // Act
    const r = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN1, stage: 'warning', invoices: [inv('inv-501')] });
    // Assess
    expect(r.action).toBe('none');
    expect(deps.cases.cases.size).toBe(0);
  });

  it('opens one case at the claim stage, idempotently, and adds later invoices to it', async () => {
    // Prepare
    const ledger = new MemoryLedger(smirnovLedger());
    const deps = depsWith(ledger);
    // Act
    const first = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN1, stage: 'claim', invoices: [inv('inv-501')] });
    const again = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN1, stage: 'claim', invoices: [inv('inv-501')] });
    ledger.commands.push(
      cmd({
        type: 'invoice.issued',
        customerId: 'smirnov',
        contractId: 'c-smirnov',
        invoiceId: 'inv-502',
        number: 'СЧ-502',
        issueDate: '2025-08-01',
        dueDate: '2025-08-15',
        amount: { amount: '14000.00', currency: 'RUB' },
      }),
    );
    const more = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN2, stage: 'claim', invoices: [inv('inv-502')] });
    // Assess
    expect(first).toMatchObject({ action: 'opened', caseId: 'CASE-20250829-smirnov', status: 'pre-trial', flow: 'not-needed' });
    expect(again).toMatchObject({ action: 'unchanged', caseId: 'CASE-20250829-smirnov' });
    expect(more).toMatchObject({ action: 'updated', caseId: 'CASE-20250829-smirnov' });
    expect(deps.cases.cases.size).toBe(1);
    const c = deps.cases.cases.get('CASE-20250829-smirnov')!;
    expect(c.basis.map((i) => `${i.number}@${i.addedOn}`)).toEqual(['СЧ-501@2025-08-29', 'СЧ-502@2025-09-02']);
    expect(c.principal.amount).toBe('100000.00');
    expect(c.stageHistory.map((s) => s.stage)).toEqual(['claim']);
  });

  it('litigation asks for approval and starts the ClaimCase workflow once', async () => {
    // Prepare
    const flow = new RecordingFlow();
    const deps = depsWith(new MemoryLedger(smirnovLedger()), { flow });
    await onStageReached(deps, { customerId: 'smirnov', runDate: RUN1, stage: 'claim', invoices: [inv('inv-501')] });
    // Act
    const lit = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN2, stage: 'litigation', invoices: [inv('inv-501')] });
    const retry = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN2, stage: 'litigation', invoices: [inv('inv-501')] });
    // Assess
    expect(lit).toMatchObject({ action: 'updated', status: 'awaiting-approval', flow: 'started' });
    expect(retry).toMatchObject({ action: 'unchanged', status: 'awaiting-approval', flow: 'exists' });
    expect([...flow.started.entries()]).toEqual([['CASE-20250829-smirnov-r1', { caseId: 'CASE-20250829-smirnov', customerId: 'smirnov', round: 1 }]]);
    const c = deps.cases.cases.get('CASE-20250829-smirnov')!;
    expect(c.stageHistory.map((s) => `${s.stage}@${s.on}`)).toEqual(['claim@2025-08-29', 'litigation@2025-09-02']);
    expect(c.strategy).toBe('collect');
  });

  it('opens straight into awaiting approval when the first stage seen is litigation', async () => {
    // Prepare
    const deps = depsWith(new MemoryLedger(smirnovLedger()));
    // Act
    const r = await openCaseIfNeeded(deps, { customerId: 'smirnov', runDate: RUN2, stage: 'litigation', invoices: [inv('inv-501')] });
    // Assess
    expect(r).toMatchObject({ action: 'opened', status: 'awaiting-approval', flow: 'not-configured' });
  });
});

describe('approval and the waiting workflow', () => {
  async function awaiting() {
    const signal = new RecordingSignal();
    const deps = depsWith(new MemoryLedger(smirnovLedger()), { approval: signal });
    const r = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN2, stage: 'litigation', invoices: [inv('inv-501')] });
    return { deps, signal, caseId: r.caseId! };
  }

  it('a non-legal operator cannot approve; nothing is signalled', async () => {
    // Prepare
    const { deps, signal, caseId } = await awaiting();
    await awaitApproval(deps, { caseId, taskToken: 'tok-1' });
    // Act
    const attempt = approveCase(deps, { caseId, by: 'anna', role: 'collections' });
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RoleNotAllowedError);
    expect(signal.calls).toEqual([]);
    expect(deps.cases.cases.get(caseId)?.status).toBe('awaiting-approval');
  });

  it('the lawyer’s approval completes the stored task token', async () => {
    // Prepare
    const { deps, signal, caseId } = await awaiting();
    const w = await awaitApproval(deps, { caseId, taskToken: 'tok-1', executionName: `${caseId}-r1` });
    // Act
    const r = await approveCase(deps, { caseId, by: 'lawyer', role: 'legal', note: 'подаем' });
    // Assess
    expect(w).toEqual({ waiting: true, round: 1 }); // the round it waits for
    expect(r.signal).toBe('sent');
    expect(signal.calls).toEqual([
      { kind: 'approve', token: 'tok-1', output: expect.objectContaining({ decision: 'approved', caseId, by: 'lawyer', role: 'legal', note: 'подаем' }) },
    ]);
    expect(r.case.approvalRequest).toMatchObject({ token: 'tok-1', executionName: `${caseId}-r1` });
  });

  it('a decision made before the wait step is answered by the wait step itself', async () => {
    // Prepare
    const { deps, signal, caseId } = await awaiting();
    const early = await approveCase(deps, { caseId, by: 'lawyer', role: 'legal' });
    // Act
    const w = await awaitApproval(deps, { caseId, taskToken: 'tok-late' });
    // Assess
    expect(early.signal).toBe('no-token');
    expect(w).toMatchObject({ waiting: false, decision: { decision: 'approved', by: 'lawyer' } });
    expect(signal.calls.map((c) => [c.kind, c.token])).toEqual([['approve', 'tok-late']]);
  });

  it('a rejection completes the token with decision "rejected" and keeps the case in pre-trial work', async () => {
    // Prepare
    const { deps, signal, caseId } = await awaiting();
    await awaitApproval(deps, { caseId, taskToken: 'tok-1' });
    // Act
    const r = await rejectCase(deps, { caseId, by: 'lawyer', role: 'legal', note: 'договорились о графике' });
    // Assess
    expect(r.case.status).toBe('pre-trial');
    expect(signal.calls).toEqual([{ kind: 'reject', token: 'tok-1', output: expect.objectContaining({ decision: 'rejected', reason: 'договорились о графике' }) }]);
  });
});

describe('litigation package', () => {
  it('is refused without approval and writes nothing', async () => {
    // Prepare
    const deps = depsWith(new MemoryLedger(smirnovLedger()));
    const { caseId } = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN2, stage: 'litigation', invoices: [inv('inv-501')] });
    // Act
    const attempt = buildLitigationPackage(deps, caseId!, RUN2);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ApprovalRequiredError);
    expect(deps.documents.files.size).toBe(0);
  });

  it('for an approved case: calculation, reconciliation, invoices, letters with copies, manifest; case moves to litigation', async () => {
    // Prepare
    const letters = new MemoryLetters([
      { customerId: 'smirnov', stage: 'warning', runDate: '2025-08-19', status: 'sent', messageId: 'm-1' },
      {
        customerId: 'smirnov',
        stage: 'claim',
        runDate: '2025-08-22',
        status: 'sent',
        messageId: 'm-2',
        documentUri: 'mem://docs/letters/2025-08-22/claim/smirnov.pdf',
        invoiceIds: ['inv-501'],
      },
      { customerId: 'smirnov', stage: 'litigation', runDate: '2025-09-02', status: 'failed' },
    ]);
    const deps = depsWith(new MemoryLedger(smirnovLedger()), { letters });
    await deps.documents.put('letters/2025-08-22/claim/smirnov.pdf', new Uint8Array([37, 80, 68, 70, 45]), 'application/pdf');
    const { caseId } = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN2, stage: 'litigation', invoices: [inv('inv-501')] });
    await approveCase(deps, { caseId: caseId!, by: 'lawyer', role: 'legal' });
    await setStrategy(deps, { caseId: caseId!, strategy: 'collect', expectedRecoveryPct: '95', expectedRecoveryDate: '2026-01-31', by: 'lawyer' });
    // Act
    const m = await buildLitigationPackage(deps, caseId!, RUN2);
    // Assess
    const prefix = `cases/${caseId}/`;
    expect(m.files.map((f) => f.name)).toEqual([
      'calculation.json',
      'calculation-1.pdf',
      'reconciliation.json',
      'reconciliation.pdf',
      'invoices.json',
      'letters.json',
      'letters/2025-08-22-claim.pdf',
      'case.json',
    ]);
    expect([...deps.documents.files.keys()].filter((k) => k.startsWith(prefix)).sort()).toEqual([...m.files.map((f) => f.key), `${prefix}manifest.json`].sort());
    expect(m).toMatchObject({
      principal: '86000.00',
      penalty: '1720.00',
      claimPrice: '87720.00',
      total: '95720.00',
      court: 'arbitration',
      duty: { amount: '8000', courtOrder: true },
    });
    expect(m.courtOrder.eligible).toBe(true);
    expect(m.approval).toMatchObject({ by: 'lawyer', role: 'legal' });
    expect(m.warnings.map((w) => w.code)).toEqual(['pretrial-wait']);
    expect(m.pretrialClaim).toMatchObject({ sentOn: '2025-08-22', daysSince: 11, claimPeriodDays: 30, fileFrom: '2025-09-21', readyToFile: false });
    expect(m.readyToFile).toBe(false);
    const calc = JSON.parse(deps.documents.text(`${prefix}calculation.json`));
    expect(calc.penalty.parts[0].result.periods).toHaveLength(1);
    expect(calc.duty.duty).toBe('8000');
    const lettersJson = JSON.parse(deps.documents.text(`${prefix}letters.json`));
    expect(lettersJson.letters.map((l: { stage: string; runDate: string; copy: string | null }) => [l.stage, l.runDate, l.copy])).toEqual([
      ['warning', '2025-08-19', null],
      ['claim', '2025-08-22', 'letters/2025-08-22-claim.pdf'],
    ]);
    const recon = JSON.parse(deps.documents.text(`${prefix}reconciliation.json`));
    expect(recon.closing.balance).toBe('86000.00');
    const pdf = deps.documents.files.get(`${prefix}calculation-1.pdf`)!.body;
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe('%PDF-');
    const manifest = JSON.parse(deps.documents.text(`${prefix}manifest.json`));
    expect(manifest.files).toHaveLength(8);
    expect(manifest.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    // Built before the claim period ran out (2025-08-22 + 30 days): the case stays approved, not ready to file.
    const c = deps.cases.cases.get(caseId!)!;
    expect(c.status).toBe('approved');
    expect(c.package).toMatchObject({ manifestKey: `${prefix}manifest.json`, asOf: RUN2, readyToFile: false, fileFrom: '2025-09-21' });
    expect(c.strategy).toBe('collect');
    // Built again on the first filing day: ready, the case moves to litigation.
    const again = await buildLitigationPackage(deps, caseId!, '2025-09-21' as CalendarDate);
    expect(again.readyToFile).toBe(true);
    expect(again.warnings.map((w) => w.code)).toEqual([]);
    expect(deps.cases.cases.get(caseId!)!.status).toBe('litigation');
    expect((await listCases(deps, { status: 'litigation' })).map((x) => x.caseId)).toEqual([caseId]);
  });
});

describe('refresh', () => {
  it('closes a case whose invoices were paid, which frees the customer for a new case', async () => {
    // Prepare
    const ledger = new MemoryLedger(smirnovLedger());
    const deps = depsWith(ledger);
    const { caseId } = await onStageReached(deps, { customerId: 'smirnov', runDate: RUN1, stage: 'claim', invoices: [inv('inv-501')] });
    ledger.commands.push(cmd({ type: 'payment.received', customerId: 'smirnov', paymentId: 'p1', date: '2025-09-01', amount: { amount: '86000.00', currency: 'RUB' } }));
    // Act
    const c = await refreshCase(deps, { caseId: caseId!, asOf: RUN2 });
    // Assess
    expect(c.status).toBe('closed');
    expect(c.closed?.reason).toMatch(/^paid/);
    expect(await deps.cases.openCaseOf('smirnov')).toBeUndefined();
    expect((await listCases(deps)).length).toBe(0);
  });

  it('refreshOpenCases closes only the paid ones', async () => {
    // Prepare
    const ledger = new MemoryLedger([...smirnovLedger(), ...smirnovLedger().map((c) => ({ ...c, customerId: 'other' }) as typeof c)]);
    const deps = depsWith(ledger);
    await onStageReached(deps, { customerId: 'smirnov', runDate: RUN1, stage: 'claim', invoices: [inv('inv-501')] });
    const other = await onStageReached(deps, { customerId: 'other', runDate: RUN1, stage: 'claim', invoices: [inv('inv-501')] });
    ledger.commands.push(cmd({ type: 'payment.received', customerId: 'smirnov', paymentId: 'p1', date: '2025-09-01', amount: { amount: '86000.00', currency: 'RUB' } }));
    // Act
    const r = await refreshOpenCases(deps, { asOf: RUN2 });
    // Assess
    expect(r).toEqual({ refreshed: 2, closed: ['CASE-20250829-smirnov'] });
    expect(deps.cases.cases.get(other.caseId!)?.status).toBe('pre-trial');
    expect(deps.cases.cases.get(other.caseId!)?.lastAssessedOn).toBe(RUN2);
  });
});
