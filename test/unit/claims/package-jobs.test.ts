/**
 * Litigation packages as jobs (issue 17 item 10): the operator route starts a job and answers at once;
 * the worker (claim-case in the cloud, in-process locally) builds the package and records the outcome;
 * operators poll the job. A refused start records nothing; a build that fails or is cut off is reported.
 */
import { describe, expect, it } from 'vitest';
import { approveCase, onStageReached } from '../../../functions/app/claims.js';
import { PACKAGE_JOB_DEADLINE_MS, packageJobStatus, runPackageJob, startPackageJob, type PackageJobDeps } from '../../../functions/app/package-jobs.js';
import { claimCaseSteps } from '../../../functions/handlers/claim-case.js';
import { NotFoundError, TransientError } from '../../../functions/domain/errors.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import type { PackageJob } from '../../../functions/ports/package-jobs.js';
import { MemoryJobs, QueueWorker } from '../../support/jobs.js';
import { depsWith, MemoryLedger, smirnovLedger } from './fakes.js';

async function world(opts: { approve?: boolean } = {}) {
  const clock = { now: new Date('2025-09-02T09:00:00Z') };
  const claims = depsWith(new MemoryLedger(smirnovLedger()), { clock });
  const { caseId } = await onStageReached(claims, { customerId: 'smirnov', runDate: '2025-09-02' as CalendarDate, stage: 'claim', invoices: [{ invoiceId: 'inv-501' }] });
  if (opts.approve !== false) await approveCase(claims, { caseId: caseId!, by: 'lawyer', role: 'legal' });
  const jobs = new MemoryJobs<PackageJob, 'manifest'>();
  const worker = new QueueWorker<PackageJob>();
  let n = 0;
  const deps: PackageJobDeps = { claims, jobs, worker, now: () => clock.now, newId: () => `pkg-00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
  return { claims, caseId: caseId!, jobs, worker, deps, clock };
}

describe('litigation package jobs', () => {
  it('start answers with a running job before anything is built; the worker builds it; the poll then shows the manifest', async () => {
    // Prepare
    const w = await world();

    // Act
    const job = await startPackageJob(w.deps, { caseId: w.caseId, by: 'lev', asOf: '2025-09-02' as CalendarDate });
    const whileQueued = await packageJobStatus(w.deps, job.jobId);
    const filesBefore = [...w.claims.documents.files.keys()];
    const outcome = await runPackageJob(w.deps, w.worker.queued[0]!);
    const done = await packageJobStatus(w.deps, job.jobId);

    // Assess
    expect(job).toMatchObject({ caseId: w.caseId, status: 'running', by: 'lev', asOf: '2025-09-02', startedAt: '2025-09-02T09:00:00.000Z' });
    expect(w.worker.queued).toEqual([job]);
    expect(whileQueued.status).toBe('running');
    expect(filesBefore.filter((k) => k.startsWith(`cases/${w.caseId}/`))).toEqual([]);
    expect(outcome).toBe('done');
    expect(done.status).toBe('done');
    expect(done.manifest).toMatchObject({ caseId: w.caseId, asOf: '2025-09-02', total: '95720.00' });
    for (const f of done.manifest!.files) expect(w.claims.documents.files.has(f.key), f.key).toBe(true);
    expect(done.manifest!.files.length).toBeGreaterThan(3);
    expect((await w.claims.cases.get(w.caseId))!.package).toMatchObject({ manifestKey: `cases/${w.caseId}/manifest.json` });
  });

  it('refuses a case without approval at once, with the typed error, and records no job', async () => {
    // Prepare
    const w = await world({ approve: false });

    // Act
    const start = startPackageJob(w.deps, { caseId: w.caseId, by: 'lev' });

    // Assess
    await expect(start).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED', status: 409 });
    await expect(startPackageJob(w.deps, { caseId: 'no-such-case', by: 'lev' })).rejects.toBeInstanceOf(NotFoundError);
    expect(w.jobs.jobs.size).toBe(0);
    expect(w.worker.queued).toEqual([]);
  });

  it('a worker that does not take the job fails the start and the job says so', async () => {
    // Prepare
    const w = await world();
    w.worker.failing = true;

    // Act
    const start = startPackageJob(w.deps, { caseId: w.caseId, by: 'lev' });

    // Assess
    await expect(start).rejects.toBeInstanceOf(TransientError);
    expect([...w.jobs.jobs.values()].map((j) => [j.status, j.error?.code])).toEqual([['failed', 'TRANSIENT']]);
  });

  it('an event delivered twice builds once, and an event for a job never recorded builds nothing', async () => {
    // Prepare
    const w = await world();
    const job = await startPackageJob(w.deps, { caseId: w.caseId, by: 'lev' });
    await runPackageJob(w.deps, job);
    let puts = 0;
    const put = w.claims.documents.put.bind(w.claims.documents);
    w.claims.documents.put = async (...a: Parameters<typeof put>) => {
      puts++;
      return put(...a);
    };

    // Act
    const again = await runPackageJob(w.deps, job);
    const stray = await runPackageJob(w.deps, { ...job, jobId: 'pkg-00000000-0000-4000-8000-00000000dead' });

    // Assess
    expect(again).toBe('done');
    expect(stray).toBe('failed');
    expect(puts).toBe(0);
  });

  it('a build that fails is recorded on the job with its code (nothing thrown for Lambda to retry)', async () => {
    // Prepare
    const w = await world();
    const job = await startPackageJob(w.deps, { caseId: w.caseId, by: 'lev' });
    w.claims.documents.put = async () => {
      throw new TransientError('S3 is slow down');
    };

    // Act
    const outcome = await runPackageJob(w.deps, job);

    // Assess
    expect(outcome).toBe('failed');
    expect(await packageJobStatus(w.deps, job.jobId)).toMatchObject({ status: 'failed', error: { code: 'TRANSIENT', message: 'S3 is slow down' } });
  });

  it('a job still running past its deadline (dropped from the queue or cut off by the timeout) is reported failed', async () => {
    // Prepare
    const w = await world();
    const job = await startPackageJob(w.deps, { caseId: w.caseId, by: 'lev' });

    // Act
    w.clock.now = new Date(w.clock.now.getTime() + PACKAGE_JOB_DEADLINE_MS - 1);
    const before = await packageJobStatus(w.deps, job.jobId);
    w.clock.now = new Date(w.clock.now.getTime() + 2);
    const after = await packageJobStatus(w.deps, job.jobId);

    // Assess
    expect(before.status).toBe('running');
    expect(after).toMatchObject({ status: 'failed', error: { code: 'TIMED_OUT' } });
    await expect(packageJobStatus(w.deps, 'pkg-unknown')).rejects.toBeInstanceOf(NotFoundError);
  });

  it("claim-case's packageJob action (the Lambda's asynchronous event) runs the job on the function's own store", async () => {
    // Prepare
    const w = await world();
    const job = await startPackageJob(w.deps, { caseId: w.caseId, by: 'lev' });
    const steps = claimCaseSteps({ ...w.claims, packageJobs: w.jobs });

    // Act
    const status = await steps.packageJob({ action: 'packageJob', jobId: job.jobId, caseId: job.caseId, by: 'lev' });

    // Assess
    expect(status).toBe('done');
    expect((await w.jobs.get(job.jobId))?.status).toBe('done');
    await expect(steps.packageJob({ action: 'packageJob', caseId: job.caseId })).rejects.toMatchObject({ fields: [{ field: 'event.jobId' }, { field: 'event.by' }] });
  });
});
