/**
 * npm run bench — prints figures and ratios; asserts nothing about time.
 *
 * 1. Webhook ingest end to end (HTTP → signature → validation → archive → ledger write) against the
 *    local DynamoDB, beside raw DynamoDB writes of the same items in the same run (target ≥ 0.5×).
 * 2. A mixed stream (invoices, partial and multi-invoice payments, duplicates, reorderings) the same way.
 * 3. A dunning run over a generated ledger (default 10,000 customers / 50,000 invoices) with real
 *    rendering (emails and PDFs): wall time, letters per second, peak memory (target ≤ 60 s). Twice
 *    by default: a typical book (most customers pay on time) and a stress book (nearly all overdue).
 *
 * Options: --customers N (10000) --invoices-per-customer N (5) --ingest N (2000) --concurrency N (16)
 *          --threads N (worker threads of the run's per-customer step; default 0 = the main thread)
 *          --max-concurrency N (the DunningRun Map's MaxConcurrency; default 5, the deployed default;
 *          the baseline before 2026-12-05 ran at 20)
 *          --mix typical|stress|both (the run's generated ledger, see bench/generate.ts; default both)
 *          --warmup N (webhook events warming up DynamoDB Local before each section, 4000)
 *          --only ingest|mixed|run|reports|console|credit   --profile FILE (V8 CPU profile of the main thread during the run)
 *          (console: the typical book's run, then the web console's API and pages timed; bench/console.ts)
 *          --checks N (credit checks per round and side, 4 rounds; default 5000: bench/credit.ts)
 * Env: BENCH_KEYS=1 splits the DynamoDB request counts by key prefix (e.g. GetItem:CUST/SUMMARY).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'ERROR';
import { parseArgs } from 'node:util';
import { mkdtemp } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freePort } from './../bin/local/ports.js';
import { startLocalStack, LOCAL_SECRETS, TABLE_NAME, type LocalStack } from '../bin/local/stack.js';
import { ensureTable, localDynamoClient } from '../bin/local/dynamo.js';
import { DynamoDBDocumentClient as Doc } from '@aws-sdk/lib-dynamodb';
import { signBilling, BILLING_SIGNATURE_HEADER } from '../functions/ingest/billing.js';
import { customerHistory, prng, type LedgerMix } from './generate.js';
import { reportsSection } from './reports.js';
import { consoleApiTimes } from './console.js';
import { creditSection } from './credit.js';
import { fmt, opsLine, opsTotal, post } from './shared.js';
import { addDays, type CalendarDate } from '../functions/domain/dates.js';
import type { LedgerCommand } from '../functions/domain/ledger/commands.js';
import { MAX_CONCURRENCY } from '../workflows/dunning-run.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '10000' },
    'invoices-per-customer': { type: 'string', default: '5' },
    ingest: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '16' },
    /** The run's generated ledger: typical, stress (nearly every customer overdue) or both (see generate.ts). */
    mix: { type: 'string', default: 'both' },
    /** Webhook events of the JVM warm-up before each section (and three times as many plain writes). */
    warmup: { type: 'string', default: '4000' },
    /** Worker threads for the per-customer step in the run (default 0: the main thread). */
    threads: { type: 'string', default: '0' },
    /** MaxConcurrency of the DunningRun Map (default MAX_CONCURRENCY, the deployed default). */
    'max-concurrency': { type: 'string' },
    only: { type: 'string' },
    /** Credit checks per round and side (--only credit). */
    checks: { type: 'string', default: '5000' },
    /** Write a V8 CPU profile of the dunning run section to this file (open it in Chrome DevTools; -<mix> added with both mixes). */
    profile: { type: 'string' },
  },
});
const CONC = Number(values.concurrency);
const WARMUP_EVENTS = Number(values.warmup);
const MAX_CONC = values['max-concurrency'] === undefined ? MAX_CONCURRENCY : Number(values['max-concurrency']);
const INGEST_ROUNDS = 4;
if (!['stress', 'typical', 'both'].includes(values.mix!)) throw new Error(`--mix must be typical, stress or both (got "${values.mix}")`);
const MIXES: LedgerMix[] = values.mix === 'both' ? ['typical', 'stress'] : [values.mix as LedgerMix];
const AS_OF = '2026-11-24' as CalendarDate;

