/**
 * Report jobs on the local stack with the demo ledger (issue 14, reports at 1M invoices): the local
 * stack runs the same use case as AWS with an in-process worker. Here the synchronous read budget is 0
 * (REPORT_SYNC_BUDGET_MS=0: every report that reads the ledger must run as a job), so
 *  - over HTTP: POST /operator/reports/aging/jobs → 202, the job is polled until done and its XLSX
 *    downloads from /operator/documents as a real workbook; the synchronous GET answers 422 REPORT_NEEDS_JOB;
 *  - the CLI: `claimflow report aging` says so on stderr and switches to a job by itself; `--job` asks for
 *    one directly; bad input still exits 2.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { testStack } from '../support/local-stack.js';
import { runCli } from '../support/cli.js';

const AS_OF = '2026-11-24';
let stack: LocalStack;

const cli = (args: string[]) => runCli(args, { CLAIMFLOW_ENDPOINT: stack.urls.http, USER: 'fedor', CLAIMFLOW_POLL_MS: '50' });

const op = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.urls.http}/operator/${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-claimflow-operator': 'fedor' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, location: res.headers.get('location'), bytes, json: type.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined };
};

const sheetsOf = async (bytes: Uint8Array) => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as never);
  return wb.worksheets.map((w) => w.name);
};

beforeAll(async () => {
  stack = await testStack({ demo: true, demoAsOf: AS_OF as never, env: { ...process.env, REPORT_SYNC_BUDGET_MS: '0' } });
}, 120_000);
afterAll(async () => stack?.stop());

describe('report jobs on the local stack (demo ledger, no synchronous read budget)', () => {
  it('runs aging as a job over HTTP and downloads the XLSX; the synchronous GET answers 422 REPORT_NEEDS_JOB', async () => {
    // Act
    const sync = await op('GET', `reports/aging?asOf=${AS_OF}`);
    const started = await op('POST', 'reports/aging/jobs', { asOf: AS_OF, format: 'xlsx' });
    let job = started.json;
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      job = (await op('GET', `report-jobs/${started.json.jobId}`)).json;
    }
    const file = await op('GET', `documents?key=${encodeURIComponent(job.result.key)}`);

    // Assess
    expect(sync.status).toBe(422);
    expect(sync.json.error).toMatchObject({ code: 'REPORT_NEEDS_JOB', job: { method: 'POST', path: '/operator/reports/aging/jobs' } });
    expect(started.status).toBe(202);
    expect(started.location).toBe(`/operator/report-jobs/${started.json.jobId}`);
    expect(job).toMatchObject({ status: 'done', by: 'fedor', result: { filename: `aging-${AS_OF}-by-customer.xlsx` } });
    expect(job.result.rows).toBeGreaterThan(0);
    expect(job.result.readItems).toBeGreaterThan(0);
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    expect(file.bytes.byteLength).toBe(job.result.bytes);
    expect(await sheetsOf(file.bytes)).toEqual(['Detail', 'By customer', 'Totals', 'About']);
  });

  it('claimflow report switches to a job by itself on REPORT_NEEDS_JOB, and --job asks for one', async () => {
    // Act
    const auto = await cli(['report', 'aging', '--as-of', AS_OF, '--format', 'xlsx', '--out', 'aging.xlsx']);
    const asked = await cli(['report', 'unpaid', '--as-of', AS_OF, '--job']);

    // Assess
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stderr).toContain(`report aging as of ${AS_OF}: the server cannot read it within a request (REPORT_NEEDS_JOB); running it as a job instead`);
    expect(auto.stderr).toMatch(/report aging as of 2026-11-24 \(job rpt-[0-9a-f-]{36}\)… \d+ s/);
    expect(auto.stdout).toContain('XLSX saved to aging.xlsx');
    expect(await sheetsOf(auto.files.get('aging.xlsx')!)).toEqual(['Detail', 'By customer', 'Totals', 'About']);
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).not.toContain('REPORT_NEEDS_JOB');
    expect(asked.stderr).toMatch(/report unpaid as of 2026-11-24: done \(job rpt-[0-9a-f-]{36}, \d+ items read, \d+ rows\)/);
    expect(asked.stdout).toMatch(/\d+ rows, \d+ groups/);
  });

  it('a bad report or grouping still exits 2 naming it, with --job too', async () => {
    // Act
    const badName = await cli(['report', 'ageing', '--as-of', AS_OF, '--job']);
    const badGrouping = await cli(['report', 'aging', '--as-of', AS_OF, '--group-by', 'colour']);

    // Assess
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('report: unknown report "ageing"');
    expect(badGrouping.code).toBe(2);
    expect(badGrouping.stderr).toContain('groupBy: unknown grouping "colour"');
  });
});
