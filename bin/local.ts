/**
 * `npm start`: the whole claimflow flow on one machine, on embedded defaults, with no AWS account.
 *
 *   npm start                                   # local stack + Tuesday/Friday scheduler, Ctrl-C to stop
 *   npm start -- --once --as-of 2026-11-24 --json
 *
 * Flags: --as-of YYYY-MM-DD (run for that date at once), --once (exit after that run: 0 only if it
 * succeeded), --json (last stdout line = run summary JSON), --no-demo (skip the demo ledger),
 * --dry-run, --port N (HTTP, default 3000), --dynamo-port N (8000), --ses-port N (8005),
 * --data-dir DIR (.local), --bind ADDR (127.0.0.1), --fresh (start with an empty database), --threads N (worker threads for
 * the per-customer step; 0 = the main thread).
 */
import { parseArgs } from 'node:util';
// Node 20 is supported here (engines >= 20.19); the SDK's Node 22 notice is noise for operators.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { readFile, rm } from 'node:fs/promises';
import { policyConfigFor } from '../functions/adapters/compose.js';
import path from 'node:path';
import { createSupervisor } from './local/supervisor.js';
import { startLocalStack, LOCAL_SECRETS, type LocalRunResult } from './local/stack.js';
import { PortBusyError } from './local/ports.js';
import { ensureConsoleBuilt } from './local/console-static.js';
import { parseDate, type CalendarDate } from '../functions/domain/dates.js';
import { STAGES } from '../functions/app/run-totals.js';
import { eventBridgeCron } from '../workflows/cron.js';
import { DEFAULT_SCHEDULE, dunningCron } from '../workflows/schedule.js';
import { onceJson } from './local/once-json.js';

const HELP = `claimflow local stack

Usage: npm start -- [options]
  --as-of YYYY-MM-DD   run the dunning run for that date at once
  --once               exit after that run (exit code 0 only if it succeeded)
  --json               print the run summary as JSON on the last line of stdout
  --dry-run            decide but send nothing
  --no-demo            do not load the demo ledger into an empty database
  --fresh              delete the local database first
  --port N             HTTP port for webhooks and runs (default 3000)
  --dynamo-port N      DynamoDB Local port (default 8000)
  --ses-port N         local SES and inbox port (default 8005)
  --data-dir DIR       where the database, outbox and archive live (default .local)
  --bind ADDR          address every local service listens on: 127.0.0.1 (default) or 0.0.0.0
                       (other machines can then reach the webhooks, the inbox and DynamoDB Local)
  --policy FILE        segment/customer overrides of the wholesale policy: {"segments": {…}, "customers": {…}}
  --threads N          worker threads for "Decide and send letters to the customer" (default 0: the main
                       thread). The run is CPU-bound: more threads help only with spare cores.
  --max-concurrency N  customers processed at once in a run (the DunningRun Map's MaxConcurrency, 1–200;
                       default 5, as deployed by default with claimflow:maxConcurrency)
`;