async function pool<T>(items: T[], n: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/** A V8 CPU profile of this process from now until stop(file). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`cpu profile of the run   ${file}`);
    },
  };
}

/** CPU seconds a child process has used so far (Linux /proc; 0 elsewhere). */
function childCpu(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Where the CPU went during a section, and the DynamoDB requests made, by operation. */
function meter(stack: LocalStack) {
  const n0 = process.cpuUsage();
  const j0 = childCpu(stack.pids.dynamo);
  const s0 = childCpu(stack.pids.ses);
  // The main thread's count plus the worker threads' (process.cpuUsage covers every thread already).
  const all = () => {
    const sum: Record<string, number> = { ...requests };
    for (const [k, v] of Object.entries(stack.workerRequests())) sum[k] = (sum[k] ?? 0) + v;
    return sum;
  };
  const c0 = all();
  return (): Usage => {
    const n = process.cpuUsage(n0);
    const ops: Record<string, number> = {};
    for (const [k, v] of Object.entries(all())) if (v - (c0[k] ?? 0) > 0) ops[k] = v - (c0[k] ?? 0);
    return { node: (n.user + n.system) / 1e6, jvm: childCpu(stack.pids.dynamo) - j0, ses: childCpu(stack.pids.ses) - s0, ops };
  };
}
interface Usage {
  node: number;
  jvm: number;
  ses: number;
  ops: Record<string, number>;
}
const addUsage = (a: Usage, b: Usage): Usage => {
  const ops = { ...a.ops };
  for (const [k, v] of Object.entries(b.ops)) ops[k] = (ops[k] ?? 0) + v;
  return { node: a.node + b.node, jvm: a.jvm + b.jvm, ses: a.ses + b.ses, ops };
};
const cpuLine = (u: Usage) => `node ${fmt(u.node)} s, DynamoDB Local JVM ${fmt(u.jvm)} s, local SES ${fmt(u.ses)} s`;
const requests: Record<string, number> = {};
function countRequests(stack: LocalStack) {
  stack.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const inp = (args as { input: Record<string, unknown> }).input;
      const key = (inp.Key as Record<string, unknown> | undefined) ?? (inp.Item as Record<string, unknown> | undefined);
      const pfx = process.env.BENCH_KEYS
        ? `:${String(key?.PK ?? (inp.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'] ?? inp.IndexName ?? '').split('#')[0]}/${String(key?.SK ?? '').split('#')[0]}`
        : '';
      const k = String(context.commandName ?? 'unknown').replace(/Command$/, '') + pfx;
      requests[k] = (requests[k] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchRequestCounter' },
  );
}

/** Events as the billing system would send them. */
function envelopes(label: string, cmds: LedgerCommand[]): { eventId: string; type: string; data: Record<string, unknown> }[] {
  return cmds.map((c, i) => {
    const { type, ...data } = c;
    return { eventId: `${label}-${i}-${type}`, type, data };
  });
}

/**
 * Customers are posted in parallel; one customer's events go in the order given (a sender delivers a
 * customer's profile before its invoices; reorderings inside a customer are part of the mixed stream).
 */
async function postAll(stack: LocalStack, events: { data: Record<string, unknown> }[]): Promise<{ seconds: number; statuses: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  const groups = new Map<string, { data: Record<string, unknown> }[]>();
  for (const e of events) {
    const k = String(e.data.customerId);
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const t0 = performance.now();
  await pool([...groups.values()], CONC, async (list) => {
    for (const e of list) await postOne(e);
  });
  return { seconds: (performance.now() - t0) / 1000, statuses };

  async function postOne(e: unknown) {
    const raw = JSON.stringify(e);
    const { status, body } = await post(stack.urls.webhook, raw, { [BILLING_SIGNATURE_HEADER]: signBilling(raw, LOCAL_SECRETS.billing, Math.floor(Date.now() / 1000)) });
    const parsed = JSON.parse(body) as { status?: string };
    const k = `${status}${parsed.status ? ` ${parsed.status}` : ''}`;
    statuses[k] = (statuses[k] ?? 0) + 1;
  }
}

/** Raw writes of the very items the ingest wrote (scanned back), one PutItem each, same concurrency, into one table per section. */
async function rawWriter(endpoint: string): Promise<(items: Record<string, unknown>[]) => Promise<number>> {
  const client = localDynamoClient(endpoint);
  const table = `raw-${Date.now()}`;
  await ensureTable(client, table);
  const rawDoc = Doc.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return async (items) => {
    const t0 = performance.now();
    await pool(items, CONC, async (Item) => {
      await rawDoc.send(new PutCommand({ TableName: table, Item }));
    });
    return (performance.now() - t0) / 1000;
  };
}

async function scanAll(doc: DynamoDBDocumentClient, filter: (i: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await doc.send(new ScanCommand({ TableName: TABLE_NAME, ExclusiveStartKey: start }));
    out.push(...(r.Items ?? []).filter(filter));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * Ingest and raw writes alternate in rounds (each round a quarter of the customers, with all their
 * events): ingest the round, then re-write the items it wrote, raw. Both sides are sampled across the
 * same stretch of time, so the JVM's drift (JIT, GC) does not favour whichever side runs last.
 */
async function ingestBench(stack: LocalStack, label: string, events: { data: Record<string, unknown> }[], ledgerEvents: number) {
  const customers = [...new Set(events.map((e) => String(e.data.customerId)))];
  const rawWrites = await rawWriter(stack.urls.dynamo);
  const per = Math.ceil(customers.length / INGEST_ROUNDS);
  const rounds: { ingest: number; raw: number; items: number }[] = [];
  const statuses: Record<string, number> = {};
  let seen = new Set((await scanAll(stack.doc, () => true)).map((i) => `${i.PK}|${i.SK}`));
  let used: Usage = { node: 0, jvm: 0, ses: 0, ops: {} };
  for (let k = 0; k < INGEST_ROUNDS; k++) {
    const mine = new Set(customers.slice(k * per, (k + 1) * per));
    if (!mine.size) break;
    const m = meter(stack);
    const r = await postAll(
      stack,
      events.filter((e) => mine.has(String(e.data.customerId))),
    );
    used = addUsage(used, m());
    for (const [s2, n] of Object.entries(r.statuses)) statuses[s2] = (statuses[s2] ?? 0) + n;
    const all = await scanAll(stack.doc, () => true);
    const written = all.filter((i) => !seen.has(`${i.PK}|${i.SK}`));
    seen = new Set(all.map((i) => `${i.PK}|${i.SK}`));
    rounds.push({ ingest: r.seconds, raw: await rawWrites(written), items: written.length });
  }
  const seconds = rounds.reduce((a, r) => a + r.ingest, 0);
  const rawSeconds = rounds.reduce((a, r) => a + r.raw, 0);
  const items = rounds.reduce((a, r) => a + r.items, 0);
  const ratios = rounds.map((r) => r.raw / r.ingest);
  console.log(`\n## ${label}`);
  console.log(`events sent           ${events.length} (${ledgerEvents} distinct), concurrency ${CONC}, in ${rounds.length} rounds alternating with the raw writes`);
  console.log(
    `answers               ${Object.entries(statuses)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
  );
  console.log(`webhook ingest        ${fmt(seconds, 2)} s  → ${fmt(events.length / seconds)} events/s`);
  console.log(`raw writes            ${items} items written by the ingest, re-written raw in ${fmt(rawSeconds, 2)} s → ${fmt(items / rawSeconds)} items/s`);
  console.log(`CPU during ingest     ${cpuLine(used)}`);
  console.log(`DynamoDB requests     ${opsTotal(used.ops)} (${fmt(opsTotal(used.ops) / events.length, 2)} per event): ${opsLine(used.ops)}`);
  console.log(
    `ratio ingest / raw    ${fmt(rawSeconds / seconds, 2)}× (time to write the same items raw ÷ time to ingest them end to end; target ≥ 0.5); per round ${ratios.map((x) => fmt(x, 2)).join(', ')}`,
  );
}

/**
 * DynamoDB Local is a JVM: its first tens of thousands of requests run interpreted/JIT-compiling and
 * cost 2–4× the steady state (a transaction of 4 puts: about 6 ms of JVM CPU cold, 2.9 ms warm).
 * Warm it up on every path the sections use (webhook ingest with invoices, plain writes) so that
 * the ingest and the raw writes it is compared with are both measured on a warm JVM. The warm-up
 * customers' invoices fall due a year after the run date: they are never debtors of the run.
 */
async function warmUp(stack: LocalStack): Promise<void> {
  const r = prng(99);
  const cmds: LedgerCommand[] = [];
  for (let i = 0; cmds.length < WARMUP_EVENTS; i++) cmds.push(...customerHistory(700000 + i, 4, addDays(AS_OF, 365), r).filter((c) => c.type !== 'payment.received'));
  await postAll(stack, envelopes('warmup', cmds.slice(0, WARMUP_EVENTS)));
  const items = Array.from({ length: WARMUP_EVENTS * 3 }, (_, i) => ({ PK: `WARMUP#${i % 300}`, SK: `ITEM#${i}`, payload: 'x'.repeat(300) }));
  await (await rawWriter(stack.urls.dynamo))(items);
}
/** A fresh local stack (its own in-memory DynamoDB Local), warmed up. */
async function freshStack(customerThreads = 0): Promise<LocalStack> {
  const stack = await startLocalStack({
    customerThreads,
    maxConcurrency: MAX_CONC,
    httpPort: await freePort(),
    dynamoPort: await freePort(),
    sesPort: await freePort(),
    dataDir: await mkdtemp(path.join(tmpdir(), 'claimflow-bench-')),
    inMemory: true,
    demo: false,
    scheduler: false,
    log: () => undefined,
  });
  countRequests(stack);
  const w0 = performance.now();
  await warmUp(stack);
  console.log(`(fresh DynamoDB Local, warmed up in ${fmt((performance.now() - w0) / 1000)} s: ${fmt(WARMUP_EVENTS, 0)} webhook events, ${fmt(WARMUP_EVENTS * 3, 0)} plain writes)`);
  return stack;
}

async function main() {
  console.log(`# claimflow bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length} cores`);
  const only = values.only;
  if (!only || only === 'ingest' || only === 'mixed') {
    const stack = await freshStack();
    try {
      await ingestSections(stack, only);
    } finally {
      await stack.stop();
    }
  }
  if (only === 'reports') {
    // Reports over the typical book after its dunning run (stages and letters exist).
    const stack = await freshStack(Number(values.threads));
    try {
      await runSection(stack, 'typical');
      await reportsSection(stack, AS_OF);
    } finally {
      await stack.stop();
    }
  }
  if (only === 'credit') {
    const stack = await freshStack();
    try {
      await creditSection(stack, {
        customers: Number(values.customers),
        invoicesPerCustomer: Number(values['invoices-per-customer']),
        concurrency: CONC,
        asOf: AS_OF,
        checksPerRound: Number(values.checks),
        requests: () => {
          const m = meter(stack);
          return () => m().ops;
        },
      });
    } finally {
      await stack.stop();
    }
  }
  if (!only || only === 'run' || only === 'console') {
    for (const mix of only === 'console' ? (['typical'] as LedgerMix[]) : MIXES) {
      // Its own database: the run's customers are exactly the generated ledger's.
      const stack = await freshStack(Number(values.threads));
      try {
        await runSection(stack, mix);
      } finally {
        await stack.stop();
      }
    }
  }
}

async function ingestSections(stack: LocalStack, only: string | undefined) {
  if (!only || only === 'ingest') {
    // Each customer: profile + contract + invoices. Distinct customers, so it measures the path, not contention.
    const n = Number(values.ingest);
    const r = prng(1);
    const cmds: LedgerCommand[] = [];
    for (let i = 0; cmds.length < n; i++) cmds.push(...customerHistory(900000 + i, 2, AS_OF, r).filter((c) => c.type !== 'payment.received'));
    await ingestBench(stack, 'Webhook ingest (customers, contracts, invoices)', envelopes('ingest', cmds.slice(0, n)), n);
  }
  if (!only || only === 'mixed') {
    const n = Number(values.ingest);
    const r = prng(2);
    const cmds: LedgerCommand[] = [];
    for (let i = 0; cmds.length < n; i++) {
      const h = customerHistory(800000 + i, 4, AS_OF, r);
      const cid = h[0]!.customerId;
      const inv = h.filter((c) => c.type === 'invoice.issued') as Extract<LedgerCommand, { type: 'invoice.issued' }>[];
      // A multi-invoice payment naming two invoices, and an unnamed one (oldest due first).
      h.push({
        type: 'payment.received',
        customerId: cid,
        paymentId: `${cid}-multi`,
        date: AS_OF,
        amount: { amount: '1500.00', currency: 'RUB' },
        invoiceIds: inv.slice(0, 2).map((x) => x.invoiceId),
        channel: 'bank',
      });
      h.push({ type: 'payment.received', customerId: cid, paymentId: `${cid}-any`, date: AS_OF, amount: { amount: '700.00', currency: 'RUB' }, channel: 'bank' });
      // Payments before their invoices for every third customer (reordering): they converge when the invoices arrive.
      const [profile, contract, ...rest] = h;
      if (i % 3 === 0) rest.sort((a, b) => (a.type === 'payment.received' ? -1 : 0) - (b.type === 'payment.received' ? -1 : 0));
      cmds.push(profile!, contract!, ...rest);
    }
    const events = envelopes('mixed', cmds.slice(0, n));
    // 10 % duplicates: every tenth event is delivered again, later in its customer's stream.
    const all = [...events, ...events.filter((_, i) => i % 10 === 0)];
    await ingestBench(stack, 'Mixed stream (invoices, partial and multi-invoice payments, 10 % duplicates, reordered)', all, events.length);
  }
}

async function runSection(stack: LocalStack, mix: LedgerMix) {
  const customers = Number(values.customers);
  const per = Number(values['invoices-per-customer']);
  // Generated in customer order before loading: the shared random stream gives every run the same
  // ledger (drawing it inside the pool handed the stream to customers in completion order).
  const r = prng(3);
  const histories = Array.from({ length: customers }, (_, i) => customerHistory(i, per, AS_OF, r, mix));
  const invoices = histories.reduce((n, h) => n + h.filter((c) => c.type === 'invoice.issued').length, 0);
  const t0 = performance.now();
  await pool(histories, CONC, async (h) => {
    await stack.app.ledger.importHistory(h[0]!.customerId, h, { source: 'bench', receivedAt: new Date().toISOString() });
  });
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(`\n## Dunning run over a generated ledger: ${mix} mix`);
  console.log(`ledger loaded          ${customers} customers, ${invoices} invoices in ${fmt(loadSeconds, 1)} s (importHistory)`);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  const profiler = values.profile ? await startProfile() : undefined;
  const m = meter(stack);
  const t1 = performance.now();
  const run = await stack.runDunning({ runDate: AS_OF });
  const wall = (performance.now() - t1) / 1000;
  const used = m();
  if (profiler && values.profile) await profiler.stop(MIXES.length > 1 ? values.profile.replace(/(\.cpuprofile)?$/, `-${mix}$1`) : values.profile);
  clearInterval(sampler);
  const s = run.summary;
  const letters = s ? Object.values(s.letters).reduce((a, b) => a + b, 0) : 0;
  console.log(`run status             ${run.status}${run.error ? ` ${run.error.Error}: ${String(run.error.Cause).slice(0, 200)}` : ''}`);
  console.log(`customers processed    ${s?.customers ?? 0} (failures ${s?.failures ?? 0})`);
  console.log(
    `letters                ${letters} (${
      s
        ? Object.entries(s.letters)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')
        : ''
    }); emails via local SES, PDFs for print stages, print batch ${s?.printBatch ? 'written' : 'none'}`,
  );
  console.log(`wall time              ${fmt(wall, 1)} s (target ≤ 60 s for 50,000 invoices) → ${fmt(invoices / wall)} invoices/s, ${fmt(letters / wall)} letters/s`);
  console.log(`CPU during the run     ${cpuLine(used)} (${cpus().length} cores × ${fmt(wall)} s wall; node = main thread + ${stack.customerThreads} worker threads)`);
  console.log(`MaxConcurrency         ${MAX_CONC} customers at once (the DunningRun Map; --max-concurrency)`);
  console.log(`DynamoDB requests      ${opsTotal(used.ops)} (${fmt(opsTotal(used.ops) / Math.max(1, s?.customers ?? 0), 2)} per customer): ${opsLine(used.ops)}`);
  console.log(`peak memory (RSS)      ${fmt(peakRss / 1024 / 1024, 0)} MiB (this process; DynamoDB Local and local SES run as separate processes)`);
  await consoleApiTimes(
    stack,
    AS_OF,
    histories.map((h) => h[0]!.customerId).filter((_, i) => i % 997 === 0),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
