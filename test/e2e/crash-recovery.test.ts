/**
 * Crash recovery resolves itself (issue 12, items 6 and 7): `npm start -- --once --as-of D` over the
 * demo ledger plus 24 debtors is killed (SIGKILL to its whole process group: node, DynamoDB Local's
 * JVM, local SES) in the middle of the run; the same command started again continues the interrupted
 * execution, and every letter of the date ends sent exactly once — no operator step.
 *
 * One trial here (killed after the 4th email); CRASH_TRIALS=N runs N (kill points
 * spread over the run) for a longer soak.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bin/local/ports.js';
import { schemaErrors } from '../support/schemas.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_DATE = '2026-11-24';
const FIXTURE = path.join(ROOT, 'test/e2e/fixtures/crash-fixture.ts');
const LOCAL = path.join(ROOT, 'bin/local.ts');

function run(args: string[], opts: { detached?: boolean } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    detached: !!opts.detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'ERROR' },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done };
}

const journalOf = (dataDir: string) => path.join(dataDir, 'ses', 'send-journal.jsonl');
async function journal(dataDir: string): Promise<{ letterId: string | null }[]> {
  if (!existsSync(journalOf(dataDir))) return [];
  return (await readFile(journalOf(dataDir), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { letterId: string | null }];
      } catch {
        return [];
      }
    });
}

const startArgs = async (dataDir: string) => [
  LOCAL,
  '--once',
  '--as-of',
  RUN_DATE,
  '--json',
  '--data-dir',
  dataDir,
  '--port',
  String(await freePort()),
  '--dynamo-port',
  String(await freePort()),
  '--ses-port',
  String(await freePort()),
];

const trials = Number(process.env.CRASH_TRIALS ?? 1);
const killPoints = Array.from({ length: trials }, (_, i) => (trials === 1 ? 4 : 1 + Math.floor((i * 30) / trials)));

describe('crash recovery on the local stack', () => {
  let prepared: string;
  beforeAll(async () => {
    prepared = await mkdtemp(path.join(tmpdir(), 'claimflow-crash-base-'));
    const p = await run([FIXTURE, 'prepare', prepared, RUN_DATE]).done;
    expect(p.out, p.err).toContain('"prepared":true');
  }, 180_000);

  it.each(killPoints)(
    'killed after %i email(s), the same command continues the run: every letter sent exactly once, no manual step',
    async (killAfter) => {
      // Prepare: a copy of the prepared database.
      const dataDir = await mkdtemp(path.join(tmpdir(), 'claimflow-crash-'));
      await cp(prepared, dataDir, { recursive: true });
      // Act: the run, killed with its whole process group once `killAfter` emails went out.
      const first = run(await startArgs(dataDir), { detached: true });
      let killed = false;
      while (!killed) {
        const exited = await Promise.race([first.done.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);
        if (exited) break;
        if ((await journal(dataDir)).length >= killAfter) {
          process.kill(-first.child.pid!, 'SIGKILL');
          killed = true;
        }
      }
      const crashed = await first.done;
      const sentBeforeCrash = (await journal(dataDir)).length;
      const again = await run(await startArgs(dataDir)).done;
      const inspected = await run([FIXTURE, 'inspect', dataDir, RUN_DATE]).done;
      // Assess
      expect(killed, 'the run finished before the kill point').toBe(true);
      expect(crashed.signal).toBe('SIGKILL');
      expect(again.code, again.err).toBe(0);
      const summary = JSON.parse(again.out.trim().split('\n').at(-1)!);
      expect(summary).toMatchObject({ status: 'SUCCEEDED', resumed: true, ambiguous: 0, sending: 0 });
      expect(schemaErrors('run-once.json', summary)).toEqual([]); // the --json line as documented
      const letters = JSON.parse(inspected.out.trim().split('\n').at(-1)!) as { customerId: string; stage: string; status: string; channels: string[] }[];
      expect(letters.length).toBeGreaterThanOrEqual(30);
      expect(letters.filter((l) => l.status !== 'sent' && l.status !== 'cancelled')).toEqual([]);
      const emails = (await journal(dataDir)).map((e) => e.letterId).filter((id): id is string => !!id);
      const mailed = letters.filter((l) => l.channels.includes('email') || l.channels.includes('legal-notice'));
      expect(new Set(emails).size).toBe(emails.length); // no letter emailed twice
      expect(emails.length).toBe(mailed.length); // none missed
      expect(sentBeforeCrash).toBeGreaterThanOrEqual(killAfter);
    },
    400_000,
  );
});
