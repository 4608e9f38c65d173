/**
 * `claimflow`: the operator's command line. It talks to a claimflow endpoint: by default the local
 * stack (`npm start`, http://127.0.0.1:3000), or a deployed stack's operator API (`--endpoint
 * https://…/operator/`, requests signed with SigV4 from the usual AWS credentials). `calc` runs
 * in-process and needs no endpoint.
 *
 * `main(argv, io)` is pure of process.*: arguments, environment, stdin and I/O hooks are passed in.
 * Exit codes: 0 ok; 2 bad usage or input refused by the server (4xx, the bad fields are listed);
 * 1 server or network failure.
 */
import { userInfo } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { createHash, createHmac } from 'node:crypto';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCalc } from './calc.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  fetch: typeof fetch;
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:3000';
export const OPERATOR_HEADER = 'x-claimflow-operator';

const COMMON = `Common options:
  --endpoint URL   claimflow endpoint (env CLAIMFLOW_ENDPOINT; default ${DEFAULT_ENDPOINT}, the local stack).
                   A deployed stack: the OperatorApiUrl output, e.g. https://abc123.execute-api.eu-central-1.amazonaws.com/operator/
                   (requests are SigV4-signed with your AWS credentials: env, profile, SSO …)
  --by NAME        who acts, recorded in the audit trail (default $USER)
  --json           print the server's JSON instead of a table
  -h, --help       help for the command`;

export const USAGE = `claimflow — receivables dunning and collections: operator commands

Usage: claimflow <command> [arguments] [options]

Runs
  run --as-of YYYY-MM-DD [--dry-run] [--rerun TAG --reason TEXT]
                                    start the dunning run for a date, or (--dry-run) list what it would
                                    send per customer and stage, changing nothing
  runs show YYYY-MM-DD              the letters of a run: customer, stage, status, channels, amounts
  letters resolve <runDate> <customerId> <stage> --outcome sent|not-sent --reason TEXT
                                    settle an ambiguous send after checking the mail logs

Pauses (audited: who, when, why)
  pause <customerId> [--invoice ID] --until YYYY-MM-DD --reason TEXT [--kind dispute|manual]
  resume <customerId> <pauseId> --reason TEXT
  pauses <customerId>               list a customer's pauses, promises and schedules
  promise <customerId> --date YYYY-MM-DD --amount 1000.00 [--currency RUB] [--invoice ID …] --reason TEXT
  schedule <customerId> --installment YYYY-MM-DD:AMOUNT … [--currency RUB] [--invoice ID …] --reason TEXT
                                    dunning pauses until the last installment

Ledger
  reconcile <customerId> --from YYYY-MM-DD --to YYYY-MM-DD [--currency RUB] [--pdf FILE]
                                    reconciliation statement (акт сверки); --pdf also saves the PDF
  close-period --through YYYY-MM-DD --reason TEXT
  import-bank <file>                import a 1C client-bank statement (1CClientBankExchange)
  review list                       bank payments waiting for an operator
  review resolve <importId> <line> --customer ID [--invoice ID …] --reason TEXT   (or --dismiss)
  replay <archiveRef>               re-process an archived (dead-lettered) webhook payload

Claim cases (претензионно-исковая работа)
  case list [--status pre-trial|awaiting-approval|approved|litigation|closed] [--customer ID]
  case show <caseId>
  case approve <caseId> [--role legal] [--note TEXT]      a lawyer moves the case to litigation
  case reject <caseId> --note TEXT [--role legal]
  case strategy <caseId> wait|collect|sell [--pct 60] [--date YYYY-MM-DD] [--note TEXT]
  case package <caseId> [--as-of YYYY-MM-DD]             build the litigation package (approved cases)

Audit
  audit [--customer ID] [--day YYYY-MM-DD]

Calculator (in-process, JSON on stdin)
  calc penalty|duty [--rules FILE] [--pretty] < input.json

${COMMON}
`;

