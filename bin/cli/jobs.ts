/**
 * What the CLI does with any operator job (litigation packages: package-jobs.ts; reports: reports.ts):
 * poll GET /operator/<kind>-jobs/{jobId} until it is no longer running, one progress line per poll on
 * stderr ("<what>… N s", the style of the report's progress line).
 */
import type { CliIo } from './io.js';

/** How often a job is polled (CLAIMFLOW_POLL_MS overrides, e.g. in tests). */
const pollMs = (io: CliIo) => Number(io.env.CLAIMFLOW_POLL_MS ?? 2000);

/** Polls `job` with `get` until its status is not "running"; `what(job)` names it on each progress line. */
export async function pollJob<J extends { jobId: string; status: string }>(io: CliIo, job: J, get: (jobId: string) => Promise<J>, what: (job: J) => string): Promise<J> {
  const started = Date.now();
  let j = job;
  while (j.status === 'running') {
    io.stderr(`${what(j)}… ${Math.round((Date.now() - started) / 1000)} s\n`);
    await new Promise((r) => setTimeout(r, pollMs(io)));
    j = await get(j.jobId);
  }
  return j;
}
