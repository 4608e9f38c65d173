import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { createSfnApprovalSignal } from '../../../functions/adapters/sfn-approval.js';
import { claimCaseSteps } from '../../../functions/handlers/claim-case.js';
import { onStageReached, approveCase } from '../../../functions/app/claims.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { depsWith, MemoryLedger, smirnovLedger } from './fakes.js';

describe('SFN approval signal', () => {
  it('completes the task token with the decision; a stale token is reported, not thrown', async () => {
    // Prepare
    const sfn = new SFNClient({ region: 'eu-central-1' });
    const mock = mockClient(sfn);
    mock.on(SendTaskSuccessCommand, { taskToken: 'ok' }).resolves({});
    mock.on(SendTaskSuccessCommand, { taskToken: 'old' }).rejects(Object.assign(new Error('timed out'), { name: 'TaskTimedOut' }));
    mock.on(SendTaskSuccessCommand, { taskToken: 'boom' }).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const signal = createSfnApprovalSignal(sfn);
    // Act
    const sent = await signal.approve('ok', { caseId: 'C', by: 'lawyer' });
    const rejected = await signal.reject('ok', 'нет');
    const gone = await signal.approve('old', { caseId: 'C' });
    const failing = signal.approve('boom', { caseId: 'C' });
    // Assess
    expect([sent, rejected, gone]).toEqual(['sent', 'sent', 'gone']);
    await expect(failing).rejects.toThrow('throttled');
    const outputs = mock.commandCalls(SendTaskSuccessCommand).map((c) => JSON.parse(c.args[0].input.output!));
    expect(outputs.slice(0, 2)).toEqual([
      { caseId: 'C', by: 'lawyer', decision: 'approved' },
      { decision: 'rejected', reason: 'нет' },
    ]);
  });
});

describe('claim-case task steps', () => {
  it('validate their events and name the field', async () => {
    // Prepare
    const steps = claimCaseSteps(depsWith(new MemoryLedger(smirnovLedger())));
    // Act
    const bad = steps.waitForApproval({ action: 'wait', caseId: 'X' });
    // Assess
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(steps.waitForApproval({ action: 'wait', caseId: 'X' })).rejects.toMatchObject({ fields: [{ field: 'event.taskToken' }] });
  });

  it('record → package returns a small state output', async () => {
    // Prepare
    const deps = depsWith(new MemoryLedger(smirnovLedger()));
    const steps = claimCaseSteps(deps);
    const { caseId } = await onStageReached(deps, { customerId: 'smirnov', runDate: '2025-09-02' as CalendarDate, stage: 'claim', invoices: [{ invoiceId: 'inv-501' }] });
    // Act
    const brief = await steps.recordCase({ action: 'record', caseId });
    await approveCase(deps, { caseId: caseId!, by: 'lawyer', role: 'legal' });
    const pkg = await steps.buildPackage({ action: 'package', caseId, asOf: '2025-09-02' });
    // Assess
    expect(brief).toMatchObject({
      caseId,
      status: 'awaiting-approval',
      round: 1,
      principal: '86000.00',
      penalty: '1720.00',
      duty: '8000.00',
      total: '95720.00',
      court: 'arbitration',
    });
    expect(pkg).toEqual({
      caseId,
      asOf: '2025-09-02',
      court: 'arbitration',
      courtOrder: true,
      duty: '8000',
      total: '95720.00',
      warnings: ['no-claim-letter'],
      readyToFile: false,
      fileFrom: null,
      files: 7,
      manifest: `cases/${caseId}/manifest.json`,
    });
  });
});
