/**
 * `claimflow report` and report jobs, against a stubbed operator API (io.fetch): on REPORT_NEEDS_JOB the
 * CLI says so on stderr and runs the same report as a job; a job that fails exits 1 with its code and
 * message; bad input exits 2 with --job too; the file of a done job is what --out receives.
 */
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../bin/cli.js';

const JOB = 'rpt-00000000-0000-4000-8000-000000000001';
const KEY = `reports/jobs/${JOB}/aging-2026-11-24-by-customer.csv`;

function stub(outcome: 'done' | 'failed') {
  const calls: string[] = [];
  const out = { stdout: '', stderr: '', files: new Map<string, Uint8Array>() };
  let polls = 0;
  const reply = (status: number, body: unknown, type = 'application/json') =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': type } });
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env: { CLAIMFLOW_ENDPOINT: 'http://127.0.0.1:3999', USER: 'fedor', CLAIMFLOW_POLL_MS: '1' },
    readStdin: async () => '',
    readFile: async () => new Uint8Array(),
    writeFile: async (p, b) => void out.files.set(p, b),
    fetch: (async (input: URL | string, init?: RequestInit) => {
      const url = new URL(String(input));
      const path = url.pathname.replace('/operator/', '');
      calls.push(`${init?.method} ${path}${init?.body ? ` ${String(init.body)}` : ''}`);
      if (path === 'reports/aging') return reply(422, { error: { code: 'REPORT_NEEDS_JOB', message: 'run it as a job' } });
      if (path === 'reports/ageing/jobs')
        return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'bad', fields: [{ field: 'report', message: 'unknown report "ageing"' }] } });
      if (path === 'reports/aging/jobs') return reply(202, { jobId: JOB, name: 'aging', status: 'running' });
      if (path === `report-jobs/${JOB}`) {
        polls++;
        if (polls < 2) return reply(200, { jobId: JOB, status: 'running' });
        return outcome === 'done'
          ? reply(200, { jobId: JOB, status: 'done', result: { key: KEY, filename: 'aging.csv', contentType: 'text/csv', bytes: 9, rows: 1, readItems: 42 } })
          : reply(200, { jobId: JOB, status: 'failed', error: { code: 'TRANSIENT', message: 'DynamoDB throttled the scan' } });
      }
      if (path === 'documents' && url.searchParams.get('key') === KEY) return reply(200, 'a,b\n1,2\n', 'text/csv; charset=utf-8');
      return reply(404, { error: { code: 'NOT_FOUND', message: path } });
    }) as typeof fetch,
  };
  return { io, out, calls };
}

describe('claimflow report: jobs', () => {
  it('switches to a job on REPORT_NEEDS_JOB, with the same parameters, and saves the job’s file', async () => {
    // Prepare
    const s = stub('done');

    // Act
    const code = await main(['report', 'aging', '--as-of', '2026-11-24', '--group-by', 'customer', '--format', 'csv', '--out', 'aging.csv'], s.io);

    // Assess
    expect(code, s.out.stderr).toBe(0);
    expect(s.out.stderr).toContain('report aging as of 2026-11-24: the server cannot read it within a request (REPORT_NEEDS_JOB); running it as a job instead');
    expect(s.out.stderr).toContain(`report aging as of 2026-11-24 (job ${JOB})… 0 s`);
    expect(s.out.stderr).toContain(`report aging as of 2026-11-24: done (job ${JOB}, 42 items read, 1 rows)`);
    expect(s.calls[1]).toBe('POST reports/aging/jobs {"asOf":"2026-11-24","groupBy":"customer","format":"csv"}');
    expect(Buffer.from(s.out.files.get('aging.csv')!).toString('utf8')).toBe('a,b\n1,2\n');
    expect(s.out.stdout).toContain('CSV saved to aging.csv');
  });

  it('exits 1 naming the error when the job fails, and 2 on bad input with --job', async () => {
    // Prepare
    const failing = stub('failed');
    const bad = stub('done');

    // Act
    const failed = await main(['report', 'aging', '--as-of', '2026-11-24', '--job'], failing.io);
    const refused = await main(['report', 'ageing', '--as-of', '2026-11-24', '--job'], bad.io);

    // Assess
    expect(failed).toBe(1);
    expect(failing.out.stderr).toContain(`report aging as of 2026-11-24 failed (job ${JOB}): TRANSIENT DynamoDB throttled the scan`);
    expect(failing.calls[0]).toBe('POST reports/aging/jobs {"asOf":"2026-11-24"}');
    expect(refused).toBe(2);
    expect(bad.out.stderr).toContain('report: unknown report "ageing"');
  });
});
