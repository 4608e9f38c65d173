/**
 * Reports as jobs (issue 14, reports at 1M invoices): the route starts a job after validating the
 * request as buildReport does; the worker (weekly-summary in the cloud, in-process locally) builds the
 * report without a read budget and writes its file under reports/jobs/<jobId>/; operators poll the job.
 * The synchronous report reads within a budget and answers REPORT_NEEDS_JOB when it runs out.
 */
import { describe, expect, it } from 'vitest';
import {
  buildReportWithin,
  REPORT_JOB_DEADLINE_MS,
  REPORT_JOB_QUEUE_MS,
  REPORT_JOB_RUN_MS,
  reportJobStatus,
  runReportJob,
  startReportJob,
  type ReportJobDeps,
} from '../../../functions/app/report-jobs.js';
import type { ReportsDeps } from '../../../functions/app/reports.js';
import { errorBody, NotFoundError, ReportNeedsJobError, TransientError, ValidationError } from '../../../functions/domain/errors.js';
import { parseReportsConfig } from '../../../functions/domain/reports/config.js';
import type { CustomerBook } from '../../../functions/domain/reports/model.js';
import type { ReportJob } from '../../../functions/ports/report-jobs.js';
import { MemoryJobs, QueueWorker } from '../../support/jobs.js';
import type { ReadProgress, ReportSource } from '../../../functions/ports/reports.js';
import { parseWeeklySummaryEvent } from '../../../functions/handlers/weekly-summary-event.js';
import { customer, invoice, payment } from '../ledger/builders.js';
import { bookOf } from './arbitraries.js';
import { MemoryDocuments } from '../claims/fakes.js';

const BOOKS: CustomerBook[] = [
  bookOf([customer('C1', { manager: 'Анна' }), invoice('I1', '1000.00', '2025-03-01', '2025-03-10'), payment('P1', '400.00', '2025-03-12', { invoiceIds: ['I1'] })]),
  bookOf([customer('C2'), invoice('I2', '250.00', '2025-02-01', '2025-02-15')]),
];

/** A ledger read of two pages (3 and 2 items), recording the signals it was given; `fail` makes it throw. */
class PagedSource implements ReportSource {
  readonly signals: (AbortSignal | undefined)[] = [];
  fail?: Error;
  async books(opts: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {}) {
    this.signals.push(opts.signal);
    if (this.fail) throw this.fail;
    opts.onProgress?.({ items: 3, customers: 1 });
    opts.onProgress?.({ items: 5, customers: 2 });
    return BOOKS;
  }
}

