/** The supervisor in real processes: signals stop the children (a node child, DynamoDB Local, local SES) and free their ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CODE_SIGINT, EXIT_CODE_SIGTERM } from '../../bin/local/supervisor.js';
import { freePort, portIsFree } from '../../bin/local/ports.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const fixture = path.join(here, 'fixtures', 'supervised-script.ts');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Bounded wait: polls until `pred` holds or the deadline passes; returns the last value. */
async function eventually(pred: () => boolean, deadlineMs = 10_000): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return pred();
}

interface Run {
  script: ChildProcess;
  lines: Record<string, unknown>[];
  ready: Promise<{ childPid: number }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];
const childPids: number[] = [];

function runFixture(mode: 'wait' | 'throw' | 'stack', ...args: string[]): Run {
  const script = spawn(process.execPath, ['--import', 'tsx', fixture, mode, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(script);
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  let stderr = '';
  script.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const ready = new Promise<{ childPid: number }>((resolve, reject) => {
    script.stdout!.on('data', (b: Buffer) => {
      buf += b.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line.ready) {
          const pid = (line.childPid ?? line.sesPid) as number;
          childPids.push(pid);
          resolve({ childPid: pid });
        }
      }
    });
    script.once('exit', (code) => reject(new Error(`fixture exited (${code}) before it was ready: ${stderr}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => script.once('exit', (code, signal) => resolve({ code, signal })));
  return { script, lines, ready, exited };
}

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(t);
  }
}

afterEach(async () => {
  // Never leave processes behind, whatever a test did: SIGTERM first so the script stops its own children.
  for (const s of started.splice(0)) {
    if (s.exitCode !== null || s.signalCode !== null) continue;
    const gone = new Promise<void>((r) => s.once('exit', () => r()));
    s.kill('SIGTERM');
    await withDeadline(gone, 15_000, 'fixture cleanup').catch(() => s.kill('SIGKILL'));
  }
  for (const pid of childPids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

describe('supervisor in a real process', () => {
  it.each([
    ['SIGTERM', EXIT_CODE_SIGTERM],
    ['SIGINT', EXIT_CODE_SIGINT],
  ] as const)('on %s stops the child, runs stop functions in reverse order and exits with %i', async (signal, expectedCode) => {
    // Prepare
    const run = runFixture('wait');
    const { childPid } = await withDeadline(run.ready, 30_000, 'fixture start');
    const aliveBefore = isAlive(childPid);

    // Act
    process.kill(run.script.pid!, signal);
    const { code } = await withDeadline(run.exited, 30_000, 'fixture exit');

    // Assess
    expect(aliveBefore).toBe(true);
    expect(code).toBe(expectedCode);
    expect(await eventually(() => !isAlive(childPid))).toBe(true);
    expect(() => process.kill(childPid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(run.lines.filter((l) => l.stopped).map((l) => l.stopped)).toEqual(['second', 'first']);
  });

  it('on SIGTERM stops DynamoDB Local (the JVM) and local SES: their ports are free again', async () => {
    // Prepare
    const dynamoPort = await freePort();
    const sesPort = await freePort();
    const run = runFixture('stack', String(dynamoPort), String(sesPort));
    const { childPid: sesPid } = await withDeadline(run.ready, 90_000, 'stack start');
    const busyBefore = [await portIsFree(dynamoPort), await portIsFree(sesPort)];

    // Act
    process.kill(run.script.pid!, 'SIGTERM');
    const { code } = await withDeadline(run.exited, 30_000, 'fixture exit');

    // Assess
    expect(busyBefore).toEqual([false, false]);
    expect(code).toBe(EXIT_CODE_SIGTERM);
    expect(await eventually(() => !isAlive(sesPid))).toBe(true);
    const bothFree = async () => (await portIsFree(dynamoPort)) && (await portIsFree(sesPort));
    let freeAfter = await bothFree();
    for (let i = 0; i < 100 && !freeAfter; i++) {
      await new Promise((r) => setTimeout(r, 100));
      freeAfter = await bothFree();
    }
    expect(freeAfter).toBe(true);
  }, 120_000);

  it('on an uncaught error stops the child and exits with 1', async () => {
    // Prepare
    const run = runFixture('throw');
    const { childPid } = await withDeadline(run.ready, 30_000, 'fixture start');

    // Act
    const { code } = await withDeadline(run.exited, 30_000, 'fixture exit');

    // Assess
    expect(code).toBe(1);
    expect(await eventually(() => !isAlive(childPid))).toBe(true);
    expect(run.lines.filter((l) => l.stopped).map((l) => l.stopped)).toEqual(['second', 'first']);
  });
});
