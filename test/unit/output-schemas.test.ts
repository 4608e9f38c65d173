/**
 * The outputs an integrator relies on match their JSON Schemas in docs/schemas/ (issue 16 item 7).
 * Produced here by the real use cases over fakes of the ports; test/e2e/output-schemas.test.ts takes the
 * same outputs from the running local stack. Every object in the schemas is closed
 * (additionalProperties: false), so a field added to or renamed in an output fails these tests.
 */
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../bin/cli.js';
import { emptyTotals } from '../../functions/app/run-totals.js';
import { startRun } from '../../functions/app/start-run.js';
import { finishRun, type FinishDeps } from '../../functions/app/summarize-run.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { reconcile } from '../../functions/domain/ledger/reconcile.js';
import type { LetterRecord } from '../../functions/ports/dunning.js';
import { schemaErrors, schemaOf, SCHEMA_FILES } from '../support/schemas.js';
import { cmd, contract, creditNote, customer, invoice, payment, refund, reversal, voidInvoice, writeOff } from './ledger/builders.js';

const RUN = '2026-11-24' as CalendarDate;

/** Every object schema with properties, anywhere in a schema document (JSON pointer → node). */
function objectSchemas(node: unknown, at = ''): [string, Record<string, unknown>][] {
  if (!node || typeof node !== 'object') return [];
  const here: [string, Record<string, unknown>][] = 'properties' in node ? [[at, node as Record<string, unknown>]] : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => objectSchemas(v, `${at}/${k}`))];
}

describe('docs/schemas: the schemas themselves', () => {
  it('every object is closed: a new or renamed field is a validation error', () => {
    // Act
    const open = SCHEMA_FILES.flatMap((f) =>
      objectSchemas(schemaOf(f))
        .filter(([, s]) => s.additionalProperties !== false)
        .map(([p]) => `${f}#${p}`),
    );
    // Assess
    expect(SCHEMA_FILES).toEqual(
      expect.arrayContaining(['reconciliation-statement.json', 'dry-run.json', 'run-letters.json', 'run-summary.json', 'post-runs.json', 'health.json', 'run-once.json']),
    );
    expect(open).toEqual([]);
  });
});

describe('reconciliation statement JSON (reconcile)', () => {
  // Prepare: two contracts, every kind of row: invoices of K1 and K2 and one without a contract, a payment
  // naming K1's invoice, one spread over both contracts, an advance, a void, a credit note, a write-off,
  // a reversal and a refund.
  const commands = [
    customer('C1', { kpp: '770101001' }),
    contract('K1'),
    contract('K2'),
    invoice('A', '1000.00', '2026-01-10', '2026-01-20', { contractId: 'K1' }),
    invoice('B', '500.00', '2026-01-11', '2026-01-21', { contractId: 'K2' }),
    invoice('C', '200.00', '2026-01-12', '2026-01-22'),
    invoice('D', '300.00', '2026-01-12', '2026-01-22', { contractId: 'K2' }),
    payment('P1', '300.00', '2026-02-01', { invoiceIds: ['A'] }),
    payment('P2', '400.00', '2026-02-02', {
      allocations: [
        { invoiceId: 'A', amount: { amount: '100.00', currency: 'RUB' } },
        { invoiceId: 'B', amount: { amount: '300.00', currency: 'RUB' } },
      ],
    }),
    voidInvoice('D', '2026-02-03'),
    creditNote('CN1', '50.00', '2026-02-04', 'B'),
    writeOff('W1', 'C', '20.00', '2026-02-05'),
    payment('P3', '80.00', '2026-02-06', { invoiceIds: ['B'] }),
    reversal('P3', '2026-02-07'),
    payment('P4', '2000.00', '2026-02-08'),
    refund('R1', '100.00', '2026-02-09', 'P4'),
    cmd({ type: 'customer.upsert', customerId: 'C1', legalName: 'ООО «C1»', taxId: '7701234567' }),
  ];

  it.each([
    ['the customer', undefined],
    ['contract K1', 'K1'],
    ['no contract', null],
  ] as const)('%s: validates against reconciliation-statement.json', (_name, contractId) => {
    // Act
    const st = reconcile(commands, { customerId: 'C1', from: '2026-01-15' as CalendarDate, to: '2026-02-28' as CalendarDate, ...(contractId !== undefined ? { contractId } : {}) });
    // Assess
    expect(schemaErrors('reconciliation-statement.json', st)).toEqual([]);
    expect(st.byContract.length).toBeGreaterThan(0);
  });

  it('covers the optional fields: contract of a by-contract statement, rows without a contract, spread rows', () => {
    // Act
    const whole = reconcile(commands, { customerId: 'C1', from: '2026-01-01' as CalendarDate, to: '2026-02-28' as CalendarDate });
    const k1 = reconcile(commands, { customerId: 'C1', from: '2026-01-01' as CalendarDate, to: '2026-02-28' as CalendarDate, contractId: 'K1' });
    // Assess: what the schema documents as optional or nullable really occurs.
    expect(k1.contract).toEqual({ number: 'Д-K1', date: '2024-01-10' });
    expect(whole.rows.some((r) => r.contractId === null)).toBe(true);
    expect(whole.rows.some((r) => !('contractId' in r))).toBe(true);
    expect(new Set(whole.rows.map((r) => r.kind))).toEqual(new Set(['invoice', 'void', 'credit-note', 'write-off', 'payment', 'reversal', 'refund']));
  });

  it('a renamed field fails (the drift the test exists for)', () => {
    // Prepare
    const st = reconcile(commands, { customerId: 'C1', from: '2026-01-01' as CalendarDate, to: '2026-02-28' as CalendarDate });
    const { byContract, ...rest } = st;
    // Act
    const errors = schemaErrors('reconciliation-statement.json', { ...rest, contracts: byContract });
    // Assess
    expect(errors).toEqual(expect.arrayContaining(["(root) must have required property 'byContract'", '(root) must NOT have additional properties: contracts']));
  });
});