const HELP: Record<string, string> = {
  case: `claimflow case list|show|approve|reject|strategy|package …
  list [--status S] [--customer ID]    show <caseId>
  approve <caseId> [--role legal] [--note TEXT]
  reject <caseId> --note TEXT [--role legal]
  strategy <caseId> wait|collect|sell [--pct N] [--date YYYY-MM-DD] [--note TEXT]
  package <caseId> [--as-of YYYY-MM-DD]
Approval needs the legal role: in the cloud it comes from the caller's IAM identity (LEGAL_ROLE_PRINCIPALS); locally from --role.`,
  run: `claimflow run --as-of YYYY-MM-DD [--dry-run] [--rerun TAG --reason TEXT]
  Without --dry-run: starts the run for the date (one run per date; --rerun TAG starts a deliberate
  second run, e.g. after resolving ambiguous letters). With --dry-run: lists, per customer and stage,
  the letters the run would send (invoices, amounts, channels) and the invoices it would not dun, with
  the reason. A dry run writes nothing.`,
  runs: `claimflow runs show YYYY-MM-DD
  The run record and every letter of the run: customer, stage, status (sent, ambiguous, failed …),
  channels, invoices and amounts.`,
  letters: `claimflow letters resolve <runDate> <customerId> <stage> --outcome sent|not-sent --reason TEXT
  An ambiguous letter (the process stopped after the send call, before recording it) is never resent
  blindly. Check the inbox / SES logs, then: sent (the stage is recorded and never sent again) or
  not-sent (a re-run of the date, \`claimflow run --as-of D --rerun TAG\`, may send it).`,
  pause: `claimflow pause <customerId> [--invoice ID] --until YYYY-MM-DD --reason TEXT [--kind dispute|manual]
  Pauses dunning of one invoice (a dispute) or of the whole customer (manual) through --until
  inclusive; dunning resumes the next day.`,
  resume: `claimflow resume <customerId> <pauseId> --reason TEXT
  Ends a pause, promise or schedule early (pause ids: \`claimflow pauses <customerId>\`).`,
  pauses: `claimflow pauses <customerId>
  Lists the customer's pauses, promises to pay and payment schedules, with who set them and why.`,
  promise: `claimflow promise <customerId> --date YYYY-MM-DD --amount 1000.00 [--currency RUB] [--invoice ID …] --reason TEXT
  Records a promise to pay: dunning of the named invoices (or the whole customer) pauses until the date.`,
  schedule: `claimflow schedule <customerId> --installment YYYY-MM-DD:AMOUNT [--installment …] [--currency RUB] [--invoice ID …] --reason TEXT
  Records an agreed payment schedule; dunning pauses until the last installment's date.`,
  reconcile: `claimflow reconcile <customerId> --from YYYY-MM-DD --to YYYY-MM-DD [--currency RUB] [--pdf FILE]
  Prints the reconciliation statement (акт сверки): opening balance, each document with debit and
  credit, closing balance. --pdf FILE also saves it as an A4 PDF; --json prints the JSON statement.`,
  'close-period': `claimflow close-period --through YYYY-MM-DD --reason TEXT
  Closes the books through the date (inclusive). Entries dated inside a closed period are refused
  (409) and recorded; corrections go into the open period. A closed period is never reopened.`,
  'import-bank': `claimflow import-bank <file> [--reason TEXT]
  Imports a 1C client-bank statement (Windows-1251, CP866 or UTF-8). Prints documents imported,
  duplicates (already booked), documents sent to the review list and broken sections by line.
  Importing the same file again books nothing twice.`,
  review: `claimflow review list | review resolve <importId> <line> (--customer ID [--invoice ID …] | --dismiss) --reason TEXT
  Bank payments that could not be matched or were refused, waiting for an operator; resolve books one
  to a customer (same payment id as the import: never twice) or dismisses it. Audited.`,
  replay: `claimflow replay <archiveRef> [--reason TEXT]
  Re-processes an archived webhook payload (the reference is in the dead-letter message, e.g.
  s3://bucket/archive/… or file:///…/archive/…). A payload already booked is a no-op (duplicate).`,
  audit: `claimflow audit [--customer ID] [--day YYYY-MM-DD]
  The audit trail: who did what, when and why. By customer (with the ledger's refusals of that
  customer's entries) or by day (company time zone; default today).`,
  calc: `claimflow calc penalty|duty [--rules FILE] [--pretty] < input.json
  The lawyers' calculator (see docs/calc.md). Runs locally; no endpoint needed.`,
};

class UsageError extends Error {}

interface Global {
  endpoint: string;
  by: string;
  json: boolean;
}

interface HttpResult {
  status: number;
  contentType: string;
  bytes: Uint8Array;
  json?: any;
}

// ------------------------------------------------------------------------------------------------
// Transport