function table(r: LocalRunResult): string {
  const s = r.summary;
  if (r.status === 'ALREADY_STARTED') {
    if (r.runningIn) {
      return `The run ${r.executionName} is running now in process ${r.runningIn.pid}${r.runningIn.host ? ` on ${r.runningIn.host}` : ''}: wait for it. If that process is stuck, stop it (kill ${r.runningIn.pid}) and run the same command again: it continues the run.`;
    }
    const head = `The run ${r.executionName} was already started earlier: no second run for the same date (use --fresh, or another date).`;
    if (!s) return head;
    return `${head}\nIts recorded result:\n${table({ ...r, status: 'SUCCEEDED' })}`;
  }
  if (!s) return `Run ${r.executionName}: ${r.status}${r.error ? ` — ${r.error.Error}: ${String(r.error.Cause)}` : ''}`;
  const rows: [string, string][] = [
    ['Run date', s.runDate],
    ['Execution', `${s.executionName} (${r.status})`],
    ['Customers processed', String(s.customers)],
    ...STAGES.map((st): [string, string] => [
      `  ${st}`,
      `${s.letters[st]} letter(s)${
        s.amounts[st]
          ? `  ${Object.entries(s.amounts[st]!)
              .map(([c, a]) => `${a} ${c}`)
              .join(', ')}`
          : ''
      }`,
    ]),
    ['Failures', String(s.failures)],
    ['Ambiguous sends', String(s.ambiguous)],
    ...(s.sending ? ([['Still sending', `${s.sending} letter(s) held by another or an interrupted run until ${s.sendingLeaseUntil}`]] as [string, string][]) : []),
    ['Invoices not dunned', String(s.skipped)],
    ['Newly at litigation', s.newlyAtLitigation.join(', ') || '—'],
    ['Print batch', s.printVolumes && s.printVolumes.length > 1 ? `${s.printVolumes.length} volumes, first ${s.printBatch}` : (s.printBatch ?? '—')],
  ];
  if (r.resumed) rows.unshift(['Continued', 'this run continued an interrupted execution of the same date']);
  const w = Math.max(...rows.map(([k]) => k.length));
  const line = '─'.repeat(w + 2 + Math.max(...rows.map(([, v]) => v.length)));
  const next = s.sending
    ? `\nAfter ${s.sendingLeaseUntil} run: npm start -- --once --as-of ${s.runDate} --rerun settle  (letters still sending are settled from the SES journal, the rest sent)`
    : s.ambiguous
      ? `\n${s.ambiguous} letter(s) wait for the mail service's record; a later run of ${s.runDate} settles them (what remains: npx claimflow runs show ${s.runDate}, then npx claimflow letters resolve)`
      : '';
  return [line, ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`), line].join('\n') + next;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'as-of': { type: 'string' },
      once: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      port: { type: 'string', default: '3000' },
      'dynamo-port': { type: 'string', default: '8000' },
      'ses-port': { type: 'string', default: '8005' },
      'data-dir': { type: 'string', default: '.local' },
      bind: { type: 'string', default: '127.0.0.1' },
      policy: { type: 'string' },
      threads: { type: 'string', default: '0' },
      'max-concurrency': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const asOf: CalendarDate | undefined = values['as-of'] ? parseDate(values['as-of'], '--as-of') : undefined;
  if (values.once && !asOf) throw new Error('--once needs --as-of YYYY-MM-DD');
  const port = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number (got "${v}")`);
    return n;
  };
  const wholeNumber = (name: string, v: string) => {
    if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number (got "${v}")`);
    return Number(v);
  };
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) throw new Error(`--threads must be a whole number from 0 to 64 (got "${values.threads}")`);
  if (values.bind !== '127.0.0.1' && values.bind !== '0.0.0.0') throw new Error(`--bind must be 127.0.0.1 or 0.0.0.0 (got "${values.bind}")`);
  const dataDir = path.resolve(values['data-dir']!);
  if (values.fresh) await rm(path.join(dataDir, 'dynamodb'), { recursive: true, force: true });
  // With --json, stdout carries only the summary line; human output goes to stderr.
  const say = (l: string) => (values.json ? process.stderr : process.stdout).write(`${l}\n`);

  const toStderr = (level: string) => (msg: string, extra?: unknown) => process.stderr.write(`${level}: ${msg}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
  const policyConfig = values.policy ? policyConfigFor('wholesale', JSON.parse(await readFile(values.policy, 'utf8'))) : undefined;
  const supervisor = createSupervisor({ logger: { info: toStderr('info'), warn: toStderr('warn'), error: toStderr('error') } as never }).install();
  say('Starting claimflow local stack (DynamoDB Local needs Java ≥ 17)…');
  await ensureConsoleBuilt(say);
  const stack = await startLocalStack({
    httpPort: port('--port', values.port!),
    dynamoPort: port('--dynamo-port', values['dynamo-port']!),
    sesPort: port('--ses-port', values['ses-port']!),
    dataDir,
    bind: values.bind!,
    demo: !values['no-demo'],
    ...(asOf ? { demoAsOf: asOf } : {}),
    scheduler: !values.once,
    customerThreads: threads,
    ...(values['max-concurrency'] === undefined ? {} : { maxConcurrency: wholeNumber('--max-concurrency', values['max-concurrency']) }),
    ...(policyConfig ? { settings: { policyConfig } } : {}),
    register: (name, stop) => supervisor.add(name, stop),
    log: say,
    onRunFinished: (r) => say(table(r)),
  });
  supervisor.add('local stack', () => stack.stop());

  say('');
  say(`claimflow is running locally${stack.demoLoaded ? ' — DEMO ledger loaded (customers "demo-…", names marked демо/demo)' : ''}`);
  say(`  Web console:    ${stack.urls.console}  (sign in as ${stack.consoleAuth.users.map((u) => `${u.user}: ${u.roles.join('+') || 'no role'}`).join(', ')})`);
  say(`  Webhooks (billing, HMAC secret "${LOCAL_SECRETS.billing}"):  ${stack.urls.webhook}`);
  say(
    `  Other webhooks: ${stack.urls.http}/webhooks/{stripe,yookassa,cloudpayments} (Stripe "${LOCAL_SECRETS.stripe}", CloudPayments "${LOCAL_SECRETS.cloudpayments}", plus *_SECRETS from the environment; YooKassa also from this machine)`,
  );
  say(`  Start a run:    curl -X POST ${stack.urls.http}/runs -d '{"runDate":"YYYY-MM-DD"}'`);
  say(`  Email inbox:    ${stack.urls.inbox}`);
  say(`  Outbox folder:  ${stack.urls.outbox} (every email as .eml, letters and print batches as PDF)`);
  say(`  DynamoDB Local: ${stack.urls.dynamo} (table ${stack.tableName})`);
  if (values.bind !== '127.0.0.1') say(`  Listening on ${values.bind}: reachable from other machines (--bind).`);
  if (values.bind !== '127.0.0.1') say("  The web console's local sign-in has no password: anyone who reaches this address can sign in as any configured user.");
  const next = stack.nextScheduledRun();
  if (next) say(`  Schedule:       ${eventBridgeCron(dunningCron(DEFAULT_SCHEDULE))} ${DEFAULT_SCHEDULE.timeZone}; next run ${next.toISOString()}`);
  say('');

  if (asOf) {
    const r = await stack.runDunning({ runDate: asOf, dryRun: values['dry-run'] });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(onceJson(r, asOf, stack.urls.inbox))}\n`);
    }
    if (values.once) {
      await supervisor.stopAll('--once run finished');
      // An earlier run of the same date that finished counts as success (its summary is shown); no second run starts.
      return r.status === 'SUCCEEDED' || (r.status === 'ALREADY_STARTED' && r.summary) ? 0 : 1;
    }
  }
  say('Press Ctrl-C to stop.');
  return await new Promise<number>(() => undefined); // the supervisor exits on SIGINT/SIGTERM
}

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof PortBusyError) process.stderr.write(`claimflow: ${err.message}\n`);
    else process.stderr.write(`claimflow: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