/** A read that never ends on its own: it stops only when its signal is aborted (a ledger too big for the budget). */
class EndlessSource implements ReportSource {
  sawAbortedAtStart = false;
  books(opts: { signal?: AbortSignal } = {}): Promise<CustomerBook[]> {
    return new Promise((_, reject) => {
      const signal = opts.signal;
      if (!signal) return; // no budget: it would read forever (not used so)
      if (signal.aborted) {
        this.sawAbortedAtStart = true;
        reject(signal.reason);
        return;
      }
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
}

function world() {
  const clock = { now: new Date('2025-03-15T09:00:00Z') };
  const source = new PagedSource();
  const documents = new MemoryDocuments();
  const reports: ReportsDeps = { source, config: parseReportsConfig(undefined), documents };
  const jobs = new MemoryJobs<ReportJob, 'result'>();
  const worker = new QueueWorker<ReportJob>('the report worker did not accept the job');
  let n = 0;
  const deps: ReportJobDeps = { reports, documents, jobs, worker, now: () => clock.now, newId: () => `rpt-00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
  return { clock, source, reports, documents, jobs, worker, deps };
}

describe('report jobs', () => {
  it('start answers with a running job before anything is read; the worker writes the xlsx under reports/jobs/<jobId>/; the poll then shows where it is', async () => {
    // Prepare
    const w = world();

    // Act
    const job = await startReportJob(w.deps, { name: 'aging', params: { asOf: '2025-03-15', groupBy: 'manager', format: 'xlsx' }, by: 'fedor' });
    const whileQueued = await reportJobStatus(w.deps, job.jobId);
    const readsBefore = w.source.signals.length;
    const outcome = await runReportJob(w.deps, w.worker.queued[0]!);
    const done = await reportJobStatus(w.deps, job.jobId);

    // Assess
    expect(job).toMatchObject({
      name: 'aging',
      params: { asOf: '2025-03-15', groupBy: 'manager', format: 'xlsx' },
      status: 'running',
      by: 'fedor',
      startedAt: '2025-03-15T09:00:00.000Z',
    });
    expect(w.worker.queued).toEqual([job]);
    expect(whileQueued.status).toBe('running');
    expect(readsBefore).toBe(0);
    expect(outcome).toBe('done');
    const key = `reports/jobs/${job.jobId}/aging-2025-03-15-by-manager.xlsx`;
    expect(done).toMatchObject({
      status: 'done',
      finishedAt: '2025-03-15T09:00:00.000Z',
      result: { key, filename: 'aging-2025-03-15-by-manager.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', rows: 2, readItems: 5 },
    });
    const file = w.documents.files.get(key)!;
    expect(done.result!.bytes).toBe(file.body.byteLength);
    expect(Buffer.from(file.body.subarray(0, 2)).toString('latin1')).toBe('PK'); // a zip: the workbook
    expect(w.source.signals).toEqual([undefined]); // a job reads without a budget
  });

  it('writes a json report as the report’s JSON', async () => {
    // Prepare
    const w = world();
    const job = await startReportJob(w.deps, { name: 'unpaid', params: { asOf: '2025-03-15' }, by: 'anna' });

    // Act
    await runReportJob(w.deps, w.worker.queued[0]!);
    const done = await reportJobStatus(w.deps, job.jobId);

    // Assess
    expect(done.result).toMatchObject({ filename: 'unpaid-2025-03-15-by-customer.json', contentType: 'application/json; charset=utf-8' });
    const report = JSON.parse(w.documents.text(done.result!.key));
    expect(report).toMatchObject({ report: 'unpaid', asOf: '2025-03-15' });
    expect(report.detail.rows).toHaveLength(done.result!.rows);
  });

  it.each([
    ['an unknown report', 'ageing', { asOf: '2025-03-15' }, 'report'],
    ['an unknown grouping', 'aging', { asOf: '2025-03-15', groupBy: 'colour' }, 'groupBy'],
    ['buckets that overlap or leave gaps', 'aging', { asOf: '2025-03-15', buckets: '0,60,30' }, 'buckets[2]'],
    ['an impossible date', 'aging', { asOf: '2025-02-30' }, 'asOf'],
    ['a range ending before it starts', 'dynamics', { asOf: '2025-03-15', from: '2025-03-10', to: '2025-03-01' }, 'to'],
    ['no as-of date', 'aging', {}, 'asOf'],
    ['an unknown format', 'aging', { asOf: '2025-03-15', format: 'docx' }, 'format'],
    ['an unknown source', 'dynamics', { asOf: '2025-03-15', source: 'cache' }, 'source'],
    ['debtors only where they are not exact', 'dynamics', { asOf: '2025-03-15', source: 'debtors' }, 'source'],
    ['snapshots for days that have none', 'dynamics', { asOf: '2025-03-15', from: '2025-03-10', source: 'snapshots' }, 'source'],
  ])('refuses %s at once with a ValidationError naming it, and records nothing', async (_what, name, params, field) => {
    // Prepare
    const w = world();

    // Act
    const started = startReportJob(w.deps, { name, params: params as Record<string, string>, by: 'anna' });

    // Assess
    await expect(started).rejects.toBeInstanceOf(ValidationError);
    await expect(started).rejects.toMatchObject({ fields: expect.arrayContaining([expect.objectContaining({ field })]) });
    expect(w.jobs.jobs.size).toBe(0);
    expect(w.worker.queued).toEqual([]);
  });

  it('a worker that does not take the job leaves it failed with that error, and the start fails with it', async () => {
    // Prepare
    const w = world();
    w.worker.failing = true;

    // Act
    const started = startReportJob(w.deps, { name: 'aging', params: { asOf: '2025-03-15' }, by: 'anna' });

    // Assess
    await expect(started).rejects.toBeInstanceOf(TransientError);
    const [job] = [...w.jobs.jobs.values()];
    expect(job).toMatchObject({ status: 'failed', error: { code: 'TRANSIENT', message: 'the report worker did not accept the job' } });
  });

  it('records a failed build with the typed error’s code and message, and anything else as INTERNAL without a stack', async () => {
    // Prepare
    const w = world();
    const a = await startReportJob(w.deps, { name: 'aging', params: { asOf: '2025-03-15' }, by: 'anna' });
    const b = await startReportJob(w.deps, { name: 'aging', params: { asOf: '2025-03-15' }, by: 'anna' });

    // Act
    w.source.fail = new TransientError('DynamoDB throttled the scan');
    const first = await runReportJob(w.deps, w.worker.queued[0]!);
    w.source.fail = new TypeError('x is undefined');
    const second = await runReportJob(w.deps, w.worker.queued[1]!);

    // Assess
    expect([first, second]).toEqual(['failed', 'failed']);
    expect(await reportJobStatus(w.deps, a.jobId)).toMatchObject({ status: 'failed', error: { code: 'TRANSIENT', message: 'DynamoDB throttled the scan' } });
    const failed = await reportJobStatus(w.deps, b.jobId);
    expect(failed.error).toEqual({ code: 'INTERNAL', message: 'the report could not be built (see the worker log)' });
    expect(JSON.stringify(failed)).not.toContain('TypeError');
    expect(w.documents.files.size).toBe(0);
  });

  it('does not run a settled job again (an event delivered twice), nor one that is not recorded', async () => {
    // Prepare
    const w = world();
    const job = await startReportJob(w.deps, { name: 'aging', params: { asOf: '2025-03-15' }, by: 'anna' });
    await runReportJob(w.deps, w.worker.queued[0]!);
    const reads = w.source.signals.length;

    // Act
    const again = await runReportJob(w.deps, w.worker.queued[0]!);

    const unknown = await runReportJob(w.deps, { ...w.worker.queued[0]!, jobId: 'rpt-00000000-0000-4000-8000-000000000099' });

    // Assess
    expect(again).toBe('done');
    expect(unknown).toBe('failed');
    expect(w.source.signals.length).toBe(reads);
    expect((await reportJobStatus(w.deps, job.jobId)).status).toBe('done');
  });

  it('reports a job still running past its deadline (queue age + the worker’s 900 s + a minute) as failed TIMED_OUT; an unknown job is not found', async () => {
    // Prepare
    const w = world();
    const job = await startReportJob(w.deps, { name: 'aging', params: { asOf: '2025-03-15' }, by: 'anna' });

    // Act
    w.clock.now = new Date(w.clock.now.getTime() + REPORT_JOB_DEADLINE_MS);
    const atDeadline = await reportJobStatus(w.deps, job.jobId);
    w.clock.now = new Date(w.clock.now.getTime() + 1);
    const after = await reportJobStatus(w.deps, job.jobId);

    // Assess
    expect(REPORT_JOB_DEADLINE_MS).toBe(REPORT_JOB_QUEUE_MS + REPORT_JOB_RUN_MS + 60_000);
    expect(REPORT_JOB_RUN_MS).toBe(900_000);
    expect(atDeadline.status).toBe('running');
    expect(after).toMatchObject({ status: 'failed', error: { code: 'TIMED_OUT' } });
    expect(w.jobs.jobs.get(job.jobId)!.status).toBe('running'); // reported, not rewritten
    await expect(reportJobStatus(w.deps, 'rpt-unknown')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('the synchronous report’s read budget', () => {
  it('stops a read that outlasts the budget and answers REPORT_NEEDS_JOB (422) naming the job route', async () => {
    // Prepare
    const source = new EndlessSource();
    const deps: ReportsDeps = { source, config: parseReportsConfig(undefined) };

    // Act
    const r = buildReportWithin(deps, { name: 'aging', asOf: '2025-03-15' }, 5);

    // Assess
    await expect(r).rejects.toBeInstanceOf(ReportNeedsJobError);
    const err = await r.catch((e: unknown) => e as ReportNeedsJobError);
    const { status, body } = errorBody(err);
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'REPORT_NEEDS_JOB', job: { method: 'POST', path: '/operator/reports/aging/jobs' } });
    expect(body.error.message).toContain('POST /operator/reports/aging/jobs');
    expect(source.sawAbortedAtStart).toBe(false);
  });

  it('with a budget of 0 sends every ledger read to a job before it starts; a read within the budget answers the report', async () => {
    // Prepare
    const endless = new EndlessSource();
    const paged = new PagedSource();
    const config = parseReportsConfig(undefined);

    // Act
    const zero = buildReportWithin({ source: endless, config }, { name: 'unpaid', asOf: '2025-03-15' }, 0);
    const within = await buildReportWithin({ source: paged, config }, { name: 'unpaid', asOf: '2025-03-15' }, 60_000);

    // Assess
    await expect(zero).rejects.toMatchObject({ code: 'REPORT_NEEDS_JOB', status: 422 });
    expect(endless.sawAbortedAtStart).toBe(true);
    expect(within.report.detail.rows.length).toBe(2);
    expect(paged.signals[0]?.aborted).toBe(false);
  });

  it('passes a read’s own failure through unchanged, and bad input is still a 400 before anything is read', async () => {
    // Prepare
    const paged = new PagedSource();
    paged.fail = new TransientError('DynamoDB throttled the scan');
    const config = parseReportsConfig(undefined);

    // Act
    const failing = buildReportWithin({ source: paged, config }, { name: 'aging', asOf: '2025-03-15' }, 60_000);
    const bad = buildReportWithin({ source: new EndlessSource(), config }, { name: 'aging', asOf: '2025-13-01' }, 0);

    // Assess
    await expect(failing).rejects.toBeInstanceOf(TransientError);
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('the weekly-summary function’s report-job event', () => {
  it('parses the event operator-api sends, and names each bad field', () => {
    // Prepare
    const event = { action: 'report-job', jobId: 'rpt-00000000-0000-4000-8000-000000000001', name: 'aging', params: { asOf: '2025-03-15', format: 'xlsx' }, by: 'fedor' };

    // Act
    const parsed = parseWeeklySummaryEvent(event);
    const bad = () => parseWeeklySummaryEvent({ action: 'report-job', jobId: 'pkg-1', name: 'aging', params: { colour: 'red' } });

    // Assess
    expect(parsed).toEqual(event);
    expect(parseWeeklySummaryEvent({ scheduledTime: '2025-03-17T05:00:00Z' })).toEqual({ scheduledTime: '2025-03-17T05:00:00Z' });
    expect(parseWeeklySummaryEvent({ snapshot: true, date: '2025-03-16' })).toMatchObject({ snapshot: true });
    expect(bad).toThrow(ValidationError);
    try {
      bad();
    } catch (err) {
      expect((err as ValidationError).fields.map((f) => f.field)).toEqual(expect.arrayContaining(['event.jobId', 'event.by']));
    }
  });
});