describe('run summary (finishRun) and the answer to starting a run', () => {
  const letter = (over: Partial<LetterRecord>): LetterRecord => ({
    runDate: RUN,
    customerId: 'C1',
    stage: 'litigation',
    status: 'sent',
    owner: `dunning-run-${RUN}`,
    leaseUntil: '2026-11-24T09:05:00.000Z',
    invoiceIds: ['I1'],
    invoiceSetHash: 'I1',
    channels: ['legal-notice'],
    attempts: 1,
    updatedAt: '2026-11-24T09:00:01.000Z',
    ...over,
  });
  const deps = (letters: LetterRecord[], earlier: LetterRecord[]): FinishDeps => ({
    runs: {
      recordFailure: async () => undefined,
      putRun: async () => undefined,
      lettersOfRun: async () => letters,
      lettersOfCustomer: async (id) => [...earlier, ...letters].filter((l) => l.customerId === id),
      profiles: async (ids) => ids.map((customerId) => ({ customerId, legalName: `ООО «${customerId}»` })),
    },
    documents: { put: async (key) => ({ uri: `file:///out/${key}` }), get: async () => Buffer.from('{}') },
    mailer: { send: async () => ({ messageId: 'm' }) },
    renderPrintBatch: async () => new Uint8Array([1]),
    company: {} as FinishDeps['company'],
    fromAddress: 'collections@example.com',
    digestRecipients: ['team@example.com'],
    envelope: 'DL',
    policy: 'wholesale@1',
  });

  it('a run with every optional field (sending with its lease end, print batch, customers newly and again at litigation) validates', async () => {
    // Prepare: C1 newly at litigation, C2 already there since an earlier run, C3 printed, C4 left sending.
    const letters = [
      letter({ customerId: 'C1' }),
      letter({ customerId: 'C2' }),
      letter({ customerId: 'C3', stage: 'warning', channels: ['print'] }),
      letter({ customerId: 'C4', stage: 'reminder', status: 'sending', channels: ['email'], leaseUntil: '2026-11-24T09:15:00.000Z' }),
    ];
    const earlier = [letter({ customerId: 'C2', runDate: '2026-11-20' })];
    const totals = { ...emptyTotals(), customers: 4, failures: 1, failedCustomers: ['C5'], amounts: { litigation: { RUB: '1000.00' } } };
    // Act
    const s = await finishRun(deps(letters, earlier), { runDate: RUN, executionName: `dunning-run-${RUN}`, totals });
    // Assess
    expect(s).toMatchObject({ sending: 1, sendingLeaseUntil: '2026-11-24T09:15:00.000Z', newlyAtLitigation: ['C1'], moreInvoicesAtLitigation: ['C2'] });
    expect(s.printBatch).toBeDefined();
    expect(schemaErrors('run-summary.json', s)).toEqual([]);
    expect(schemaErrors('run-summary.json', { ...s, finishedAt: '2026-11-24T09:01:00.000Z' })).toEqual([]);
    expect(schemaErrors('post-runs.json', { executionName: s.executionName, status: 'SUCCEEDED', summary: s, resumed: true })).toEqual([]);
  });

  it('a dry run summary validates, and a new field fails', async () => {
    // Act
    const s = await finishRun(deps([], []), { runDate: RUN, executionName: `dunning-run-${RUN}-dry-run-preview`, dryRun: true, totals: emptyTotals() });
    // Assess
    expect(schemaErrors('run-summary.json', s)).toEqual([]);
    expect(schemaErrors('run-summary.json', { ...s, newlyAtLitigationCount: 0 })).toEqual(['(root) must NOT have additional properties: newlyAtLitigationCount']);
  });

  it('the deployed operator API answers with the started execution (startRun), which post-runs.json documents', async () => {
    // Prepare
    const starter = { start: async (name: string) => (name.endsWith('2026-11-27') ? ('exists' as const) : { executionArn: `arn:aws:states:eu-central-1:1:execution:x:${name}` }) };
    // Act
    const started = await startRun({ starter, timeZone: 'Europe/Moscow', now: () => new Date() }, { runDate: RUN });
    const again = await startRun({ starter, timeZone: 'Europe/Moscow', now: () => new Date() }, { runDate: '2026-11-27' });
    // Assess
    expect(schemaErrors('post-runs.json', started)).toEqual([]);
    expect(schemaErrors('post-runs.json', again)).toEqual([]);
  });
});

