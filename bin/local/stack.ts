/**
 * The embedded local stack: DynamoDB Local, local SES with its web inbox, the DunningRun definition
 * executed in-process over the same handler code, a local scheduler on the synthesized cron, and an
 * HTTP server for webhooks and for starting runs. No AWS account needed.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { PutCommand, ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { ensureTable, localDynamoClient, startDynamoLocal, type LocalDynamo } from './dynamo.js';
import { backfillSearchIndex } from '../../functions/adapters/search-index-backfill.js';
import { backfillBalanceIndex } from '../../functions/adapters/balance-index-backfill.js';
import { journalEvidence } from './ses-journal.js';
import { startLocalSes, localSesClient, type LocalSes } from './ses.js';
import { createOutboxMailer, createFsDocumentStore } from './outbox.js';
import { localArchiveKey, localWebhookSecrets, LOCAL_YOOKASSA_LOOPBACK } from './secrets.js';
import { claimLocalExecution, type ExecutionClaim } from './execution-claim.js';
import { startLocalScheduler, type LocalScheduler } from './scheduler.js';
import { localWeeklySummary, type LocalWeeklySummary } from './weekly-summary.js';
import { assertPortFree } from './ports.js';
import { executeLocally, type StateVisit } from './state-machine.js';
import { startCustomerPool, type CustomerPool } from './customer-pool.js';
import { demoLedger, demoSentLetters, DEMO_MARK } from './demo.js';
import { demoCreditHistory, DEMO_CREDIT_PROFILES } from './demo-credit.js';
import { compose, type AppSettings, type Composed } from '../../functions/adapters/compose.js';
import { createSesMailer } from '../../functions/adapters/ses-mailer.js';
import { createMemoryDeadLetters } from '../../functions/adapters/sqs-dead-letters.js';
import { FsArchive } from '../../functions/adapters/fs-archive.js';
import { DEFAULT_COMPANY } from '../../functions/config.js';
import { RecordingMetrics } from '../../functions/adapters/metrics.js';
import { handleWebhook, type WebhookDeps } from '../../functions/ingest/http.js';
import { defaultWebhookConfig, type WebhookConfig } from '../../functions/ingest/config.js';
import { runSteps } from '../../functions/handlers/run-steps.js';
import { startRun } from '../../functions/app/start-run.js';
import type { RunSummary } from '../../functions/app/summarize-run.js';
import type { Faults, RunStarter } from '../../functions/ports/dunning.js';
import { dunningRunAsl, LOCAL_FUNCTION_ARNS, MAX_CONCURRENCY, MAX_CONCURRENCY_LIMIT } from '../../workflows/dunning-run.js';
import { cronerPattern } from '../../workflows/cron.js';
import { DEFAULT_SCHEDULE, dunningCron, type ScheduleConfig } from '../../workflows/schedule.js';
import { dateInZone, type CalendarDate } from '../../functions/domain/dates.js';
import { entryKey } from '../../functions/domain/ledger/commands.js';
import type { DocumentStore, Mailer } from '../../functions/ports/index.js';
import { operatorDeps, companyInfo } from '../../functions/adapters/compose-operator.js';
import { localReportSyncBudgetMs } from './report-jobs.js';
import { closeIfUndrained, readBody, serveOperator } from '../../functions/operator/node-http.js';
import { parseStartRunRequest } from '../../functions/app/run-request.js';
import { ConfigError, errorBody } from '../../functions/domain/errors.js';
import type { OperatorRouterDeps } from '../../functions/operator/router.js';
import { flowExecutionName, listCases } from '../../functions/app/claims.js';
import type { CaseFlowStarter } from '../../functions/ports/claims.js';
import { claimCaseLocalHandlers, LocalApprovalHub } from './approval.js';
import { localClaimCaseAsl, localClaimCaseResources } from '../../workflows/claim-case.js';
import { createLocalAuth, loadConsoleUsers, type LocalAuth } from './console-auth.js';
import { consoleHttp, recordExecution, unauthenticated, type ConsoleHttp } from './console-http.js';

export { LOCAL_SECRETS } from './secrets.js';
import { localCreditSettings, serveCreditApi, startCreditTimers } from './credit-local.js';
import type { ComposedCredit } from '../../functions/adapters/compose-credit.js';

export interface LocalStackOptions {
  httpPort: number;
  dynamoPort: number;
  /** Address every local service listens on (default 127.0.0.1; `npm start -- --bind 0.0.0.0` to expose them). */
  bind?: string;
  sesPort: number;
  /** Folder for the database file, the outbox and archives (default .local). */
  dataDir: string;
  /** Environment read for the *_SECRETS variables (default process.env). */
  env?: Record<string, string | undefined>;
  /** Keep DynamoDB in memory (tests). */
  inMemory?: boolean;
  demo: boolean;
  /** Anchor date of the demo ledger (default: the next scheduled run date). */
  demoAsOf?: CalendarDate;
  schedule?: ScheduleConfig;
  /**
   * MaxConcurrency of the DunningRun Map (default MAX_CONCURRENCY, as deployed by default; 1–200, as
   * `claimflow:maxConcurrency` accepts). The same definition, built with this setting.
   */
  maxConcurrency?: number;
  /** Start the local scheduler (default true). */
  scheduler?: boolean;
  settings?: Partial<AppSettings>;
  faults?: Faults;
  /** Clock of the stores (lease expiry in fault-injection tests). */
  now?: () => Date;
  /** Wrap the mailer (fault injection in tests). */
  wrapMailer?: (m: Mailer) => Mailer;
  /** Wrap the document store (fault injection in tests). */
  wrapDocuments?: (d: DocumentStore) => DocumentStore;
  log?: (line: string) => void;
  onRunFinished?: (r: LocalRunResult) => void;
  /**
   * Worker threads for the per-customer step (the local Distributed Map fan-out; customer-pool.ts).
   * 0 (default): in the main thread. Not with faults, now or wrapMailer (functions stay in this thread).
   */
  customerThreads?: number;
  /** Lifetime of a web console session (default 8 h; tests shorten it). */
  consoleSessionSeconds?: number;
  /** Told of every child/resource as soon as it starts (the supervisor stops them on Ctrl-C). */
  register?: (name: string, stop: () => Promise<void> | void) => void;
}