/** SHA-256 for the SigV4 signer, over node:crypto (HMAC when given a secret). */
class Sha256 {
  private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    throw new Error('not supported');
  }
}
function toBuffer(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';

/** The base URL without a trailing "/operator" (the stack output ends in /operator/). */
export function operatorBase(endpoint: string): URL {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint must be a URL (got "${endpoint}")`);
  }
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/operator$/, '');
  u.search = '';
  return u;
}

async function call(
  io: CliIo,
  g: Global,
  method: string,
  path: string,
  opts: { query?: Record<string, string | undefined>; body?: unknown } = {},
): Promise<HttpResult> {
  const base = operatorBase(g.endpoint);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/operator/${path}`, base);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  let headers: Record<string, string> = { accept: 'application/json', [OPERATOR_HEADER]: g.by, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
  if (url.protocol === 'https:' && !isLoopback(url.hostname) && io.env.CLAIMFLOW_SIGN !== '0') headers = await sign(io, method, url, headers, body);
  let res: Response;
  try {
    res = await io.fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  } catch (err) {
    const hint = isLoopback(url.hostname) ? ' Is the local stack running? Start it with `npm start` (or pass --endpoint).' : '';
    throw new Error(`cannot reach claimflow at ${url.origin}: ${(err as Error).cause ? String(((err as Error).cause as Error).message ?? (err as Error).cause) : (err as Error).message}.${hint}`);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.includes('json') && bytes.byteLength) {
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      /* reported below as a non-JSON answer */
    }
  }
  return { status: res.status, contentType, bytes, json };
}

async function sign(io: CliIo, method: string, url: URL, headers: Record<string, string>, body: string | undefined): Promise<Record<string, string>> {
  const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
  if (!region) throw new UsageError('cannot tell the AWS region of the endpoint: set AWS_REGION');
  const [{ SignatureV4 }, { fromNodeProviderChain }] = await Promise.all([import('@smithy/signature-v4'), import('@aws-sdk/credential-providers')]);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: fromNodeProviderChain(), sha256: Sha256 });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers: { ...headers, host: url.host },
    ...(body !== undefined ? { body } : {}),
  });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== 'host') out[k] = String(v);
  return out;
}

/** 2xx → the JSON; otherwise an error naming each bad field. */
function ok(r: HttpResult): any {
  if (r.status >= 200 && r.status < 300) return r.json;
  throw new ServerError(r);
}

class ServerError extends Error {
  constructor(readonly result: HttpResult) {
    const e = result.json?.error as { code?: string; message?: string; fields?: { field: string; message: string }[]; closedThrough?: string } | undefined;
    const lines = e
      ? [`${e.message ?? e.code} (${result.status}${e.code ? ` ${e.code}` : ''})`, ...(e.fields ?? []).map((f) => `  ${f.field}: ${f.message}`)]
      : [`HTTP ${result.status}: ${Buffer.from(result.bytes).toString('utf8').slice(0, 500)}`];
    super(lines.join('\n'));
  }
}

// ------------------------------------------------------------------------------------------------
// Formatting

function table(head: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (align[i] === 'r' ? (c ?? '').padStart(w[i]!) : (c ?? '').padEnd(w[i]!))).join('  ').trimEnd();
  return [fmt(head), w.map((n) => '─'.repeat(n)).join('  '), ...rows.map(fmt)].join('\n');
}

const money = (ms: { amount: string; currency: string }[] | undefined) => (ms ?? []).map((m) => `${m.amount} ${m.currency}`).join(', ');

function printDryRun(io: CliIo, r: { runDate: string; customers: any[]; totals: any }): void {
  io.stdout(`Dry run for ${r.runDate}: nothing was sent or recorded.\n\n`);
  const rows: string[][] = [];
  for (const c of r.customers) {
    for (const l of c.letters) rows.push([c.customerId, l.stage, l.channels.join('+'), l.invoices.join(', '), money(l.total)]);
    if (c.status === 'failed') rows.push([c.customerId, '—', '—', `cannot process: ${c.error}`, '']);
  }
  io.stdout(rows.length ? `${table(['Customer', 'Stage', 'Channels', 'Invoices', 'Amount'], rows)}\n` : 'No letters would be sent.\n');
  const skipped = r.customers.flatMap((c) => c.skipped.map((s: { invoice: string; reason: string }) => [c.customerId, s.invoice, s.reason]));
  if (skipped.length) io.stdout(`\nNot dunned:\n${table(['Customer', 'Invoice', 'Why'], skipped)}\n`);
  const t = r.totals;
  io.stdout(
    `\nCustomers: ${t.customers}; letters: ${Object.entries(t.letters).map(([s, n]) => `${s} ${n}`).join(', ')}; failures: ${t.failures}\n`,
  );
}

