/**
 * `npm run bench -- --only credit`: credit checks on the local stack (signed POST /credit/checks over
 * HTTP, the way an order system calls them) beside raw GetItems of the same customers' snapshot items,
 * measured in the same run, alternating in rounds so the JVM's drift favours neither side. Then the
 * same checks through the use case without HTTP, signed reservations, and checks of customers in a
 * group with a limit (one more GetItem: the group's running exposure). Prints figures and ratios;
 * asserts nothing about time.
 *
 * The ledger is the bench's generated typical book (default 10,000 customers / 50,000 invoices),
 * loaded with importHistory; every customer's credit snapshot is then built once (a ledger fold per
 * customer, timed: that is what a check does NOT do).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../bin/local/stack.js';
import { LOCAL_CREDIT_SECRET } from '../bin/local/credit-local.js';
import { checkCredit, refreshCustomer } from '../functions/app/credit/service.js';
import { creditKeys } from '../functions/adapters/dynamo-credit.js';
import { signBilling, BILLING_SIGNATURE_HEADER } from '../functions/ingest/billing.js';
import type { CalendarDate } from '../functions/domain/dates.js';
import { customerHistory, prng } from './generate.js';
import { fmt, opsLine, opsTotal as total, post as postJson } from './shared.js';

export interface CreditBenchOptions {
  customers: number;
  invoicesPerCustomer: number;
  concurrency: number;
  asOf: CalendarDate;
  /** Checks per round and side (4 rounds). */
  checksPerRound: number;
  /** DynamoDB requests made from now until the returned function is called, by operation. */
  requests: () => () => Record<string, number>;
  log?: (line: string) => void;
}

