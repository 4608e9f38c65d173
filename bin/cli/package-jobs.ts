/**
 * `claimflow case package`: the litigation package is built as a job (POST → 202 with the job), so
 * the CLI polls GET /operator/package-jobs/{jobId} and shows progress on stderr until the job is done
 * or failed; `--out DIR` then downloads every file of the manifest (GET /operator/documents?key=…).
 * `--no-wait` prints the job and returns; `case package-job <jobId>` shows it later.
 */
import { join } from 'node:path';
import type { PackageJobView } from './api.js';
import type { OperatorClient } from './client.js';
import { type CliIo, emit, type Global } from './io.js';
import { pollJob } from './jobs.js';

const seg = encodeURIComponent;

export const startPackageJob = (api: OperatorClient, caseId: string, body: { asOf?: string }) => api.post<PackageJobView>(`cases/${seg(caseId)}/package`, body);
export const packageJob = (api: OperatorClient, jobId: string) => api.get<PackageJobView>(`package-jobs/${seg(jobId)}`);

/** Polls the job until it is no longer running, writing one progress line per poll to stderr. */
export const waitForPackage = (io: CliIo, api: OperatorClient, job: PackageJobView): Promise<PackageJobView> =>
  pollJob(
    io,
    job,
    (jobId) => packageJob(api, jobId),
    (j) => `Building the litigation package of ${j.caseId} (job ${j.jobId})`,
  );

/** Prints a job (and, with `out`, downloads the files of a done job there); exit code 0 only when done (or still running by request). */
export async function reportPackage(io: CliIo, g: Global, api: OperatorClient, j: PackageJobView, out?: string): Promise<number> {
  const saved: string[] = [];
  if (j.status === 'done' && out) {
    for (const f of j.manifest?.files ?? []) {
      const bytes = await api.bytes('documents', { key: f.key }, '');
      const path = join(out, f.name);
      await io.writeFile(path, bytes);
      saved.push(path);
    }
  }
  emit(io, g, { ...j, ...(saved.length ? { saved } : {}) }, () => {
    if (j.status === 'running') {
      io.stdout(`Litigation package of ${j.caseId}: building (job ${j.jobId}). Check with: claimflow case package-job ${j.jobId}\n`);
    } else if (j.status === 'failed') {
      io.stdout(`Litigation package of ${j.caseId} failed (job ${j.jobId}): ${j.error?.code ?? ''} ${j.error?.message ?? ''}\n`);
    } else {
      const m = j.manifest;
      const files = (m?.files ?? []).map((f) => `  ${f.name}  ${f.key}${f.bytes !== undefined ? `  ${f.bytes} bytes` : ''}`).join('\n');
      const warnings = (m?.warnings ?? []).map((w) => `  ! ${w.message ?? w.code}`).join('\n');
      io.stdout(`Litigation package of ${j.caseId} (as of ${m?.asOf ?? '—'}, total ${m?.total ?? '—'}):\n${files}\n${warnings ? `${warnings}\n` : ''}`);
      if (saved.length) io.stdout(`Saved ${saved.length} files to ${out}\n`);
      else io.stdout('Download a file: claimflow document <key> --out FILE (or all of them: case package … --out DIR)\n');
    }
  });
  return j.status === 'failed' ? 1 : 0;
}