function printStatement(io: CliIo, st: any): void {
  const name = st.customer?.legalName ?? st.customerId;
  io.stdout(`Reconciliation statement (акт сверки) — ${name}${st.customer?.taxId ? `, INN ${st.customer.taxId}` : ''}\n`);
  io.stdout(`Period ${st.from} … ${st.to}, ${st.currency}\n\n`);
  const rows: string[][] = [
    [st.from, 'Opening balance', st.opening.debit, st.opening.credit, st.opening.balance],
    ...st.rows.map((r: any) => [r.date, r.description, r.debit === '0.00' ? '' : r.debit, r.credit === '0.00' ? '' : r.credit, r.balance]),
    ['', 'Turnover', st.turnover.debit, st.turnover.credit, ''],
    [st.to, 'Closing balance', st.closing.debit, st.closing.credit, st.closing.balance],
  ];
  io.stdout(`${table(['Date', 'Document', 'Debit', 'Credit', 'Balance'], rows, ['l', 'l', 'r', 'r', 'r'])}\n`);
  const open = st.atClose?.openInvoices ?? [];
  io.stdout(
    `\nAt ${st.to}: ${open.length} open invoice(s)${open.length ? ` (${open.map((i: any) => `${i.number} ${i.outstanding}`).join(', ')})` : ''}; unapplied credit ${st.atClose?.unappliedCredit ?? '0'}.\n`,
  );
}

// ------------------------------------------------------------------------------------------------
// Commands

const G_OPTS = {
  endpoint: { type: 'string' },
  by: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...G_OPTS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined || v === '') throw new UsageError(`missing ${what}`);
  return v;
}

type Cmd = (io: CliIo, args: string[]) => Promise<number>;

function globalsOf(io: CliIo, values: { endpoint?: string; by?: string; json?: boolean }): Global {
  return {
    endpoint: values.endpoint ?? io.env.CLAIMFLOW_ENDPOINT ?? DEFAULT_ENDPOINT,
    by: values.by ?? io.env.CLAIMFLOW_OPERATOR ?? io.env.USER ?? io.env.USERNAME ?? safeUserName(),
    json: !!values.json,
  };
}

const emit = (io: CliIo, g: Global, data: unknown, human: () => void) => {
  if (g.json) io.stdout(`${JSON.stringify(data, null, 2)}\n`);
  else human();
};

