/**
 * Report jobs through the operator API over DynamoDB Local (issue 14, reports at 1M invoices):
 * POST /operator/reports/{name}/jobs answers 202 with the job and a Location, the in-process worker
 * builds the report and writes the file, GET /operator/report-jobs/{jobId} shows where it is and
 * GET /operator/documents?key=… downloads it. The synchronous GET with a read budget answers 422
 * REPORT_NEEDS_JOB, and the DynamoDB report source stops its Scan when the read is aborted.
 */
import { describe, expect, it } from 'vitest';
import { DynamoReportSource } from '../../../functions/adapters/dynamo-reports.js';
import type { ReportJob } from '../../../functions/ports/report-jobs.js';
import { MemoryDocuments } from '../../unit/claims/fakes.js';
import { operatorWorld, seed, type OperatorWorld } from './world.js';

/** Polls the job until it is no longer running (the in-process worker runs after the 202). */
async function settled(w: OperatorWorld, jobId: string): Promise<ReportJob> {
  for (;;) {
    const r = await w.call('GET', `/operator/report-jobs/${jobId}`);
    if (r.json.status !== 'running') return r.json as ReportJob;
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('report jobs over the operator API', () => {
  it('starts a job (202, Location), builds the xlsx in the background, and the file downloads from the documents route', async () => {
    // Prepare
    const documents = new MemoryDocuments();
    const w = await operatorWorld({ documents });
    await seed(w);

    // Act
    const started = await w.call('POST', '/operator/reports/aging/jobs', { asOf: '2026-11-24', groupBy: 'customer', format: 'xlsx' });
    const job = await settled(w, started.json.jobId);
    const file = await w.call('GET', '/operator/documents', undefined, { query: { key: job.result!.key } });

    // Assess
    expect(started.statusCode).toBe(202);
    expect(started.json).toMatchObject({ name: 'aging', status: 'running', by: 'anna', params: { asOf: '2026-11-24', groupBy: 'customer', format: 'xlsx' } });
    expect(started.json.jobId).toMatch(/^rpt-[0-9a-f-]{36}$/);
    expect(started.json.poll).toBe(`report-jobs/${started.json.jobId}`);
    expect(started.headers.location).toBe(`/operator/report-jobs/${started.json.jobId}`);
    expect(job).toMatchObject({ status: 'done', result: { key: `reports/jobs/${started.json.jobId}/aging-2026-11-24-by-customer.xlsx`, rows: 3 } });
    expect(job.result!.readItems).toBeGreaterThan(0);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.isBase64Encoded).toBe(true);
    expect(Buffer.from(file.body, 'base64').byteLength).toBe(job.result!.bytes);
  });

  it('refuses bad parameters with 400 naming them and records no job; an unknown job is 404, a malformed id 400', async () => {
    // Prepare
    const w = await operatorWorld({ documents: new MemoryDocuments() });

    // Act
    const badGrouping = await w.call('POST', '/operator/reports/aging/jobs', { asOf: '2026-11-24', groupBy: 'colour' });
    const badReport = await w.call('POST', '/operator/reports/ageing/jobs', { asOf: '2026-11-24' });
    const badDate = await w.call('POST', '/operator/reports/aging/jobs', { asOf: '2026-02-30' });
    const badBody = await w.call('POST', '/operator/reports/aging/jobs', { asOf: ['2026-11-24'] });
    const unknown = await w.call('GET', '/operator/report-jobs/rpt-00000000-0000-4000-8000-000000000000');
    const malformed = await w.call('GET', '/operator/report-jobs/pkg-1');

    // Assess
    expect(badGrouping.statusCode).toBe(400);
    expect(badGrouping.json.error.fields).toEqual([expect.objectContaining({ field: 'groupBy' })]);
    expect(badReport.json.error.fields).toEqual([expect.objectContaining({ field: 'report' })]);
    expect(badDate.json.error.fields).toEqual([expect.objectContaining({ field: 'asOf' })]);
    expect(badBody.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(400);
  });

  it('lets every signed-in role start a report job, as every role may read reports', async () => {
    // Prepare
    const w = await operatorWorld({ documents: new MemoryDocuments() });
    const clerk = { by: 'anna', roles: ['clerk'], subject: 'console-local:anna' };
    const finance = { by: 'fedor', roles: ['finance'], subject: 'console-local:fedor' };

    // Act
    const a = await w.call('POST', '/operator/reports/unpaid/jobs', { asOf: '2026-11-24' }, { identity: clerk });
    const b = await w.call('POST', '/operator/reports/unpaid/jobs', { asOf: '2026-11-24' }, { identity: finance });
    await settled(w, a.json.jobId);
    await settled(w, b.json.jobId);

    // Assess
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(b.json.by).toBe('fedor');
  });
});

describe('the synchronous report’s read budget over DynamoDB Local', () => {
  it('with no budget left, GET /operator/reports/{name} answers 422 REPORT_NEEDS_JOB naming the job route; with the default it answers', async () => {
    // Prepare
    const none = await operatorWorld({ reportSyncBudgetMs: 0 });
    await seed(none);
    const ample = await operatorWorld({ reportSyncBudgetMs: 20_000 });
    await seed(ample);

    // Act
    const refused = await none.call('GET', '/operator/reports/aging', undefined, { query: { asOf: '2026-11-24' } });
    const answered = await ample.call('GET', '/operator/reports/aging', undefined, { query: { asOf: '2026-11-24' } });

    // Assess
    expect(refused.statusCode).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'REPORT_NEEDS_JOB', job: { method: 'POST', path: '/operator/reports/aging/jobs' } });
    expect(refused.json.error.message).toContain('POST /operator/reports/aging/jobs');
    expect(answered.statusCode).toBe(200);
    expect(answered.json.report).toBe('aging');
  });

  it('the DynamoDB source stops its Scan at the page where the read is aborted', async () => {
    // Prepare: one segment, pages of 4 items; the read is aborted when the first page arrives
    const w = await operatorWorld();
    await seed(w);
    const source = new DynamoReportSource({ doc: w.doc, tableName: w.tableName, timeZone: 'Europe/Moscow', segments: 1, pageSize: 4 });
    const full = await new DynamoReportSource({ doc: w.doc, tableName: w.tableName, timeZone: 'Europe/Moscow', segments: 1, pageSize: 4 }).scanAll();
    const budget = new AbortController();
    const pages: number[] = [];

    // Act
    const read = source.books({
      signal: budget.signal,
      onProgress: (p) => {
        pages.push(p.items);
        budget.abort(new Error('read budget spent'));
      },
    });

    // Assess
    await expect(read).rejects.toThrow('read budget spent');
    expect(pages).toEqual([pages[0]]);
    expect(full).toBeGreaterThan(8);
  });
});