describe('claimflow run --dry-run --json: pages merged into the API shape', () => {
  it('adds up the totals of every page (letters, amounts, failed customers) and validates against dry-run.json', async () => {
    // Prepare: an API that answers in two pages.
    const page = (n: number, next?: string) => ({
      runDate: RUN,
      dryRun: true,
      customers: [
        {
          customerId: `C${n}`,
          status: 'processed',
          summary: `C${n}: warning`,
          letters: [{ stage: 'warning', channels: ['email'], invoices: [`N-${n}`], total: [{ amount: '100.10', currency: 'RUB' }] }],
          skipped: [{ invoice: `S-${n}`, reason: 'disputed: no letters until 2026-12-01 inclusive' }],
        },
      ],
      totals: {
        ...emptyTotals(),
        customers: 1,
        failures: 1,
        letters: { reminder: 0, warning: 1, claim: 0, litigation: 0 },
        amounts: { warning: { RUB: '100.10' } },
        failedCustomers: [`F${n}`],
      },
      ...(next ? { nextToken: next } : {}),
    });
    const fetchPages = (async (_url: URL, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { pageToken?: string };
      return new Response(JSON.stringify(body.pageToken ? page(2) : page(1, 'tok')), { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => undefined,
      env: { CLAIMFLOW_ENDPOINT: 'http://127.0.0.1:9', USER: 'clerk' },
      readStdin: async () => '',
      readFile: async () => new Uint8Array(),
      writeFile: async () => undefined,
      fetch: fetchPages,
    };
    // Act
    const code = await main(['run', '--as-of', RUN, '--dry-run', '--json'], io);
    // Assess
    expect(code).toBe(0);
    const merged = JSON.parse(stdout);
    expect(schemaErrors('dry-run.json', merged)).toEqual([]);
    expect(merged.totals).toMatchObject({ customers: 2, failures: 2, amounts: { warning: { RUB: '200.20' } }, failedCustomers: ['F1', 'F2'] });
    expect(merged.customers.map((c: { customerId: string }) => c.customerId)).toEqual(['C1', 'C2']);
  });
});