const commands: Record<string, Cmd> = {
  async case(io, args) {
    const { values, positionals } = parse(args, {
      status: { type: 'string' },
      customer: { type: 'string' },
      role: { type: 'string' },
      note: { type: 'string' },
      pct: { type: 'string' },
      date: { type: 'string' },
      'as-of': { type: 'string' },
    });
    if (values.help) return help(io, 'case');
    const g = globalsOf(io, values);
    const [sub, caseId, arg] = positionals;
    const show = (c: any) =>
      `${c.caseId}  ${c.customerId}  ${c.status}  principal ${c.principal?.amount ?? c.principal} penalty ${c.penalty?.amount ?? c.penalty} duty ${c.estimatedDuty?.amount ?? c.estimatedDuty ?? ''} total ${c.total?.amount ?? c.total}  strategy ${c.strategy ?? '—'}`;
    switch (sub) {
      case 'list': {
        const r = ok(await call(io, g, 'GET', 'cases', { query: { status: values.status, customer: values.customer } }));
        emit(io, g, r, () => io.stdout(r.cases.length ? `${r.cases.map(show).join('\n')}\n` : 'No claim cases.\n'));
        return 0;
      }
      case 'show': {
        const r = ok(await call(io, g, 'GET', `cases/${encodeURIComponent(need(caseId, '<caseId>'))}`));
        io.stdout(`${JSON.stringify(r, null, 2)}\n`);
        return 0;
      }
      case 'approve':
      case 'reject': {
        const id = need(caseId, '<caseId>');
        if (sub === 'reject') need(values.note, '--note TEXT');
        const r = ok(await call(io, g, 'POST', `cases/${encodeURIComponent(id)}/${sub}`, { body: { role: values.role ?? 'legal', ...(values.note ? { note: values.note } : {}) } }));
        emit(io, g, r, () => io.stdout(`Case ${id}: ${sub === 'approve' ? 'approved for litigation' : 'rejected'} by ${g.by}.\n`));
        return 0;
      }
      case 'strategy': {
        const id = need(caseId, '<caseId>');
        const r = ok(
          await call(io, g, 'POST', `cases/${encodeURIComponent(id)}/strategy`, {
            body: { strategy: need(arg, 'wait|collect|sell'), ...(values.pct ? { expectedRecoveryPct: values.pct } : {}), ...(values.date ? { expectedRecoveryDate: values.date } : {}), ...(values.note ? { note: values.note } : {}) },
          }),
        );
        emit(io, g, r, () => io.stdout(`${show(r)}\n`));
        return 0;
      }
      case 'package': {
        const id = need(caseId, '<caseId>');
        const r = ok(await call(io, g, 'POST', `cases/${encodeURIComponent(id)}/package`, { body: values['as-of'] ? { asOf: values['as-of'] } : {} }));
        emit(io, g, r, () => io.stdout(`Litigation package for ${id}:\n${(r.files ?? []).map((f: any) => `  ${f.name ?? f.key}  ${f.uri ?? ''}`).join('\n')}\n${(r.warnings ?? []).map((w: any) => `  ! ${typeof w === 'string' ? w : w.message}`).join('\n')}\n`));
        return 0;
      }
      default:
        throw new UsageError('expected list, show, approve, reject, strategy or package');
    }
  },
  async run(io, args) {
    const { values } = parse(args, { 'as-of': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, rerun: { type: 'string' }, reason: { type: 'string' } });
    if (values.help) return help(io, 'run');
    const g = globalsOf(io, values);
    const runDate = need(values['as-of'], '--as-of YYYY-MM-DD');
    if (values['dry-run']) {
      const merged = { runDate, dryRun: true, customers: [] as any[], totals: undefined as any };
      let pageToken: string | undefined;
      do {
        const r = ok(await call(io, g, 'POST', 'runs', { body: { runDate, dryRun: true, ...(pageToken ? { pageToken } : {}) } }));
        merged.customers.push(...r.customers);
        merged.totals = addTotals(merged.totals, r.totals);
        pageToken = r.nextToken;
      } while (pageToken);
      emit(io, g, merged, () => printDryRun(io, merged));
      return 0;
    }
    const r = ok(await call(io, g, 'POST', 'runs', { body: { runDate, ...(values.rerun ? { rerun: values.rerun } : {}), ...(values.reason ? { reason: values.reason } : {}) } }));
    emit(io, g, r, () => {
      io.stdout(`Run ${r.executionName}: ${r.status}\n`);
      const s = r.summary;
      if (s) {
        io.stdout(`Customers ${s.customers}; letters: ${Object.entries(s.letters ?? {}).map(([k, n]) => `${k} ${n}`).join(', ')}; failures ${s.failures}; ambiguous ${s.ambiguous ?? 0}\n`);
      }
    });
    return 0;
  },

  async runs(io, args) {
    const { values, positionals } = parse(args, {});
    if (values.help || positionals[0] !== 'show') return values.help ? help(io, 'runs') : usage(io, 'runs');
    const g = globalsOf(io, values);
    const runDate = need(positionals[1], 'the run date (YYYY-MM-DD)');
    const r = ok(await call(io, g, 'GET', `runs/${encodeURIComponent(runDate)}`));
    emit(io, g, r, () => {
      const run = r.run ?? {};
      io.stdout(`Run of ${runDate}${run.executionName ? ` (${run.executionName})` : ''}\n\n`);
      io.stdout(
        r.letters.length
          ? `${table(
              ['Customer', 'Stage', 'Status', 'Channels', 'Invoices', 'Amount'],
              r.letters.map((l: any) => [l.customerId, l.stage, l.status, (l.channels ?? []).join('+'), String(l.invoiceIds?.length ?? 0), money(l.total)]),
            )}\n`
          : 'No letters.\n',
      );
      if (r.failures.length) io.stdout(`\nFailed customers:\n${table(['Customer', 'Error'], r.failures.map((f: any) => [f.customerId, `${f.error}: ${f.cause}`]))}\n`);
    });
    return 0;
  },

  async letters(io, args) {
    const { values, positionals } = parse(args, { outcome: { type: 'string' }, reason: { type: 'string' } });
    if (values.help || positionals[0] !== 'resolve') return values.help ? help(io, 'letters') : usage(io, 'letters');
    const g = globalsOf(io, values);
    const [, runDate, customerId, stage] = positionals;
    const path = `letters/${encodeURIComponent(need(runDate, '<runDate>'))}/${encodeURIComponent(need(customerId, '<customerId>'))}/${encodeURIComponent(need(stage, '<stage>'))}/resolve`;
    const r = ok(await call(io, g, 'POST', path, { body: { outcome: values.outcome, reason: values.reason } }));
    emit(io, g, r, () => io.stdout(`Letter ${stage} of ${runDate} for ${customerId}: now ${r.letter.status} (audited: ${r.audit.by}, ${r.audit.at}).\n`));
    return 0;
  },

  async pause(io, args) {
    const { values, positionals } = parse(args, { invoice: { type: 'string' }, until: { type: 'string' }, reason: { type: 'string' }, kind: { type: 'string' } });
    if (values.help) return help(io, 'pause');
    const g = globalsOf(io, values);
    const customerId = need(positionals[0], '<customerId>');
    const r = ok(
      await call(io, g, 'POST', `customers/${encodeURIComponent(customerId)}/pauses`, {
        body: { until: values.until, reason: values.reason, ...(values.invoice ? { invoiceId: values.invoice } : {}), ...(values.kind ? { kind: values.kind } : {}) },
      }),
    );
    emit(io, g, r, () =>
      io.stdout(`Paused ${r.pause.invoiceId ? `invoice ${r.pause.invoiceId} of ` : ''}${customerId} (${r.pause.kind}) through ${r.pause.until}: pause id ${r.pause.pauseId}\n`),
    );
    return 0;
  },

  async resume(io, args) {
    const { values, positionals } = parse(args, { reason: { type: 'string' } });
    if (values.help) return help(io, 'resume');
    const g = globalsOf(io, values);
    const customerId = need(positionals[0], '<customerId>');
    const pauseId = need(positionals[1], '<pauseId>');
    const r = ok(await call(io, g, 'POST', `customers/${encodeURIComponent(customerId)}/pauses/${encodeURIComponent(pauseId)}/resume`, { body: { reason: values.reason } }));
    emit(io, g, r, () => io.stdout(`Resumed ${r.resumed.join(', ')} for ${customerId}: dunned again from the next run.\n`));
    return 0;
  },

  async pauses(io, args) {
    const { values, positionals } = parse(args, {});
    if (values.help) return help(io, 'pauses');
    const g = globalsOf(io, values);
    const customerId = need(positionals[0], '<customerId>');
    const r = ok(await call(io, g, 'GET', `customers/${encodeURIComponent(customerId)}/pauses`));
    emit(io, g, r, () =>
      io.stdout(
        r.pauses.length
          ? `${table(
              ['Pause id', 'Kind', 'Invoice', 'Until', 'Amount', 'By', 'Reason', 'Resumed'],
              r.pauses.map((p: any) => [p.pauseId, p.kind, p.invoiceId ?? '(customer)', p.until, p.amount ? money([p.amount]) : '', p.by, p.reason, p.resolved ? `${p.resolved.by} ${p.resolved.at.slice(0, 10)}` : '']),
            )}\n`
          : `No pauses for ${customerId}.\n`,
      ),
    );
    return 0;
  },

  async promise(io, args) {
    const { values, positionals } = parse(args, {
      date: { type: 'string' },
      amount: { type: 'string' },
      currency: { type: 'string', default: 'RUB' },
      invoice: { type: 'string', multiple: true },
      reason: { type: 'string' },
    });
    if (values.help) return help(io, 'promise');
    const g = globalsOf(io, values);
    const customerId = need(positionals[0], '<customerId>');
    const r = ok(
      await call(io, g, 'POST', `customers/${encodeURIComponent(customerId)}/promises`, {
        body: { date: values.date, amount: { amount: values.amount, currency: values.currency }, reason: values.reason, ...(values.invoice?.length ? { invoiceIds: values.invoice } : {}) },
      }),
    );
    emit(io, g, r, () => io.stdout(`Promise to pay ${values.amount} ${values.currency} by ${values.date} recorded for ${customerId}; dunning paused through ${values.date}: pause id ${r.pauses[0].pauseId}\n`));
    return 0;
  },

  async schedule(io, args) {
    const { values, positionals } = parse(args, {
      installment: { type: 'string', multiple: true },
      currency: { type: 'string', default: 'RUB' },
      invoice: { type: 'string', multiple: true },
      reason: { type: 'string' },
    });
    if (values.help) return help(io, 'schedule');
    const g = globalsOf(io, values);
    const customerId = need(positionals[0], '<customerId>');
    const installments = need(values.installment, '--installment YYYY-MM-DD:AMOUNT').map((s) => {
      const m = /^(\d{4}-\d{2}-\d{2}):(.+)$/.exec(s);
      if (!m) throw new UsageError(`--installment must be YYYY-MM-DD:AMOUNT (got "${s}")`);
      return { date: m[1], amount: m[2] };
    });
    const r = ok(
      await call(io, g, 'POST', `customers/${encodeURIComponent(customerId)}/schedules`, {
        body: { installments, currency: values.currency, reason: values.reason, ...(values.invoice?.length ? { invoiceIds: values.invoice } : {}) },
      }),
    );
    emit(io, g, r, () => io.stdout(`Payment schedule of ${installments.length} installment(s), ${money([r.total])}, agreed with ${customerId}; dunning paused through ${r.until}: pause id ${r.pauses[0].pauseId}\n`));
    return 0;
  },

  async reconcile(io, args) {
    const { values, positionals } = parse(args, { from: { type: 'string' }, to: { type: 'string' }, currency: { type: 'string' }, pdf: { type: 'string' } });
    if (values.help) return help(io, 'reconcile');
    const g = globalsOf(io, values);
    const customerId = need(positionals[0], '<customerId>');
    const query = { from: values.from, to: values.to, currency: values.currency };
    const path = `customers/${encodeURIComponent(customerId)}/reconciliation`;
    const st = ok(await call(io, g, 'GET', path, { query }));
    if (values.pdf) {
      const r = await call(io, g, 'GET', path, { query: { ...query, format: 'pdf' } });
      if (r.status !== 200 || !r.contentType.includes('pdf')) throw new ServerError(r);
      await io.writeFile(values.pdf, r.bytes);
    }
    emit(io, g, st, () => {
      printStatement(io, st);
      if (values.pdf) io.stdout(`PDF saved to ${values.pdf}\n`);
    });
    return 0;
  },

  async 'close-period'(io, args) {
    const { values } = parse(args, { through: { type: 'string' }, reason: { type: 'string' } });
    if (values.help) return help(io, 'close-period');
    const g = globalsOf(io, values);
    const r = ok(await call(io, g, 'POST', 'period-close', { body: { through: values.through, reason: values.reason } }));
    emit(io, g, r, () => io.stdout(`Books closed through ${r.period.closedThrough} (by ${r.period.by}).\n`));
    return 0;
  },

  async 'import-bank'(io, args) {
    const { values, positionals } = parse(args, { reason: { type: 'string' } });
    if (values.help) return help(io, 'import-bank');
    const g = globalsOf(io, values);
    const file = need(positionals[0], '<file>');
    let bytes: Uint8Array;
    try {
      bytes = await io.readFile(file);
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const r = ok(
      await call(io, g, 'POST', 'bank-imports', { body: { fileName: basename(file), contentBase64: Buffer.from(bytes).toString('base64'), ...(values.reason ? { reason: values.reason } : {}) } }),
    );
    emit(io, g, r, () => {
      io.stdout(`${file} (${r.encoding}): ${r.documents} document(s)\n`);
      io.stdout(`  imported    ${r.imported}\n  duplicates  ${r.duplicates}\n  skipped     ${r.skipped} (outgoing or other accounts)\n  review      ${r.review.length}\n  errors      ${r.errors.length}\n`);
      for (const x of r.review) io.stdout(`  review  line ${x.line}: ${x.reason}\n`);
      for (const e of r.errors) io.stdout(`  error   line ${e.line}: ${e.message}\n`);
    });
    return 0;
  },

  async review(io, args) {
    const { values, positionals } = parse(args, { customer: { type: 'string' }, invoice: { type: 'string', multiple: true }, reason: { type: 'string' }, dismiss: { type: 'boolean', default: false } });
    if (values.help) return help(io, 'review');
    const g = globalsOf(io, values);
    if (positionals[0] === 'resolve') {
      const importId = need(positionals[1], '<importId>');
      const line = need(positionals[2], '<line>');
      const reason = need(values.reason, '--reason TEXT');
      if (!values.dismiss) need(values.customer, '--customer ID (or --dismiss)');
      const r = ok(
        await call(io, g, 'POST', `review/${encodeURIComponent(importId)}/${encodeURIComponent(line)}/resolve`, {
          body: { outcome: values.dismiss ? 'dismiss' : 'book', reason, ...(values.customer ? { customerId: values.customer } : {}), ...(values.invoice?.length ? { invoiceIds: values.invoice } : {}) },
        }),
      );
      emit(io, g, r, () => io.stdout(r.status === 'booked' ? `Booked to ${values.customer} as payment ${r.paymentId} (${r.ledger}).\n` : 'Dismissed.\n'));
      return 0;
    }
    if (positionals[0] !== 'list') return usage(io, 'review');
    const r = ok(await call(io, g, 'GET', 'review'));
    emit(io, g, r, () =>
      io.stdout(
        r.items.length
          ? `${table(
              ['Import', 'Line', 'Date', 'Amount', 'Payer', 'Reason'],
              r.items.map((i: any) => [i.importId, String(i.line), i.document?.date ?? '', i.document?.amount ?? '', `${i.document?.payerName ?? ''} ${i.document?.payerInn ?? ''}`.trim(), i.reason]),
            )}\n`
          : 'The review list is empty.\n',
      ),
    );
    return 0;
  },

  async replay(io, args) {
    const { values, positionals } = parse(args, { reason: { type: 'string' } });
    if (values.help) return help(io, 'replay');
    const g = globalsOf(io, values);
    const archiveRef = need(positionals[0], '<archiveRef>');
    const r = ok(await call(io, g, 'POST', 'replay', { body: { archiveRef, ...(values.reason ? { reason: values.reason } : {}) } }));
    emit(io, g, r, () => io.stdout(`Replayed ${r.source} event ${r.eventId}: ${r.status} (HTTP ${r.statusCode}).\n`));
    return r.statusCode >= 500 ? 1 : r.statusCode >= 400 ? 2 : 0;
  },

  async audit(io, args) {
    const { values } = parse(args, { customer: { type: 'string' }, day: { type: 'string' } });
    if (values.help) return help(io, 'audit');
    const g = globalsOf(io, values);
    const r = ok(await call(io, g, 'GET', 'audit', { query: { customer: values.customer, day: values.day } }));
    emit(io, g, r, () =>
      io.stdout(
        r.entries.length
          ? `${table(
              ['When', 'Who', 'Action', 'Customer', 'Why', 'What'],
              r.entries.map((e: any) => [e.at, e.principal ? `${e.by} (${e.principal})` : e.by, e.action, e.customerId ?? '', e.reason, JSON.stringify(e.details)]),
            )}\n`
          : 'No audited actions.\n',
      ),
    );
    return 0;
  },

  async calc(io, args) {
    const wantsHelp = args.includes('--help') || args.includes('-h');
    const out = await runCalc(args, wantsHelp ? '{}' : await io.readStdin(), { env: io.env });
    if (out.stdout) io.stdout(out.stdout);
    if (out.stderr) io.stderr(out.stderr);
    return out.exitCode;
  },
};

function addTotals(a: any, b: any): any {
  if (!a) return b;
  const out = { ...a, customers: a.customers + b.customers, failures: a.failures + b.failures, skipped: a.skipped + b.skipped, ambiguous: a.ambiguous + b.ambiguous, letters: { ...a.letters } };
  for (const [k, n] of Object.entries(b.letters as Record<string, number>)) out.letters[k] = (out.letters[k] ?? 0) + n;
  return out;
}

function help(io: CliIo, cmd: string): number {
  io.stdout(`${HELP[cmd]}\n\n${COMMON}\n`);
  return 0;
}

function usage(io: CliIo, cmd: string): number {
  io.stderr(`claimflow ${cmd}: ${HELP[cmd]?.split('\n')[0]}\n`);
  return 2;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    if (cmd === 'help' && rest[0] && HELP[rest[0]]) return help(io, rest[0]);
    io.stdout(USAGE);
    return cmd ? 0 : 2;
  }
  const run = commands[cmd];
  if (!run) {
    io.stderr(`claimflow: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(io, rest);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`claimflow ${cmd}: ${err.message}\n${HELP[cmd] ? `\n${HELP[cmd]}\n` : ''}`);
      return 2;
    }
    if (err instanceof ServerError) {
      io.stderr(`claimflow ${cmd}: ${err.message}\n`);
      return err.result.status >= 500 ? 1 : 2;
    }
    io.stderr(`claimflow ${cmd}: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  }
}

export const processIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  readFile: async (p) => new Uint8Array(await readFile(p)),
  writeFile: (p, b) => writeFile(p, b),
  fetch: globalThis.fetch,
});

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`claimflow: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

/** The OS account name when $USER is not set (cron, containers); '' when even that is unknown. */
function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}