export interface LocalRunResult {
  executionName: string;
  status: 'SUCCEEDED' | 'FAILED' | 'ALREADY_STARTED';
  summary?: RunSummary;
  error?: { Error: string; Cause: unknown };
  /** This run continued an execution of the same name whose process had died (a crash). */
  resumed?: boolean;
  /** ALREADY_STARTED: the execution is running now in this process. */
  runningIn?: { pid: number; host: string };
  visits: StateVisit[];
}

export interface LocalStack {
  /** Business metrics counted by the runs and the webhooks (in Lambda they go to CloudWatch). */
  metrics: RecordingMetrics;
  urls: { console: string; webhook: string; inbox: string; http: string; dynamo: string; outbox: string };
  /** Worker threads running the per-customer step (0: the main thread). */
  customerThreads: number;
  /** DynamoDB requests made in the worker threads, by command (the bench's count covers the main thread). */
  workerRequests(): Record<string, number>;
  /** Child process ids: DynamoDB Local's JVM and local SES. */
  pids: { dynamo: number; ses: number };
  app: Composed;
  doc: DynamoDBDocumentClient;
  tableName: string;
  ses: LocalSes;
  settings: AppSettings;
  webhookConfig: WebhookConfig;
  runDunning(req: { runDate?: CalendarDate; scheduledTime?: string; dryRun?: boolean; rerun?: string }): Promise<LocalRunResult>;
  stop(): Promise<void>;
  demoLoaded: boolean;
  nextScheduledRun(): Date | null;
  /** The web console's local sign-in (users, sessions). */
  consoleAuth: LocalAuth;
  /** Builds and emails the weekly management summary for a date (the scheduler does it on its cron). */
  sendWeeklySummary: LocalWeeklySummary['send'];
  /** Writes the day's report snapshot (the scheduler does it nightly on the same cron as AWS). */
  writeDailySnapshot: LocalWeeklySummary['snapshot'];
  /** Back-fills past days' snapshots (the Lambda's {"snapshot": true, "from", "to"} event). */
  backfillSnapshots: LocalWeeklySummary['backfill'];
}

export const TABLE_NAME = 'claimflow-local';

