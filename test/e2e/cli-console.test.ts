/**
 * The console's reads from the `claimflow` CLI (whoami, run-list, customers, customer, document,
 * execution) over HTTP against the operator router on DynamoDB Local.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../bin/cli.js';
import { serveOperator } from '../../functions/operator/node-http.js';
import { operatorWorld, seed, type OperatorWorld } from '../adapters/operator/world.js';

let w: OperatorWorld;
let server: Server;
let endpoint: string;

async function cli(args: string[]) {
  const out = { stdout: '', stderr: '', files: new Map<string, Uint8Array>() };
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env: { CLAIMFLOW_ENDPOINT: endpoint, USER: 'clerk' },
    readStdin: async () => '',
    readFile: async () => new Uint8Array(),
    writeFile: async (p, b) => void out.files.set(p, b),
    fetch: globalThis.fetch,
  };
  const code = await main(args, io);
  return { code, ...out };
}

beforeAll(async () => {
  // Prepare
  w = await operatorWorld();
  await seed(w);
  server = createServer((req, res) => void serveOperator(w.deps, req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  endpoint = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('console reads from the CLI', () => {
  it('whoami: the header-identified operator, no roles (roles are for signed-in console users)', async () => {
    // Act
    const r = await cli(['whoami']);
    // Assess
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('clerk; roles: none');
  });

  it('customers and a customer card', async () => {
    // Act
    const list = await cli(['customers']);
    const card = await cli(['customer', 'C1']);
    // Assess
    expect(list.stdout).toMatch(/C1\s+ООО «Ромашка»/);
    expect(card.code).toBe(0);
    expect(card.stdout).toContain('ООО «Ромашка»');
    expect(card.stdout).toMatch(/102\s+2026-11-14/);
  });

  it('customers --search asks the server: text in a name, a tax id, paged with --page-token', async () => {
    // Act
    const byName = await cli(['customers', '--search', 'лютик']);
    const byInn = await cli(['customers', '--search', '77012345']);
    const first = await cli(['customers', '--search', 'ооо', '--limit', '1']);
    const token = /--page-token (\S+)/.exec(first.stdout)?.[1];
    const second = await cli(['customers', '--search', 'ооо', '--limit', '1', '--page-token', token ?? '']);
    // Assess
    expect(byName.stdout).toMatch(/C2\s+ООО «Лютик»/);
    expect(byName.stdout).not.toContain('C1');
    expect(byInn.stdout).toMatch(/C1\s+ООО «Ромашка»/);
    expect(first.stdout).toMatch(/C2\s+ООО «Лютик»/);
    expect(token).toBeDefined();
    expect(second.stdout).toMatch(/C1\s+ООО «Ромашка»/);
    expect(second.stdout).not.toContain('--page-token');
  });

  it('run-list says when there are no runs; a document outside letters/ and cases/ is refused with the field named', async () => {
    // Act
    const runs = await cli(['run-list']);
    const doc = await cli(['document', '../secret', '--out', 'x.pdf']);
    // Assess
    expect(runs.stdout).toContain('No runs yet.');
    expect(doc.code).toBe(2);
    expect(doc.stderr).toContain('key: a document key under letters/, cases/ or reports/jobs/');
  });
});
