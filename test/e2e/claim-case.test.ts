/**
 * Claim cases on the local stack: the demo run opens a case at the claim stage and asks the legal team
 * at litigation; the ClaimCase workflow waits until a lawyer approves through the operator API, then
 * builds the litigation package. No package without approval; only the legal role approves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../bin/local/stack.js';
import { main, type CliIo } from '../../bin/cli.js';
import { operatorCall, testStack, until } from '../support/local-stack.js';

const op = (stack: LocalStack, method: string, path: string, body?: unknown) => operatorCall(stack, 'lawyer-olga', method, path, body);

describe('claim cases and the litigation package', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack({ demo: true, demoAsOf: '2026-11-24' as never });
    const run = await stack.runDunning({ runDate: '2026-11-24' as never });
    expect(run.status).toBe('SUCCEEDED');
  });
  afterAll(async () => stack?.stop());

  it('opens a case at the claim stage and asks for approval at litigation', async () => {
    // Act
    const { body } = await op(stack, 'GET', 'cases');
    // Assess
    const byCustomer = Object.fromEntries(body.cases.map((c: any) => [c.customerId, c]));
    expect(byCustomer['demo-sever']?.status).toBe('pre-trial');
    expect(byCustomer['demo-smirnov']?.status).toBe('awaiting-approval');
  });

  it('refuses the package before approval and an approval without the legal role', async () => {
    // Prepare
    const { body } = await op(stack, 'GET', 'cases?customer=demo-smirnov');
    const caseId = body.cases[0].caseId;
    // Act
    const pkg = await op(stack, 'POST', `cases/${caseId}/package`, {});
    const wrongRole = await op(stack, 'POST', `cases/${caseId}/approve`, { role: 'collections' });
    // Assess
    expect(pkg.status).toBe(409);
    expect(wrongRole.status).toBe(403);
  });

  it('a lawyer approves; the waiting workflow builds the package with calculation, statement and letters', async () => {
    // Prepare
    const { body } = await op(stack, 'GET', 'cases?customer=demo-smirnov');
    const caseId = body.cases[0].caseId;
    // Act
    const approved = await op(stack, 'POST', `cases/${caseId}/approve`, { role: 'legal', note: 'Претензионный порядок соблюдён' });
    const done = await until(async () => {
      const c = (await op(stack, 'GET', `cases/${caseId}`)).body;
      return c.status === 'litigation' && c.package ? c : undefined;
    });
    // Assess
    expect(approved.status).toBe(200);
    expect(done.approval).toMatchObject({ by: 'lawyer-olga', role: 'legal' });
    const manifest = JSON.parse(readFileSync(fileURLToPath(done.package.manifestUri), 'utf8'));
    expect(manifest).toMatchObject({ caseId, customerId: 'demo-smirnov', principal: '86000.00', courtOrder: expect.anything() });
    const files: string[] = manifest.files.map((f: any) => f.uri);
    expect(files.some((u) => /calculation.*\.pdf$/.test(u))).toBe(true);
    expect(files.some((u) => /reconciliation.*\.pdf$/.test(u))).toBe(true);
    for (const u of files.filter((x) => x.startsWith('file:'))) expect(existsSync(fileURLToPath(u))).toBe(true);
  });

  it('an operator rebuilds the package as a job: 202 with the job, poll until done, download a file of its manifest', async () => {
    // Prepare
    const { body } = await op(stack, 'GET', 'cases?customer=demo-smirnov');
    const caseId = body.cases[0].caseId;

    // Act
    const started = await op(stack, 'POST', `cases/${caseId}/package`, { asOf: '2026-12-01' });
    const job = await until(async () => {
      const j = (await op(stack, 'GET', started.body.poll)).body;
      return j.status === 'running' ? undefined : j;
    });
    const file = job.manifest.files.find((f: any) => /calculation.*\.pdf$/.test(f.name));
    const download = await fetch(`${stack.urls.http}/operator/documents?key=${encodeURIComponent(file.key)}`, { headers: { 'x-claimflow-operator': 'lawyer-olga' } });
    const bytes = Buffer.from(await download.arrayBuffer());

    // Assess
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ caseId, status: 'running', by: 'lawyer-olga', asOf: '2026-12-01', poll: `package-jobs/${started.body.jobId}` });
    expect(job).toMatchObject({ jobId: started.body.jobId, status: 'done', manifest: { caseId, asOf: '2026-12-01' } });
    expect(download.status).toBe(200);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await op(stack, 'GET', 'package-jobs/pkg-00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('`claimflow case package` starts the job, shows progress while it polls, lists and downloads the files; --no-wait and package-job', async () => {
    // Prepare
    const { body } = await op(stack, 'GET', 'cases?customer=demo-smirnov');
    const caseId = body.cases[0].caseId;
    const cli = async (args: string[]) => {
      const out = { stdout: '', stderr: '', files: new Map<string, Uint8Array>() };
      const io: CliIo = {
        stdout: (t) => void (out.stdout += t),
        stderr: (t) => void (out.stderr += t),
        env: { CLAIMFLOW_ENDPOINT: stack.urls.http, USER: 'lawyer-olga', CLAIMFLOW_POLL_MS: '100' },
        readStdin: async () => '',
        readFile: async () => new Uint8Array(),
        writeFile: async (p, b) => void out.files.set(p, b),
        fetch: globalThis.fetch,
      };
      return { code: await main(args, io), ...out };
    };

    // Act
    const waited = await cli(['case', 'package', caseId, '--as-of', '2026-12-02', '--out', 'pkg']);
    const queued = await cli(['case', 'package', caseId, '--no-wait', '--json']);
    const jobId = JSON.parse(queued.stdout).jobId as string;
    const later = await until(async () => {
      const r = await cli(['case', 'package-job', jobId, '--json']);
      return JSON.parse(r.stdout).status === 'running' ? undefined : r;
    });

    // Assess
    expect(waited.code).toBe(0);
    expect(waited.stderr).toMatch(new RegExp(`Building the litigation package of ${caseId} \\(job pkg-[0-9a-f-]+\\)… \\d+ s`));
    expect(waited.stdout).toContain(`Litigation package of ${caseId} (as of 2026-12-02`);
    expect(waited.stdout).toMatch(/calculation.*\.pdf/);
    expect([...waited.files.keys()].some((k) => /^pkg\/.*calculation.*\.pdf$/.test(k))).toBe(true);
    for (const b of waited.files.values()) expect(b.byteLength).toBeGreaterThan(0);
    expect(queued.code).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({ caseId, status: 'running' });
    expect(later.code).toBe(0);
    expect(JSON.parse(later.stdout)).toMatchObject({ jobId, status: 'done' });
  });
});

describe('a claim case waiting when the local stack stops', () => {
  it('says it is still waiting, resumes the wait on the next start, and builds the package once approved', async () => {
    // Prepare: a persistent database; the Tuesday run leaves demo-smirnov's case awaiting approval
    const dataDir = await mkdtemp(path.join(tmpdir(), 'claimflow-resume-'));
    const firstLog: string[] = [];
    const first = await testStack({ demo: true, demoAsOf: '2026-11-24' as never, inMemory: false, dataDir, log: (l) => firstLog.push(l) });
    expect((await first.runDunning({ runDate: '2026-11-24' as never })).status).toBe('SUCCEEDED');
    const caseId = (await op(first, 'GET', 'cases?customer=demo-smirnov')).body.cases[0].caseId as string;
    await first.stop();
    await until(async () => (firstLog.some((l) => l.includes(`claim case ${caseId}: still waiting`)) ? true : undefined));
    const secondLog: string[] = [];
    const second = await testStack({ demo: true, inMemory: false, dataDir, log: (l) => secondLog.push(l) });
    try {
      // Act
      const approved = await op(second, 'POST', `cases/${caseId}/approve`, { role: 'legal', note: 'после перезапуска' });
      const done = await until(async () => {
        const c = (await op(second, 'GET', `cases/${caseId}`)).body;
        return c.status === 'litigation' && c.package ? c : undefined;
      });
      // Assess
      expect(firstLog.some((l) => /FAILED/.test(l))).toBe(false);
      expect(secondLog).toContain(`claim case ${caseId}: waiting for the legal team's approval again`);
      expect(approved.status).toBe(200);
      expect(existsSync(fileURLToPath(done.package.manifestUri))).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
