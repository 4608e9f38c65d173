/**
 * The per-customer step in worker threads (`customerThreads`, the local stand-in for the Distributed
 * Map's fan-out): the demo Tuesday run gives the same letters as in the main thread, a litigation
 * letter's ClaimCase execution is started by the main thread and waits there for the lawyer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack, LocalRunResult } from '../../bin/local/stack.js';
import { operatorCall, testStack, until } from '../support/local-stack.js';

const op = (stack: LocalStack, method: string, path: string, body?: unknown) => operatorCall(stack, 'lawyer-olga', method, path, body);

describe('the per-customer step in worker threads', () => {
  let stack: LocalStack;
  let run: LocalRunResult;
  beforeAll(async () => {
    // Prepare + Act: the demo ledger, two worker threads, the Tuesday run
    stack = await testStack({ demo: true, demoAsOf: '2026-11-24' as never, customerThreads: 2 });
    run = await stack.runDunning({ runDate: '2026-11-24' as never });
  });
  afterAll(async () => stack?.stop());

  it('sends the same letters as the main thread does, through local SES, with the requests counted', async () => {
    // Assess (the figures of the demo run in test/e2e/local-flow and the README)
    expect(stack.customerThreads).toBe(2);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.summary).toMatchObject({ customers: 6, letters: { reminder: 2, warning: 2, claim: 1, litigation: 1 }, failures: 0 });
    expect((await stack.ses.listEmails()).some((m) => m.subject.length > 0)).toBe(true);
    expect((await stack.app.dunning.lettersOfRun('2026-11-24')).filter((l) => l.status === 'sent')).toHaveLength(6);
    expect(Object.values(stack.workerRequests()).reduce((a, b) => a + b, 0)).toBeGreaterThan(6);
  });

  it('a litigation letter sent in a worker starts the ClaimCase execution in the main thread; approval builds the package', async () => {
    // Prepare
    const caseId = (await op(stack, 'GET', 'cases?customer=demo-smirnov')).body.cases[0].caseId as string;
    await until(async () => ((await op(stack, 'GET', `cases/${caseId}`)).body.approvalRequest?.executionName ? true : undefined));
    // Act
    const approved = await op(stack, 'POST', `cases/${caseId}/approve`, { role: 'legal', note: 'в рабочем потоке' });
    const done = await until(async () => {
      const c = (await op(stack, 'GET', `cases/${caseId}`)).body;
      return c.status === 'litigation' && c.package ? c : undefined;
    });
    // Assess
    expect(approved.status).toBe(200);
    expect(done.package.manifestUri).toMatch(/^file:/);
  });

  it('refuses worker threads together with test hooks (functions cannot cross threads), naming them', async () => {
    // Act + Assess
    await expect(testStack({ customerThreads: 1, faults: {} })).rejects.toThrow(/customerThreads cannot be combined with faults/);
  });
});
