/**
 * Issue 17 ("Tests that keep it so"): the local runner enforces what Step Functions enforces and the
 * tests rely on, besides the 256 KB state data (state-data-limit.test.ts): a task's TimeoutSeconds
 * (a hung handler fails with States.Timeout instead of waiting), and errors by the name Lambda reports
 * (errorType = the error's name): Retry and Catch match the thrown error's class name.
 */
import { describe, expect, it } from 'vitest';
import { executeLocally } from '../../../bin/local/state-machine.js';
import { TransientError, ValidationError } from '../../../functions/domain/errors.js';
import { dunningRunAsl, LOCAL_FUNCTION_ARNS, STATE, TASK_TIMEOUTS } from '../../../workflows/dunning-run.js';

const ARN = 'arn:aws:lambda:eu-central-1:000000000000:function:step';

describe('local runner semantics', () => {
  it('fails a task that outlives its TimeoutSeconds with States.Timeout, as Step Functions reports it', async () => {
    // Prepare: a handler that never answers.
    const asl = { StartAt: 'Hangs', States: { Hangs: { Type: 'Task', Resource: ARN, TimeoutSeconds: 1, End: true } } };
    const hangs = () => new Promise<never>(() => {});

    // Act
    const r = await executeLocally({ asl, arns: { step: ARN }, handlers: { step: hangs }, input: {}, executionName: 'hangs' });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error?.Error).toBe('States.Timeout');
  });

  it("reports an uncaught task error by the error's own name (as the execution's Error in AWS), not the runner's wrapper", async () => {
    // Prepare
    const asl = { StartAt: 'Fails', States: { Fails: { Type: 'Task', Resource: ARN, End: true } } };
    const fails = async () => {
      throw new ValidationError([{ field: 'runDate', message: 'required' }]);
    };

    // Act
    const r = await executeLocally({ asl, arns: { step: ARN }, handlers: { step: fails }, input: {}, executionName: 'fails' });

    // Assess
    expect(r.status).toBe('FAILED');
    expect(r.error?.Error).toBe('ValidationError');
  });

  it('gives the definition every task timeout (the local default would be 60 s)', () => {
    // Prepare
    const asl = dunningRunAsl() as { States: Record<string, any> };
    const items = asl.States[STATE.each].ItemProcessor.States as Record<string, any>;

    // Act
    const timeouts = [asl.States[STATE.find], items[STATE.decide], items[STATE.failed], asl.States[STATE.addUp], asl.States[STATE.finish]].map((s) => s.TimeoutSeconds);

    // Assess
    expect(timeouts.every((t) => Number.isInteger(t) && t > 0)).toBe(true);
  });

  it('gives each task the timeout of the function it invokes (task timeout = function timeout), recording a failure included', () => {
    // Prepare
    const asl = dunningRunAsl() as { States: Record<string, any> };
    const items = asl.States[STATE.each].ItemProcessor.States as Record<string, any>;
    const roleOf = new Map(Object.entries(LOCAL_FUNCTION_ARNS).map(([role, arn]) => [arn, role as keyof typeof TASK_TIMEOUTS]));

    // Act
    const tasks = Object.entries({ ...asl.States, ...items }).filter(([, s]) => s.Type === 'Task');
    const mismatched = tasks.filter(([, s]) => s.TimeoutSeconds !== TASK_TIMEOUTS[roleOf.get(s.Resource)!].toSeconds()).map(([name]) => name);

    // Assess
    expect(tasks.map(([name]) => name).sort()).toEqual([STATE.addUp, STATE.decide, STATE.find, STATE.finish, STATE.failed].sort());
    expect(mismatched).toEqual([]);
    expect(items[STATE.failed].TimeoutSeconds).toBe(900);
  });

  it('retries the DunningRun step on TransientError by its name and catches a ValidationError by its name, without retrying it', async () => {
    // Prepare: one customer throttled twice, one with a bad record.
    const calls = new Map<string, number>();
    const failures: { customerId: string; error: string }[] = [];
    const handlers = {
      findDebtors: async () => ({ customerIds: ['throttled', 'broken'] }),
      processCustomer: async (e: unknown) => {
        const id = (e as { customerId: string }).customerId;
        calls.set(id, (calls.get(id) ?? 0) + 1);
        if (id === 'broken') throw new ValidationError([{ field: 'profile.emails', message: 'invalid' }]);
        if (calls.get(id)! <= 2) throw new TransientError('SES throttled the send');
        return { customerId: id, status: 'processed', tally: { letters: [] } };
      },
      summarizeRun: async (e: unknown) => {
        const ev = e as { action: string; customerId?: string; error?: string; totals?: unknown };
        if (ev.action === 'recordFailure') failures.push({ customerId: ev.customerId!, error: ev.error! });
        return ev.action === 'recordFailure' ? { customerId: ev.customerId, status: 'failed' } : ev.action === 'addUp' ? ev.totals : { done: true };
      },
    };

    // Act
    const r = await executeLocally({ asl: dunningRunAsl() as never, arns: LOCAL_FUNCTION_ARNS, handlers, input: { runDate: '2026-11-24' }, executionName: 'names' });

    // Assess
    expect(r.status).toBe('SUCCEEDED');
    expect(calls.get('throttled')).toBe(3);
    expect(calls.get('broken')).toBe(1);
    expect(failures).toEqual([{ customerId: 'broken', error: 'ValidationError' }]);
  });
});
