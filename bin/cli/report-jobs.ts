/**
 * `claimflow report … --job`: the report runs as a job on the server (POST /operator/reports/{name}/jobs
 * → 202), the CLI polls it with a progress line on stderr until it is done, then downloads its file
 * (GET /operator/documents?key=…). `claimflow report` without --job switches to this by itself when the
 * synchronous report answers REPORT_NEEDS_JOB (the ledger is too big to read within a request).
 */
import type { ReportJobView } from './api.js';
import { OperatorClient } from './client.js';
import type { CliIo, Global } from './io.js';
import { pollJob } from './jobs.js';
import { call, ServerError } from './transport.js';

/** The synchronous report's answer when its read budget ran out (functions/domain/errors.ts ReportNeedsJobError). */
export const REPORT_NEEDS_JOB = 'REPORT_NEEDS_JOB';

/** A job that ended failed (its error's code and message); exit code 1. */
export class ReportJobFailed extends Error {}

const seg = encodeURIComponent;

/** Starts the report as a job, waits for it (progress on stderr) and returns its file's bytes. */
export async function reportAsJob(io: CliIo, g: Global, name: string, query: Record<string, string | undefined>, what: string): Promise<{ job: ReportJobView; bytes: Uint8Array }> {
  const api = new OperatorClient(io, g);
  const body = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
  const started = await api.post<ReportJobView>(`reports/${seg(name)}/jobs`, body);
  const job = await pollJob(
    io,
    started,
    (jobId) => api.get<ReportJobView>(`report-jobs/${seg(jobId)}`),
    (j) => `${what} (job ${j.jobId})`,
  );
  if (job.status !== 'done' || !job.result) throw new ReportJobFailed(`${what} failed (job ${job.jobId}): ${job.error?.code ?? ''} ${job.error?.message ?? ''}`.trim());
  const file = await call(io, g, 'GET', 'documents', { query: { key: job.result.key } });
  if (file.status !== 200) throw new ServerError(file);
  io.stderr(`${what}: done (job ${job.jobId}, ${job.result.readItems} items read, ${job.result.rows} rows)\n`);
  return { job, bytes: file.bytes };
}
