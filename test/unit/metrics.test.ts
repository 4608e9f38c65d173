/** Business metrics through their port: what a finished run and a refused webhook count, and the two adapters. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PowertoolsMetrics, RecordingMetrics } from '../../functions/adapters/metrics.js';
import { emptyTotals } from '../../functions/app/run-totals.js';
import { finishRun, type FinishDeps } from '../../functions/app/summarize-run.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { handleWebhook } from '../../functions/ingest/http.js';
import { makeDeps } from './ingest/fakes.js';

const RUN = '2026-11-24' as CalendarDate;

function finishDeps(metrics: RecordingMetrics): FinishDeps {
  return {
    runs: { recordFailure: async () => undefined, putRun: async () => undefined, lettersOfRun: async () => [], lettersOfCustomer: async () => [], profiles: async () => [] },
    documents: { put: async (key) => ({ uri: `file:///out/${key}` }), get: async () => undefined },
    mailer: { send: async () => ({ messageId: 'm' }) },
    renderPrintBatch: async () => new Uint8Array([1]),
    company: {} as FinishDeps['company'],
    fromAddress: 'collections@example.com',
    digestRecipients: [],
    envelope: 'DL',
    policy: 'wholesale@1',
    metrics,
  };
}

describe('business metrics', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a finished run counts letters sent per stage, ambiguous letters and failed customers; a dry run counts nothing', async () => {
    // Prepare
    const metrics = new RecordingMetrics();
    const totals = { ...emptyTotals(), customers: 5, failures: 1, ambiguous: 2, letters: { reminder: 3, warning: 1, claim: 0, litigation: 1 } };

    // Act
    await finishRun(finishDeps(metrics), { runDate: RUN, executionName: 'dunning-run-2026-11-24', totals });
    await finishRun(finishDeps(metrics), { runDate: RUN, executionName: 'dry', dryRun: true, totals });

    // Assess
    expect(Object.fromEntries(metrics.counts)).toEqual({
      'LettersSent{stage=reminder}': 3,
      'LettersSent{stage=warning}': 1,
      'LettersSent{stage=claim}': 0,
      'LettersSent{stage=litigation}': 1,
      AmbiguousLetters: 2,
      FailedCustomers: 1,
    });
  });

  it('a refused webhook counts one ingest refusal by source and code', async () => {
    // Prepare: a billing event without its signature.
    const { deps } = makeDeps();
    const metrics = new RecordingMetrics();

    // Act
    const res = await handleWebhook({ ...deps, metrics }, { path: '/webhooks/billing', method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: '{}' });

    // Assess
    expect(res.statusCode).toBe(401);
    const keys = [...metrics.counts.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^IngestRefusals\{code=[A-Z_]+,source=billing\}$/);
    expect(metrics.counts.get(keys[0]!)).toBe(1);
  });

  it('Powertools Metrics writes each count at once as one EMF line in the claimflow namespace, with its dimensions', () => {
    // Prepare
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const metrics = new PowertoolsMetrics({ serviceName: 'claimflow-test' });

    // Act
    metrics.count('LettersSent', 4, { stage: 'warning' });

    // Assess
    const emf = lines
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{') && l.includes('_aws'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    const doc = emf[0] as { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[] }[] }; LettersSent: number; stage: string };
    expect(doc._aws.CloudWatchMetrics[0]?.Namespace).toBe('claimflow');
    expect(doc._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'LettersSent', Unit: 'Count' }]);
    expect([doc.LettersSent, doc.stage]).toEqual([4, 'warning']);
  });
});