/** The local DunningRun's MaxConcurrency: the deployed default, or a setting in the range the CDK app accepts; refused at start, naming it. */
export function localMaxConcurrency(value: number | undefined): number {
  const n = value ?? MAX_CONCURRENCY;
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY_LIMIT) throw new ConfigError(`maxConcurrency must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT} (got ${value})`);
  return n;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const maxConcurrency = localMaxConcurrency(opts.maxConcurrency);
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const stops: (() => Promise<void> | void)[] = [];
  const track = (name: string, stop: () => Promise<void> | void) => {
    stops.push(stop);
    opts.register?.(name, stop);
  };
  const stopAll = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch {
        /* keep stopping the rest */
      }
    }
    stops.length = 0;
  };
  try {
    await assertPortFree(opts.httpPort, 'claimflow HTTP server');
    const dbDir = path.join(opts.dataDir, 'dynamodb');
    if (!opts.inMemory) await mkdir(dbDir, { recursive: true });
    const bind = opts.bind ?? '127.0.0.1';
    const dynamo: LocalDynamo = await startDynamoLocal({ port: opts.dynamoPort, bind, ...(opts.inMemory ? {} : { path: dbDir }) });
    track('DynamoDB Local (java)', () => dynamo.stop());
    // The send journal outlives the local SES process: after a crash it says which letters were accepted.
    const sesJournal = path.join(opts.dataDir, 'ses', 'send-journal.jsonl');
    const ses = await startLocalSes({ port: opts.sesPort, bind, journal: sesJournal });
    track('local SES', () => ses.stop());

    const client = localDynamoClient(dynamo.endpoint);
    await ensureTable(client, TABLE_NAME);
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    // Profiles of a database made before the console's search index get their entry (once; then one GetItem).
    await backfillSearchIndex(doc, TABLE_NAME);

    const outboxDir = path.join(opts.dataDir, 'outbox');
    const settings: AppSettings = {
      timeZone: opts.schedule?.timeZone ?? DEFAULT_SCHEDULE.timeZone,
      fromAddress: 'collections@claimflow.local',
      digestRecipients: ['collections-team@claimflow.local'],
      legalTeam: ['legal@claimflow.local'],
      company: DEFAULT_COMPANY,
      policyName: 'wholesale',
      envelope: 'DL',
      ...opts.settings,
      credit: localCreditSettings(process.env, opts.settings?.credit),
    };
    const sesMailer = createSesMailer({ client: localSesClient(ses.endpoint), from: settings.fromAddress });
    // The .eml written is the exact MIME handed to SES (no read-back from the local SES store per email).
    const outboxMailer = createOutboxMailer(sesMailer, { dir: outboxDir, defaultFrom: settings.fromAddress });
    const mailer = opts.wrapMailer ? opts.wrapMailer(outboxMailer) : outboxMailer;
    const fsDocuments = createFsDocumentStore(path.join(outboxDir, 'documents'));
    const documents = opts.wrapDocuments ? opts.wrapDocuments(fsDocuments) : fsDocuments;
    const deadLetters = createMemoryDeadLetters((line) => log(`dead letter: ${line}`));
    // The ClaimCase workflow runs in-process too: it waits for the lawyer's approval (CLI or API), then
    // builds the litigation package. The execution name is claimed in the table like the run's.
    const approvalHub = new LocalApprovalHub();
    const waits = new AbortController();
    setMaxListeners(0, waits.signal); // one listener per case waiting for a lawyer
    track('claim-case waits', () => waits.abort());
    let composed: Composed | undefined;
    const claimAsl = localClaimCaseAsl();
    const runClaimFlow = (name: string, input: { caseId: string; customerId: string; round: number }) => {
      const claims = composed!.claims;
      void executeLocally({
        asl: claimAsl as never,
        arns: localClaimCaseResources(),
        // Approvals through this stack's API release the wait at once (hub); the slow poll only catches an approval
        // written by another process straight into the table.
        handlers: claimCaseLocalHandlers(claims, { hub: approvalHub, pollMs: 600_000, signal: waits.signal }) as never,
        input,
        executionName: name,
      }).then((r) =>
        log(
          r.status === 'SUCCEEDED'
            ? `claim case ${input.caseId}: ${String((r.visits.at(-1) ?? { name: 'done' }).name)}`
            : waits.signal.aborted
              ? `claim case ${input.caseId}: still waiting for the legal team's approval; the wait resumes when the local stack starts again`
              : `claim case ${input.caseId}: ${r.status} ${r.error?.Error ?? ''}`,
        ),
      );
    };
    const claimFlow: CaseFlowStarter = {
      async start(name, input) {
        try {
          await doc.send(
            new PutCommand({ TableName: TABLE_NAME, Item: { PK: `EXECUTION#${name}`, SK: 'EXECUTION', name, input }, ConditionExpression: 'attribute_not_exists(PK)' }),
          );
        } catch (err) {
          if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return 'exists';
          throw err;
        }
        runClaimFlow(name, input);
        return { executionArn: `arn:aws:states:local:000000000000:execution:ClaimCase:${name}` };
      },
    };
    const metrics = new RecordingMetrics();
    composed = compose(
      {
        metrics,
        doc,
        tableName: TABLE_NAME,
        mailer,
        documents,
        deadLetters,
        claimFlow,
        approval: approvalHub,
        sendEvidence: journalEvidence(sesJournal),
        ...(opts.faults ? { faults: opts.faults } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      },
      settings,
    );
    const app = composed;
    // Credit control's delivery and sweep schedules run with the local scheduler (not in tests and benches that turn it off).
    track('credit control', startCreditTimers(app, { log, schedules: opts.scheduler !== false }));
    let pool: CustomerPool | undefined;
    const threads = opts.customerThreads ?? 0;
    if (threads > 0) {
      const hooks = (['faults', 'now', 'wrapMailer', 'wrapDocuments'] as const).filter((k) => opts[k]);
      if (hooks.length) throw new Error(`customerThreads cannot be combined with ${hooks.join(', ')} (functions cannot be passed to worker threads)`);
      pool = startCustomerPool({
        threads,
        maxConcurrency,
        config: {
          dynamoEndpoint: dynamo.endpoint,
          sesEndpoint: ses.endpoint,
          tableName: TABLE_NAME,
          outboxDir,
          sesJournal,
          documentsDir: path.join(outboxDir, 'documents'),
          settings,
        },
        startFlow: (s) => claimFlow.start(s.name, s.input),
      });
      const p = pool;
      track('customer worker threads', () => p.stop());
    }
    const steps = pool ? { ...runSteps(app), processCustomer: pool.processCustomer } : runSteps(app);
    const asl = dunningRunAsl(LOCAL_FUNCTION_ARNS, { maxConcurrency });

    const secrets = localWebhookSecrets(opts.env ?? process.env);
    const webhookConfig = defaultWebhookConfig({
      // The built-in local secrets plus BILLING_/STRIPE_WEBHOOK_SECRETS and CLOUDPAYMENTS_API_SECRETS (secrets.ts).
      billingSecrets: secrets.billing,
      stripeSecrets: secrets.stripe,
      cloudpaymentsSecrets: secrets.cloudpayments,
      // Locally YooKassa notifications are also accepted from this machine (documented in docs/webhooks.md).
      yookassaAllowedCidrs: [...defaultWebhookConfig().yookassaAllowedCidrs, ...LOCAL_YOOKASSA_LOOPBACK],
      timeZone: settings.timeZone,
    });
    const webhookLogger = new Logger({ serviceName: 'claimflow-local', logLevel: (process.env.LOG_LEVEL ?? 'WARN') as never });
    const webhookDeps: WebhookDeps = {
      ledger: app.ledger,
      archive: new FsArchive({ dir: path.join(opts.dataDir, 'archive'), macKey: await localArchiveKey(opts.dataDir) }),
      deadLetters,
      config: webhookConfig,
      now: () => new Date(),
      logger: webhookLogger as unknown as WebhookDeps['logger'],
      metrics,
    };

    // The local RunStarter: the execution name is claimed in the table, so a second trigger for the
    // same date cannot start a second run (as Step Functions refuses a duplicate execution name).
    const results = new Map<string, LocalRunResult>();
    const claims = new Map<string, ExecutionClaim>();
    const starter: RunStarter = {
      async start(name, input) {
        const claim = await claimLocalExecution({ doc, tableName: TABLE_NAME }, name, input);
        claims.set(name, claim);
        if (claim.kind === 'finished' || claim.kind === 'running') return 'exists';
        if (claim.kind === 'resume') log(`continuing the interrupted execution ${name} (its process ${claim.previousPid} is gone)`);
        const exec = await executeLocally({
          asl: asl as never,
          arns: LOCAL_FUNCTION_ARNS,
          handlers: steps as never,
          input,
          executionName: name,
        });
        await recordExecution({ doc, tableName: TABLE_NAME }, name, exec);
        results.set(name, {
          executionName: name,
          status: exec.status,
          ...(exec.output ? { summary: exec.output as RunSummary } : {}),
          ...(exec.error ? { error: exec.error } : {}),
          ...(claim.kind === 'resume' ? { resumed: true } : {}),
          visits: exec.visits,
        });
        return { executionArn: `arn:aws:states:local:000000000000:execution:DunningRun:${name}` };
      },
    };
    const runDunning: LocalStack['runDunning'] = async (req) => {
      const started = await startRun({ starter, timeZone: settings.timeZone, now: () => new Date() }, req);
      let result: LocalRunResult;
      const claim = claims.get(started.executionName);
      claims.delete(started.executionName);
      if (started.status === 'already-started') {
        // Same as Step Functions refusing a duplicate execution name: no second run; show the first one's record.
        const earlier = await app.dunning.getRun(started.runDate);
        result = {
          executionName: started.executionName,
          status: 'ALREADY_STARTED',
          ...(earlier && earlier.executionName === started.executionName ? { summary: earlier as unknown as RunSummary } : {}),
          ...(claim?.kind === 'running' ? { runningIn: { pid: claim.pid, host: claim.host } } : {}),
          visits: [],
        };
      } else result = results.get(started.executionName) ?? { executionName: started.executionName, status: 'FAILED', visits: [] };
      results.delete(started.executionName);
      opts.onRunFinished?.(result);
      return result;
    };

    // The local scheduler runs the croner form of the schedule the stack synthesizes (workflows/schedule.ts).
    const schedule = opts.schedule ?? DEFAULT_SCHEDULE;
    let scheduler: LocalScheduler | undefined;
    if (opts.scheduler !== false) {
      scheduler = startLocalScheduler({
        pattern: cronerPattern(dunningCron(schedule)),
        timeZone: schedule.timeZone,
        onTick: async (scheduledTime) => {
          await runDunning({ scheduledTime: scheduledTime.toISOString() });
        },
      });
      track('local scheduler', () => scheduler?.stop());
    }

    // The weekly management summary: its own cron (default Monday 08:00), the same use case as the Lambda.
    const weekly = localWeeklySummary(app, { doc, tableName: TABLE_NAME, timeZone: schedule.timeZone, env: opts.env ?? process.env, schedule: opts.scheduler !== false, log });
    if (weekly.scheduler) track('weekly summary scheduler', () => weekly.scheduler?.stop());
    if (weekly.snapshotScheduler) track('daily snapshot scheduler', () => weekly.snapshotScheduler?.stop());

    // Demo ledger into an empty database.
    let demoLoaded = false;
    if (opts.demo) {
      const any = await doc.send(new ScanCommand({ TableName: TABLE_NAME, Limit: 1 }));
      if (!any.Items?.length) {
        const next = scheduler?.next();
        const anchor = opts.demoAsOf ?? (next ? dateInZone(next, schedule.timeZone) : dateInZone(new Date(), schedule.timeZone));
        for (const [id, profile] of Object.entries(DEMO_CREDIT_PROFILES)) await app.credit.store.putProfile(id, profile);
        for (const cmd of [...demoLedger(anchor), ...demoCreditHistory(anchor)]) {
          await app.ledger.apply(cmd, { source: 'demo', eventId: `${DEMO_MARK}${anchor}:${entryKey(cmd)}`, receivedAt: new Date().toISOString() });
        }
        for (const l of demoSentLetters(anchor)) {
          const rec = { ...l, owner: 'demo', invoiceSetHash: 'demo' };
          await app.dunning.reserveLetter(rec, { status: 'sending' });
          await app.dunning.markSent(rec, {});
        }
        await app.credit.refresher.idle();
        await doc.send(new PutCommand({ TableName: TABLE_NAME, Item: { PK: 'CONFIG', SK: 'DEMO', anchor, note: 'demo ledger loaded' } }));
        demoLoaded = true;
      }
    }
    // Summaries of a database made before the balance index get their entry (once; then one GetItem): aging reads the debtors only after it.
    await backfillBalanceIndex(doc, TABLE_NAME);

    // Claim cases whose workflow was waiting when the stack last stopped (or approved meanwhile): their
    // ClaimCase execution continues under its name (in the cloud it would simply still be running).
    for (const status of ['awaiting-approval', 'approved'] as const) {
      for (const c of await listCases(app.claims, { status })) {
        if (!c.approvalRequest) continue;
        runClaimFlow(flowExecutionName(c), { caseId: c.caseId, customerId: c.customerId, round: c.approvalRequest.round });
        log(`claim case ${c.caseId}: ${status === 'approved' ? 'approved while stopped; building the litigation package' : "waiting for the legal team's approval again"}`);
      }
    }

    const operator = operatorDeps(app, {
      doc,
      tableName: TABLE_NAME,
      timeZone: settings.timeZone,
      company: companyInfo(settings.company),
      runs: {
        launch: async (req) => {
          const r = await runDunning(req);
          return {
            executionName: r.executionName,
            status: r.status,
            ...(r.summary ? { summary: r.summary } : {}),
            ...(r.error ? { error: r.error } : {}),
            ...(r.resumed ? { resumed: true } : {}),
          };
        },
      },
      replay: { archive: webhookDeps.archive as FsArchive, config: webhookConfig, deadLetters },
      logger: webhookLogger as unknown as WebhookDeps['logger'],
      reportSyncBudgetMs: localReportSyncBudgetMs(opts.env ?? process.env),
    });
    const consoleAuth = createLocalAuth({ users: await loadConsoleUsers(opts.dataDir), ...(opts.consoleSessionSeconds ? { ttlSeconds: opts.consoleSessionSeconds } : {}) });
    const web = consoleHttp(consoleAuth);
    const server = await startHttp(opts.httpPort, webhookDeps, runDunning, log, operator, bind, web);
    track(
      'HTTP server',
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections?.();
          server.close(() => r());
        }),
    );

    const http = `http://127.0.0.1:${opts.httpPort}`;
    return {
      metrics,
      customerThreads: threads,
      workerRequests: () => pool?.requests() ?? {},
      pids: { dynamo: dynamo.pid, ses: ses.pid },
      urls: { console: `${http}/`, http, webhook: `${http}/webhooks/billing`, inbox: ses.inboxUrl, dynamo: dynamo.endpoint, outbox: outboxDir },
      app,
      doc,
      tableName: TABLE_NAME,
      ses,
      settings,
      webhookConfig,
      runDunning,
      stop: stopAll,
      demoLoaded,
      nextScheduledRun: () => scheduler?.next() ?? null,
      consoleAuth,
      sendWeeklySummary: weekly.send,
      writeDailySnapshot: weekly.snapshot,
      backfillSnapshots: weekly.backfill,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = JSON_HEADERS) {
  res.writeHead(status, headers);
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function startHttp(
  port: number,
  webhookDeps: WebhookDeps,
  runDunning: LocalStack['runDunning'],
  log: (l: string) => void,
  operator: OperatorRouterDeps,
  bind: string,
  web: ConsoleHttp,
): Promise<Server> {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
      if (url.pathname.startsWith('/webhooks/')) {
        // Taken before the body is read: the socket may be gone once it has been.
        const sourceIp = req.socket.remoteAddress;
        // Read a little past the limit so handleWebhook answers 413 itself.
        const body = await readBody(req, webhookDeps.config.maxBodyBytes + 1);
        const raw = body === 'too-large' ? Buffer.alloc(webhookDeps.config.maxBodyBytes + 1) : body;
        const out = await handleWebhook(webhookDeps, {
          path: url.pathname,
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
          rawBody: raw,
          ...(sourceIp ? { sourceIp } : {}),
        });
        return send(res, out.statusCode, out.body, { ...out.headers, ...closeIfUndrained(req) });
      }
      if (await serveCreditApi(operator.credit as ComposedCredit, req, res, url)) return;
      if (url.pathname.startsWith('/operator/')) {
        const identity = web.identityOf(req);
        if (identity === 'expired' || identity === 'invalid') return send(res, 401, unauthenticated(identity));
        return await serveOperator(operator, req, res, undefined, identity);
      }
      if (req.method === 'POST' && url.pathname === '/runs') {
        const body = await readBody(req, 64 * 1024);
        if (body === 'too-large')
          return send(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'body exceeds 65536 bytes' } }, { ...JSON_HEADERS, ...closeIfUndrained(req) });
        const r = await runDunning(parseStartRunRequest(body));
        log(`run ${r.executionName}: ${r.status}`);
        return send(res, r.status === 'FAILED' ? 500 : 200, { executionName: r.executionName, status: r.status, summary: r.summary, error: r.error, resumed: r.resumed });
      }
      if (await web.handle(req, res, url)) return;
      return send(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } });
    } catch (err) {
      // Bad input (ValidationError …) is its 4xx; only the unexpected is a 500.
      const { status, body } = errorBody(err);
      if (status >= 500) log(`http error: ${(err as Error).message}`);
      if (res.headersSent) return res.destroy();
      return send(res, status, body, { ...JSON_HEADERS, ...closeIfUndrained(req) });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => resolve(server));
  });
}
