/**
 * The court package is built as a job (building it can take longer than API Gateway's 29 s):
 * POST cases/{caseId}/package answers 202 with the job, GET package-jobs/{jobId} tells whether it is
 * still running, done (with the manifest) or failed. This polls once a second and reports the seconds
 * elapsed, so the page can show progress; a failed job throws its error (jobs.ts).
 */
import { enc, get, post } from './api.js';
import { runJob } from './jobs.js';

export interface PackageJob {
  jobId: string;
  caseId: string;
  status: 'running' | 'done' | 'failed';
  manifest?: { files: { name: string; key: string; title: string; bytes: number }[] };
  error?: { code: string; message: string };
}

export const buildPackage = (caseId: string, onProgress: (seconds: number) => void, pollMs = 1000): Promise<PackageJob> =>
  runJob(
    () => post<PackageJob>(`cases/${enc(caseId)}/package`, {}),
    (jobId) => get<PackageJob>(`package-jobs/${enc(jobId)}`),
    onProgress,
    'the package could not be built',
    pollMs,
  );