const ROUNDS = 4;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const lat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${fmt(pct(s, 50), 2)} ms, p95 ${fmt(pct(s, 95), 2)} ms, p99 ${fmt(pct(s, 99), 2)} ms`;
};

/** Runs `fn` over `items` with `n` workers; returns the wall seconds and each call's latency (ms). */
async function timedPool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t = performance.now();
        await fn(item);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, latencies };
}

/** A POST signed the way an order system signs it (the local stack's credit secret). */
const post = (url: string, body: string) => postJson(url, body, { [BILLING_SIGNATURE_HEADER]: signBilling(body, LOCAL_CREDIT_SECRET, Math.floor(Date.now() / 1000)) });

export async function creditSection(stack: LocalStack, o: CreditBenchOptions): Promise<void> {
  const log = o.log ?? console.log;
  const deps = stack.app.credit.deps;
  const r = prng(13);
  const histories = Array.from({ length: o.customers }, (_, i) => customerHistory(i, o.invoicesPerCustomer, o.asOf, r, 'typical'));
  const ids = histories.map((h) => h[0]!.customerId);
  const invoices = histories.reduce((n, h) => n + h.filter((c) => c.type === 'invoice.issued').length, 0);
  log('\n## Credit control: checks against raw GetItems of the same snapshots');

  const load = await timedPool(histories, o.concurrency, async (h) => {
    await stack.app.ledger.importHistory(h[0]!.customerId, h, { source: 'bench', receivedAt: new Date().toISOString() });
  });
  log(`ledger loaded           ${o.customers} customers, ${invoices} invoices in ${fmt(load.seconds)} s (importHistory)`);

  let m = o.requests();
  const built = await timedPool(ids, o.concurrency, async (id) => {
    await refreshCustomer(deps, id);
  });
  let ops = m();
  log(
    `snapshots built         ${o.customers} in ${fmt(built.seconds)} s → ${fmt(o.customers / built.seconds)} customers/s (${lat(built.latencies)}; a Query of the partition + a ledger fold + a conditional write each: ${fmt(total(ops) / o.customers, 2)} requests: ${opsLine(ops)})`,
  );
  const decisions: Record<string, number> = {};
  const url = `${stack.urls.http}/credit/checks`;
  const body = (id: string, n: number, amount = '25000.00') => JSON.stringify({ customerId: id, orderId: `B-${n}`, amount, currency: 'RUB', idempotencyKey: `B-${n}-1` });

  // Rounds: HTTP checks, then raw GetItems of the same keys in the same order, then the use case alone.
  const pick = prng(21);
  const rounds: { http: number; raw: number; direct: number; n: number }[] = [];
  const lh: number[] = [];
  const lr: number[] = [];
  const ld: number[] = [];
  const httpOps: Record<string, number> = {};
  let seq = 0;
  for (let k = 0; k < ROUNDS; k++) {
    const keys = Array.from({ length: o.checksPerRound }, () => ids[Math.floor(pick() * ids.length)]!);
    m = o.requests();
    const h = await timedPool(keys, o.concurrency, async (id) => {
      const res = await post(url, body(id, seq++));
      const d = res.status === 200 ? (JSON.parse(res.body) as { decision: string }).decision : `HTTP ${res.status}`;
      decisions[d] = (decisions[d] ?? 0) + 1;
    });
    ops = m();
    for (const [op, v] of Object.entries(ops)) httpOps[op] = (httpOps[op] ?? 0) + v;
    const raw = await timedPool(keys, o.concurrency, async (id) => {
      await stack.doc.send(new GetCommand({ TableName: stack.tableName, Key: creditKeys.snapshot(id) }));
    });
    const direct = await timedPool(keys, o.concurrency, async (id) => {
      await checkCredit(deps, { customerId: id, orderId: `D-${seq++}`, amount: { amount: '25000.00', currency: 'RUB' }, idempotencyKey: 'x' });
    });
    rounds.push({ http: h.seconds, raw: raw.seconds, direct: direct.seconds, n: keys.length });
    lh.push(...h.latencies);
    lr.push(...raw.latencies);
    ld.push(...direct.latencies);
  }
  const n = rounds.reduce((a, x) => a + x.n, 0);
  const sum = (f: (x: (typeof rounds)[number]) => number) => rounds.reduce((a, x) => a + f(x), 0);
  const [th, tr, td] = [sum((x) => x.http), sum((x) => x.raw), sum((x) => x.direct)];
  log(`checks over HTTP        ${n} signed POST /credit/checks, concurrency ${o.concurrency}, ${ROUNDS} rounds: ${fmt(n / th)} checks/s (${lat(lh)})`);
  log(
    `  answers               ${Object.entries(decisions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  log(`  DynamoDB requests     ${fmt(total(httpOps) / n, 2)} per check: ${opsLine(httpOps)}`);
  log(`raw GetItem             the same ${n} snapshot items, same order and concurrency: ${fmt(n / tr)} reads/s (${lat(lr)})`);
  log(`checks, use case only   the same customers, checkCredit without HTTP: ${fmt(n / td)} checks/s (${lat(ld)})`);
  log(
    `ratio checks / raw      ${fmt(tr / th, 2)}× over HTTP (per round ${rounds.map((x) => fmt(x.raw / x.http, 2)).join(', ')}); ${fmt(tr / td, 2)}× for the use case alone (per round ${rounds.map((x) => fmt(x.raw / x.direct, 2)).join(', ')})`,
  );

  // Reservations: distinct orders of distinct customers (one conditional UpdateItem each after the read).
  const resKeys = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 2000)) === 0).slice(0, 2000);
  const rurl = `${stack.urls.http}/credit/reservations`;
  const rdec: Record<string, number> = {};
  m = o.requests();
  const res = await timedPool(resKeys, o.concurrency, async (id) => {
    const x = await post(rurl, body(id, seq++, '1000.00'));
    const d = x.status === 200 ? ((JSON.parse(x.body) as { reservation?: unknown }).reservation ? 'reserved' : 'not reserved') : `HTTP ${x.status}`;
    rdec[d] = (rdec[d] ?? 0) + 1;
  });
  ops = m();
  log(
    `reservations over HTTP  ${resKeys.length} signed POST /credit/reservations: ${fmt(resKeys.length / res.seconds)} /s (${lat(res.latencies)}); ${Object.entries(rdec)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; ${fmt(total(ops) / resKeys.length, 2)} requests each: ${opsLine(ops)}`,
  );

  // Customers in groups of two with a group limit: a check reads the snapshot and the group's running exposure.
  const members = ids.slice(0, Math.min(2000, ids.length - (ids.length % 2)));
  for (let i = 0; i < members.length; i++) {
    await stack.app.credit.store.putProfile(members[i]!, { groupId: `bench-group-${Math.floor(i / 2)}`, groupLimit: { amount: '100000000.00', currency: 'RUB' } });
  }
  await timedPool(members, o.concurrency, async (id) => {
    await refreshCustomer(deps, id);
  });
  const gkeys = Array.from({ length: Math.min(o.checksPerRound, 5000) }, () => members[Math.floor(pick() * members.length)]!);
  m = o.requests();
  const g = await timedPool(gkeys, o.concurrency, async (id) => {
    await post(url, body(id, seq++));
  });
  ops = m();
  const graw = await timedPool(gkeys, o.concurrency, async (id) => {
    await stack.doc.send(new GetCommand({ TableName: stack.tableName, Key: creditKeys.snapshot(id) }));
  });
  log(
    `group members' checks   ${gkeys.length} over HTTP: ${fmt(gkeys.length / g.seconds)} checks/s (${lat(g.latencies)}); ${fmt(total(ops) / gkeys.length, 2)} requests each: ${opsLine(ops)}; ratio to one raw GetItem of the snapshot ${fmt(graw.seconds / g.seconds, 2)}×`,
  );
}
