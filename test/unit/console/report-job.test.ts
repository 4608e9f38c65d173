/**
 * The console's reports as jobs (console/src/report-job.ts): when the API answers REPORT_NEEDS_JOB the
 * page runs the same report as a job, shows its progress and reads the job's file; other errors stay
 * errors. Runs the console module against a stubbed fetch (no browser).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

// The console's modules read the browser's language and set the page's at import: stand-ins for both.
vi.hoisted(() => {
  if (typeof navigator === 'undefined') Object.defineProperty(globalThis, 'navigator', { value: { language: 'en' }, configurable: true });
  if (typeof document === 'undefined') Object.defineProperty(globalThis, 'document', { value: { documentElement: { lang: '' } }, configurable: true });
});
const { ApiError, get } = await import('../../../console/src/api.js');
const { jobFile, orAsJob, runReportJob } = await import('../../../console/src/report-job.js');

const JOB = 'rpt-00000000-0000-4000-8000-000000000001';

/** A stub of the operator API: the report job runs for two polls, then is done (or failed). */
function stubApi(outcome: 'done' | 'failed') {
  const calls: string[] = [];
  let polls = 0;
  const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  vi.stubGlobal('fetch', async (url: string, init: { method: string; body?: string }) => {
    const path = url.replace(/^.*\/operator\//, '');
    calls.push(`${init.method} ${path}${init.body ? ` ${init.body}` : ''}`);
    if (path.startsWith('reports/aging?')) return reply(422, { error: { code: 'REPORT_NEEDS_JOB', message: 'run it as a job' } });
    if (path.startsWith('reports/ageing?')) return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'bad', fields: [{ field: 'report', message: 'unknown' }] } });
    if (path === 'reports/aging/jobs') return reply(202, { jobId: JOB, name: 'aging', status: 'running' });
    if (path === `report-jobs/${JOB}`) {
      polls++;
      if (polls < 2) return reply(200, { jobId: JOB, name: 'aging', status: 'running' });
      return outcome === 'done'
        ? reply(200, { jobId: JOB, name: 'aging', status: 'done', result: { key: `reports/jobs/${JOB}/aging-2026-11-24.json`, filename: 'aging-2026-11-24.json' } })
        : reply(200, { jobId: JOB, name: 'aging', status: 'failed', error: { code: 'TIMED_OUT', message: 'start it again' } });
    }
    if (path.startsWith('documents?key=')) return reply(200, { report: 'aging', asOf: '2026-11-24' });
    return reply(404, { error: { code: 'NOT_FOUND', message: path } });
  });
  return { calls };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('console: reports as jobs', () => {
  it('on REPORT_NEEDS_JOB runs the report as a job with the same parameters, reports progress and reads its JSON file', async () => {
    // Prepare
    const api = stubApi('done');
    const progress: number[] = [];

    // Act
    const report = await orAsJob(
      () => get('reports/aging?asOf=2026-11-24'),
      async () => get(jobFile(await runReportJob('aging', { asOf: '2026-11-24', format: 'json' }, (s) => progress.push(s), 1))),
    );

    // Assess
    expect(report).toEqual({ report: 'aging', asOf: '2026-11-24' });
    expect(api.calls).toEqual([
      'GET reports/aging?asOf=2026-11-24',
      'POST reports/aging/jobs {"asOf":"2026-11-24","format":"json"}',
      `GET report-jobs/${JOB}`,
      `GET report-jobs/${JOB}`,
      `GET documents?key=${encodeURIComponent(`reports/jobs/${JOB}/aging-2026-11-24.json`)}`,
    ]);
    expect(progress.length).toBe(2);
  });

  it('a failed job throws its error; any other API error is not turned into a job', async () => {
    // Prepare
    const api = stubApi('failed');

    // Act
    const failed = orAsJob(
      () => get('reports/aging?asOf=2026-11-24'),
      () => runReportJob('aging', { asOf: '2026-11-24' }, () => undefined, 1),
    );
    await expect(failed).rejects.toMatchObject({ code: 'TIMED_OUT', message: 'start it again' });
    const bad = orAsJob(
      () => get('reports/ageing?asOf=2026-11-24'),
      () => runReportJob('ageing', { asOf: '2026-11-24' }, () => undefined, 1),
    );

    // Assess
    await expect(bad).rejects.toBeInstanceOf(ApiError);
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ field: 'report' }] });
    expect(api.calls.filter((c) => c.includes('ageing'))).toEqual(['GET reports/ageing?asOf=2026-11-24']);
  });
});
