/**
 * The `claimflow` CLI end to end over HTTP: bin/cli.ts main() against a node:http server that mounts
 * the operator router (serveOperator, as the local stack does) over the real adapters on DynamoDB Local.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../bin/cli.js';
import { serveOperator } from '../../functions/operator/node-http.js';
import { bankFile, operatorWorld, RUN_DATE, seed, type OperatorWorld } from '../adapters/operator/world.js';

let w: OperatorWorld;
let server: Server;
let endpoint: string;

function io(over: Partial<CliIo> = {}) {
  const out = { stdout: '', stderr: '', files: new Map<string, Uint8Array>() };
  const value: CliIo = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    env: { CLAIMFLOW_ENDPOINT: endpoint, USER: 'clerk' },
    readStdin: async () => '',
    readFile: async (p) => {
      if (p === 'statement.txt') return bankFile();
      throw new Error(`ENOENT: ${p}`);
    },
    writeFile: async (p, b) => void out.files.set(p, b),
    fetch: globalThis.fetch,
    ...over,
  };
  return { io: value, out };
}

async function cli(args: string[], over: Partial<CliIo> = {}) {
  const { io: value, out } = io(over);
  const code = await main(args, value);
  return { code, ...out };
}

beforeAll(async () => {
  w = await operatorWorld();
  await seed(w);
  server = createServer((req, res) => {
    serveOperator(w.deps, req, res).catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  endpoint = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('claimflow CLI', () => {
  it('pause, list, dry run, audit: the paused invoice is not dunned and the action is audited as $USER', async () => {
    // Prepare
    const pauseArgs = ['pause', 'C1', '--invoice', 'I-2', '--until', '2026-12-01', '--reason', 'quality dispute'];
    // Act
    const paused = await cli(pauseArgs);
    const listed = await cli(['pauses', 'C1', '--json']);
    const dry = await cli(['run', '--as-of', RUN_DATE, '--dry-run']);
    const dryJson = await cli(['run', '--as-of', RUN_DATE, '--dry-run', '--json']);
    const audit = await cli(['audit', '--customer', 'C1', '--json']);
    // Assess
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^Paused invoice I-2 of C1 \(dispute\) through 2026-12-01: pause id dispute-\d{14}-id\d+\n$/);
    expect(JSON.parse(listed.stdout).pauses).toMatchObject([{ invoiceId: 'I-2', kind: 'dispute', until: '2026-12-01', by: 'clerk', reason: 'quality dispute' }]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run for 2026-11-24: nothing was sent or recorded.');
    expect(dry.stdout).toMatch(/C1 +reminder +email +101 +15000\.00 RUB/);
    expect(dry.stdout).toMatch(/C1 +102 +disputed: no letters until 2026-12-01 inclusive/);
    expect(JSON.parse(dryJson.stdout).totals.letters).toEqual({ reminder: 2, warning: 0, claim: 0, litigation: 0 });
    expect(JSON.parse(audit.stdout).entries).toMatchObject([{ action: 'pause', by: 'clerk', reason: 'quality dispute', customerId: 'C1' }]);
  });

  it('bad input exits 2 and names the fields; a missing endpoint exits 1 with a hint', async () => {
    // Prepare
    const args = ['schedule', 'C2', '--installment', '2026-12-01:abc', '--reason', 'agreed'];
    // Act
    const bad = await cli(args);
    const usage = await cli(['pause', 'C1', '--until']);
    const down = await cli(['pauses', 'C1', '--endpoint', 'http://127.0.0.1:9']);
    const unknown = await cli(['frobnicate']);
    // Assess
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('installments.0.amount: must be a decimal string such as "1250.00"');
    expect(usage.code).toBe(2);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Is the local stack running?');
    expect(unknown.code).toBe(2);
  });

  it('reconcile prints the statement table and saves the PDF', async () => {
    // Prepare
    const args = ['reconcile', 'C2', '--from', '2026-11-01', '--to', '2026-11-20', '--pdf', 'akt.pdf'];
    // Act
    const r = await cli(args);
    // Assess
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reconciliation statement (акт сверки) — ООО «Лютик», INN 7802345678');
    expect(r.stdout).toMatch(/2026-11-20 +Closing balance +2000\.00 +0\.00 +2000\.00/);
    expect(Buffer.from(r.files.get('akt.pdf')!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('reconcile --contract: the statement by contract ("none" = no contract); an unknown contract is refused', async () => {
    // Act
    const none = await cli(['reconcile', 'C2', '--from', '2026-11-01', '--to', '2026-11-20', '--contract', 'none']);
    const json = await cli(['reconcile', 'C2', '--from', '2026-11-01', '--to', '2026-11-20', '--json']);
    const unknown = await cli(['reconcile', 'C2', '--from', '2026-11-01', '--to', '2026-11-20', '--contract', 'K-404']);
    // Assess: C2's invoice has no contract, so the whole balance is under "no contract".
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('Period 2026-11-01 … 2026-11-20, RUB; no contract');
    expect(none.stdout).toMatch(/Closing balance +2000\.00 +0\.00 +2000\.00/);
    expect(JSON.parse(json.stdout).byContract).toEqual([
      {
        contractId: null,
        opening: { balance: '0.00', debit: '0.00', credit: '0.00' },
        turnover: { debit: '2000.00', credit: '0.00' },
        closing: { balance: '2000.00', debit: '2000.00', credit: '0.00' },
      },
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no contract "K-404"');
  });

  it('import-bank prints the counts; review list shows the unmatched payment; close-period then refuses going back', async () => {
    // Prepare
    const by = ['--by', 'chief-accountant'];
    // Act
    const imported = await cli(['import-bank', 'statement.txt', ...by]);
    const review = await cli(['review', 'list']);
    const closed = await cli(['close-period', '--through', '2026-11-15', '--reason', 'month closed', ...by]);
    const back = await cli(['close-period', '--through', '2026-11-01', '--reason', 'again', ...by]);
    // Assess
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/imported +1\n +duplicates +0\n/);
    expect(imported.stdout).toMatch(/review +1\n/);
    expect(review.stdout).toMatch(/999\.00 +ООО "ПЛАТЕЛЬЩИК" 5009999999/);
    expect(closed.stdout).toBe('Books closed through 2026-11-15 (by chief-accountant).\n');
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('(409 CONFLICT)');
  });

  it('calc runs in-process from stdin; help lists the commands', async () => {
    // Prepare
    const stdin = JSON.stringify({ court: 'arbitration', price: '100000.00', filedOn: '2025-03-01' });
    // Act
    const calc = await cli(['calc', 'duty'], { readStdin: async () => stdin, env: {} });
    const help = await cli(['help']);
    const runHelp = await cli(['run', '--help']);
    // Assess
    expect(calc.code).toBe(0);
    expect(JSON.parse(calc.stdout).duty).toMatch(/^\d+$/);
    expect(help.stdout).toContain('letters resolve <runDate> <customerId> <stage>');
    expect(runHelp.stdout).toContain('A dry run writes nothing.');
  });

  it('signs requests to a deployed operator API with SigV4 (execute-api, region from the host)', async () => {
    // Prepare
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' });
    delete process.env.AWS_PROFILE;
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      seen.push({ url: String(url), headers: init.headers as Record<string, string> });
      return new Response(JSON.stringify({ pauses: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    // Act
    const r = await cli(['pauses', 'C 1', '--endpoint', 'https://abc123.execute-api.eu-central-1.amazonaws.com/operator/'], { fetch: fakeFetch, env: { USER: 'olga' } });
    // Assess
    expect(r.code).toBe(0);
    expect(seen[0]!.url).toBe('https://abc123.execute-api.eu-central-1.amazonaws.com/operator/customers/C%201/pauses');
    const auth = seen[0]!.headers.authorization!;
    expect(auth).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(auth).toContain('x-claimflow-operator');
    expect(seen[0]!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });
});
