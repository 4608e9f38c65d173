/**
 * Composition root: wires use cases to adapters. Each Lambda handler calls its compose…Lambda function
 * (at the end of this file) once per container with its validated configuration (functions/config.ts)
 * and the container's AWS clients (functions/adapters/aws-clients.ts); the local stack calls compose()
 * and operatorDeps() with local endpoints and folders. Same wiring, two runtimes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoLedger, type CustomerFile } from './compose-ledger.js';
import { DynamoDunningStore, LEASE_MS } from './dynamo-dunning.js';
import { foldLedger, type LedgerState } from '../domain/ledger/fold.js';
import { PRESETS, parsePolicyConfig, resolvePolicy, type PolicyConfig } from '../domain/policy/index.js';
import { penaltyParagraph, renderEmail, renderLetterPdf, renderPrintBatch } from '../letters/index.js';
import { DEFAULT_COMPANY, type Company, type FunctionConfig } from '../config.js';
import type { DeadLetters, DocumentStore, Logger, Mailer } from '../ports/index.js';
import type { Faults, SendEvidence } from '../ports/dunning.js';
import { sesEventEvidence } from './ses-send-evidence.js';
import type { ApprovalSignal, CaseFlowStarter } from '../ports/claims.js';
import type { ProcessCustomerDeps } from '../app/process-customer.js';
import type { FinishDeps } from '../app/summarize-run.js';
import { defaultRules, type RuleData } from '../domain/penalties/index.js';
import { penaltyForInvoices } from '../domain/penalties/for-invoices.js';
import type { CalendarDate } from '../domain/dates.js';
import { ConfigError } from '../domain/errors.js';
import type { AwsClients } from './aws-clients.js';
import { createS3DocumentStore } from './s3-documents.js';
import { createS3ObjectReader } from './s3-objects.js';
import { createSesMailer } from './ses-mailer.js';
import { createSfnApprovalSignal } from './sfn-approval.js';
import { createSfnStarter } from './sfn-starter.js';
import { createLambdaPackageWorker } from './lambda-package-worker.js';
import { createLambdaReportWorker } from './lambda-job-worker.js';
import { DynamoPackageJobs } from './dynamo-package-jobs.js';
import { createSqsDeadLetters } from './sqs-dead-letters.js';
import { createSecretSource } from './webhook-secrets.js';
import { loadRulesParameter } from './rules-loader.js';
import { S3Archive } from './s3-archive.js';
import { DynamoBankDirectory } from './dynamo-bank-directory.js';
import { configureTemplatesDir } from '../letters/index.js';
import { defaultWebhookConfig, webhookConfigFrom, withSecrets, type WebhookConfig } from '../ingest/config.js';
import type { WebhookDeps } from '../ingest/http.js';
import type { BankImportDeps } from '../ingest/bank-import.js';
import type { IngestLogger } from '../ports/ingest.js';
import { startRun } from '../app/start-run.js';
import { companyInfo, operatorDeps } from './compose-operator.js';
import { stepFunctionsExecutionUrl } from '../operator/identity.js';
import { parseReportsConfig } from '../domain/reports/config.js';
import type { OperatorRouterDeps } from '../operator/router.js';
import { openCaseIn } from './dynamo-claims.js';
import { composeClaims } from './compose-claims.js';
import { onStageReached } from '../app/claims.js';
import { composeCredit, type CreditSettings } from './compose-credit.js';
import { composeCreditFor, creditSettingsFrom } from './compose-credit-aws.js';
export { composeCreditApiLambda, composeCreditJobsLambda } from './compose-credit-aws.js';
import type { BusinessMetrics } from '../ports/metrics.js';
import { DynamoAuditLog } from './dynamo-audit.js';

export interface Infra {
  doc: DynamoDBDocumentClient;
  tableName: string;
  mailer: Mailer;
  documents: DocumentStore;
  deadLetters?: DeadLetters;
  now?: () => Date;
  faults?: Faults;
  /** Whether the mail service accepted an interrupted letter (default: SES send events on the letter record). */
  sendEvidence?: SendEvidence;
  /** Claim-case workflow starter and approval signal (cloud: Step Functions; local: in-process). */
  claimFlow?: CaseFlowStarter;
  approval?: ApprovalSignal;
  /** Business metrics (Lambda: Powertools Metrics; local: a recorder; absent: not counted). */
  metrics?: BusinessMetrics;
}

export interface AppSettings {
  timeZone: string;
  fromAddress: string;
  digestRecipients: string[];
  legalTeam: string[];
  company: Company;
  policyName: 'wholesale' | 'housing';
  envelope: 'DL' | 'C5';
  /** Segment and customer overrides (validated). */
  policyConfig?: PolicyConfig;
  /** Key rates, moratoria, caps (default: the embedded data; extended by rules-loader). */
  rules?: RuleData;
  /** Credit control: policy, hold start, event webhooks, machine secrets, roles (functions/adapters/compose-credit.ts). */
  credit?: CreditSettings;
}

/** The preset plus segment and customer overrides, validated (a bad override names its field). */
export function policyConfigFor(preset: 'wholesale' | 'housing', overrides: { segments?: unknown; customers?: unknown } = {}): PolicyConfig {
  try {
    return parsePolicyConfig({ base: PRESETS[preset], segments: overrides.segments ?? {}, customers: overrides.customers ?? {} });
  } catch (err) {
    throw new ConfigError(`invalid configuration: DUNNING_POLICY_OVERRIDES: ${(err as Error).message}`, { cause: err });
  }
}

export function compose(infra: Infra, settings: AppSettings) {
  const ledger = new DynamoLedger({ doc: infra.doc, tableName: infra.tableName, timeZone: settings.timeZone, ...(infra.now ? { now: infra.now } : {}) });
  const dunning = new DynamoDunningStore({ doc: infra.doc, tableName: infra.tableName, ...(infra.now ? { now: infra.now } : {}) });
  const policies = settings.policyConfig ?? policyConfigFor(settings.policyName);
  const base = policies.base;
  const rules = settings.rules ?? defaultRules();
  // How far before the due date the first stage starts (reminder: 7 days before due in wholesale), over
  // the preset and every segment and customer override, so no customer's earlier window is missed.
  const effective = [
    base,
    ...Object.keys(policies.segments).map((segment) => resolvePolicy(policies, { customerId: '', segment }).policy),
    ...Object.keys(policies.customers).map((customerId) => resolvePolicy(policies, { customerId }).policy),
  ];
  const lookAheadDays = Math.max(
    0,
    ...effective.flatMap((p) =>
      Object.values(p.stages)
        .filter((s) => s?.enabled)
        .map((s) => -s!.window.from),
    ),
  );
  const claims = composeClaims({
    doc: infra.doc,
    tableName: infra.tableName,
    documents: infra.documents,
    company: { name: settings.company.name, taxId: settings.company.inn },
    timeZone: settings.timeZone,
    rules,
    ...(infra.now ? { now: infra.now } : {}),
    ...(infra.approval ? { approval: infra.approval } : {}),
    ...(infra.claimFlow ? { flow: infra.claimFlow } : {}),
  });
  // One Query per customer (DynamoLedger.customerFile); its folded ledger is computed at most once and
  // serves the penalty paragraphs and the claim case.
  const folded = new WeakMap<CustomerFile, LedgerState>();
  const stateOf = (f: CustomerFile) => {
    let st = folded.get(f);
    if (!st) {
      st = foldLedger(f.entries.map((e) => e.command));
      folded.set(f, st);
    }
    return st;
  };
  const fileOf = (context: unknown) => (context && typeof context === 'object' && 'entries' in context ? (context as CustomerFile) : undefined);
  const processDeps: ProcessCustomerDeps = {
    snapshot: async (customerId) => {
      const f = await ledger.customerFile(customerId);
      return {
        ...(f.profile ? { profile: f.profile } : {}),
        openInvoices: f.openInvoices,
        stageHistory: f.stageHistory,
        pauses: f.pauses,
        ...(f.lastLetterDate ? { lastLetterDate: f.lastLetterDate } : {}),
        version: f.version,
        context: f,
      };
    },
    ledgerVersion: (customerId) => ledger.ledgerVersion(customerId),
    onStageReached: (input) => {
      const f = fileOf(input.context);
      const openCase = f ? openCaseIn(f.items) : undefined;
      return onStageReached(claims, {
        ...input,
        ...(f ? { known: { ...(f.profile ? { profile: f.profile } : {}), state: stateOf(f), ...(openCase !== undefined ? { openCase } : {}) } } : {}),
      });
    },
    reader: ledger,
    dunning,
    mailer: infra.mailer,
    documents: infra.documents,
    renderer: { renderEmail: (l, o) => renderEmail(l, { ...o, copy: l.stage === 'warning' || l.stage === 'claim' }), renderLetterPdf: (l, c) => renderLetterPdf(l, c) },
    policies,
    company: settings.company,
    fromAddress: settings.fromAddress,
    legalTeam: settings.legalTeam.length ? settings.legalTeam : settings.digestRecipients,
    // Warning and claim letters state the penalty accrued to the run date and its basis.
    penaltyFor: async (customerId, invoices, runDate: CalendarDate, context) => {
      const f = fileOf(context);
      const p = penaltyForInvoices(
        f ? stateOf(f) : await ledger.ledgerState(customerId),
        invoices.map((i) => i.invoiceId),
        runDate,
        rules,
      );
      return p ? penaltyParagraph(p, runDate) : undefined;
    },
    ...(infra.faults ? { faults: infra.faults } : {}),
    // What warning and claim letters say about shipments: credit control's hold dates (set below).
    shipmentNoticeFor: async (customerId, stage, invoiceIds, runDate, context) =>
      credit.noticeFor(fileOf(context) ?? (await ledger.customerFile(customerId)), stage, invoiceIds, runDate),
    // Interrupted sends settle themselves: from SES send events (cloud), from the local SES journal (local stack).
    sendEvidence: infra.sendEvidence ?? sesEventEvidence({ leaseMs: LEASE_MS }),
    ...(infra.now ? { now: infra.now } : {}),
  };
  const finishDeps: FinishDeps = {
    runs: dunning,
    documents: infra.documents,
    mailer: infra.mailer,
    renderPrintBatch: (letters, company, o) => renderPrintBatch(letters, company, o),
    company: settings.company,
    fromAddress: settings.fromAddress,
    digestRecipients: settings.digestRecipients,
    envelope: settings.envelope,
    policy: `${base.name}@${base.version}`,
    ...(infra.metrics ? { metrics: infra.metrics } : {}),
  };
  const credit = composeCredit({
    doc: infra.doc,
    tableName: infra.tableName,
    ledger,
    dunning: dunning as never,
    timeZone: settings.timeZone,
    dunningPolicy: base,
    audit: new DynamoAuditLog({ doc: infra.doc, tableName: infra.tableName }),
    ...(infra.now ? { now: infra.now } : {}),
    ...(settings.credit ? { settings: settings.credit } : {}),
  });
  return { ledger, dunning, policies, lookAheadDays, processDeps, finishDeps, rules, claims, credit };
}
export type Composed = ReturnType<typeof compose>;

// ------------------------------------------------------------------------------------------------
// Lambda wiring: each function's validated configuration (functions/config.ts) and the container's
// AWS clients (functions/adapters/aws-clients.ts) → the deps of its use case. The handlers only call
// these; the local stack calls compose()/operatorDeps() with local adapters.

/** A port whose function is not configured for it: using it is a wiring error that names the setting. */
export function unconfigured<T extends object>(setting: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) => {
      if (prop === 'then') return undefined;
      return () => {
        throw new ConfigError(`invalid configuration: ${setting} is not set for this function`);
      };
    },
  });
}

/** AppSettings from a function's configuration; parts the function does not read take their defaults. */
export function settingsFor(cfg: Partial<FunctionConfig<'processCustomer'> & FunctionConfig<'summarizeRun'>>, rules?: RuleData): AppSettings {
  return {
    timeZone: cfg.COMPANY_TIME_ZONE ?? 'Europe/Moscow',
    fromAddress: cfg.SES_FROM_ADDRESS ?? 'collections@example.com',
    digestRecipients: cfg.DIGEST_RECIPIENTS ?? [],
    legalTeam: cfg.LEGAL_TEAM_RECIPIENTS ?? [],
    company: cfg.COMPANY_REQUISITES ?? DEFAULT_COMPANY,
    policyName: cfg.DUNNING_POLICY ?? 'wholesale',
    envelope: cfg.ENVELOPE_FORMAT ?? 'DL',
    ...(cfg.DUNNING_POLICY_OVERRIDES ? { policyConfig: policyConfigFor(cfg.DUNNING_POLICY ?? 'wholesale', cfg.DUNNING_POLICY_OVERRIDES) } : {}),
    ...(rules ? { rules } : {}),
    // Credit control in Lambda: snapshots refreshed inline, events delivered by the credit-jobs schedule.
    credit: creditSettingsFrom(cfg),
  };
}

/** Rule data: the embedded tables, extended by the JSON document in the SSM parameter (if configured). */
export async function rulesFor(cfg: { RULES_PARAMETER_NAME?: string | undefined }, clients: Pick<AwsClients, 'ssm'>): Promise<RuleData | undefined> {
  if (!cfg.RULES_PARAMETER_NAME) return undefined;
  return loadRulesParameter(clients.ssm, cfg.RULES_PARAMETER_NAME);
}

function claimFlowStarter(sfn: AwsClients['sfn'], arn: string): CaseFlowStarter {
  const starter = createSfnStarter(arn, sfn);
  return { start: (name, input) => starter.start(name, { ...input }) };
}

/** The DunningRun steps (find-debtors, process-customer, summarize-run) and ses-feedback. */
export async function composeRunLambda(
  cfg: Partial<FunctionConfig<'processCustomer'> & FunctionConfig<'summarizeRun'>> & { TABLE_NAME: string },
  clients: AwsClients,
  metrics?: BusinessMetrics,
): Promise<Composed> {
  if (cfg.CLAIMFLOW_TEMPLATES_DIR) configureTemplatesDir(cfg.CLAIMFLOW_TEMPLATES_DIR);
  const rules = await rulesFor(cfg, clients);
  return compose(
    {
      doc: clients.doc,
      tableName: cfg.TABLE_NAME,
      documents: cfg.BUCKET_NAME ? createS3DocumentStore(cfg.BUCKET_NAME, clients.s3) : unconfigured<DocumentStore>('BUCKET_NAME'),
      mailer:
        cfg.SES_FROM_ADDRESS && cfg.SES_CONFIGURATION_SET
          ? createSesMailer({ client: clients.ses, from: cfg.SES_FROM_ADDRESS, configurationSet: cfg.SES_CONFIGURATION_SET })
          : unconfigured<Mailer>('SES_FROM_ADDRESS'),
      ...(cfg.CLAIM_CASE_STATE_MACHINE_ARN ? { claimFlow: claimFlowStarter(clients.sfn, cfg.CLAIM_CASE_STATE_MACHINE_ARN) } : {}),
      ...(metrics ? { metrics } : {}),
    },
    settingsFor(cfg, rules),
  );
}

/** start-run: the DunningRun starter. */
export function composeStartRunLambda(cfg: FunctionConfig<'startRun'>, clients: AwsClients) {
  return { starter: createSfnStarter(cfg.STATE_MACHINE_ARN, clients.sfn), timeZone: cfg.COMPANY_TIME_ZONE, now: () => new Date() };
}

/** webhook: the ledger, the archive, the DLQ and its config with the signing secrets (re-read after the TTL). */
export function composeWebhookLambda(cfg: FunctionConfig<'webhook'>, clients: AwsClients, logger: IngestLogger, metrics?: BusinessMetrics): () => Promise<WebhookDeps> {
  const base = webhookConfigFrom(cfg);
  const secrets = cfg.WEBHOOK_SECRETS_ARN ? createSecretSource(clients.secrets, cfg.WEBHOOK_SECRETS_ARN, cfg.WEBHOOK_SECRETS_TTL_SECONDS) : undefined;
  let merged: { text: string; config: WebhookConfig } | undefined;
  const ledger = new DynamoLedger({ doc: clients.doc, tableName: cfg.TABLE_NAME, timeZone: cfg.COMPANY_TIME_ZONE });
  // Every ledger write refreshes the customer's credit snapshot before the webhook answers.
  composeCreditFor(cfg, clients, ledger);
  const fixed = {
    ledger,
    archive: new S3Archive({ bucket: cfg.BUCKET_NAME, prefix: cfg.ARCHIVE_PREFIX, s3: clients.s3 }),
    deadLetters: createSqsDeadLetters(cfg.DLQ_URL, clients.sqs),
    ...(metrics ? { metrics } : {}),
    logger,
    now: () => new Date(),
  };
  const config = async (): Promise<WebhookConfig> => {
    if (!secrets) return base;
    // The secret document is parsed once per value (not per request): re-parsed only when the TTL read returns a new one.
    const text = await secrets.current();
    if (merged?.text !== text) merged = { text, config: withSecrets(base, text) };
    return merged.config;
  };
  return async () => ({ ...fixed, config: await config() });
}

/** bank-import: the statement reader and the import use case's deps. */
export function composeBankImportLambda(cfg: FunctionConfig<'bankImport'>, clients: AwsClients, logger: IngestLogger) {
  const ledger = new DynamoLedger({ doc: clients.doc, tableName: cfg.TABLE_NAME, timeZone: cfg.COMPANY_TIME_ZONE });
  // A payment from a statement refreshes the customer's credit snapshot (a hold may end).
  composeCreditFor(cfg, clients, ledger);
  return {
    objects: createS3ObjectReader(clients.s3),
    /** One directory per file: it caches the tax-id lookups for the length of one import. */
    deps: (): BankImportDeps => {
      const directory = new DynamoBankDirectory({ doc: clients.doc, tableName: cfg.TABLE_NAME });
      return { ledger, directory, review: directory, config: { companyAccounts: cfg.COMPANY_ACCOUNTS }, now: () => new Date(), logger };
    },
  };
}

/** claim-case: the three ClaimCase steps' deps. */
export async function composeClaimCaseLambda(cfg: FunctionConfig<'claimCase'>, clients: AwsClients, logger?: Logger) {
  if (cfg.CLAIMFLOW_TEMPLATES_DIR) configureTemplatesDir(cfg.CLAIMFLOW_TEMPLATES_DIR);
  const rules = await rulesFor(cfg, clients);
  const claims = composeClaims({
    doc: clients.doc,
    tableName: cfg.TABLE_NAME,
    documents: createS3DocumentStore(cfg.BUCKET_NAME, clients.s3),
    company: { name: cfg.COMPANY_REQUISITES.name, taxId: cfg.COMPANY_REQUISITES.inn },
    timeZone: cfg.COMPANY_TIME_ZONE,
    approval: createSfnApprovalSignal(clients.sfn),
    ...(rules ? { rules } : {}),
    ...(logger ? { logger } : {}),
  });
  // Operators' package builds run here (operator-api invokes this function asynchronously).
  return { ...claims, packageJobs: new DynamoPackageJobs({ doc: clients.doc, tableName: cfg.TABLE_NAME }) };
}

/** operator-api: the router's deps. */
export async function composeOperatorLambda(cfg: FunctionConfig<'operatorApi'>, clients: AwsClients, logger: IngestLogger): Promise<OperatorRouterDeps> {
  if (cfg.CLAIMFLOW_TEMPLATES_DIR) configureTemplatesDir(cfg.CLAIMFLOW_TEMPLATES_DIR);
  const rules = await rulesFor(cfg, clients);
  const app = compose(
    {
      doc: clients.doc,
      tableName: cfg.TABLE_NAME,
      documents: createS3DocumentStore(cfg.BUCKET_NAME, clients.s3),
      // Operators run dry runs only: a real run goes through the state machine.
      mailer: unconfigured<Mailer>('SES_FROM_ADDRESS'),
      approval: createSfnApprovalSignal(clients.sfn),
    },
    settingsFor(cfg, rules),
  );
  const runs = createSfnStarter(cfg.STATE_MACHINE_ARN, clients.sfn);
  return operatorDeps(app, {
    doc: clients.doc,
    tableName: cfg.TABLE_NAME,
    timeZone: cfg.COMPANY_TIME_ZONE,
    company: companyInfo(cfg.COMPANY_REQUISITES),
    logger,
    legalPrincipals: cfg.LEGAL_ROLE_PRINCIPALS,
    reportsConfig: parseReportsConfig(cfg.REPORTS_CONFIG),
    executionUrl: stepFunctionsExecutionUrl(cfg.STATE_MACHINE_ARN),
    runs: { launch: (req) => startRun({ starter: runs, timeZone: cfg.COMPANY_TIME_ZONE, now: () => new Date() }, req) },
    replay: { archive: new S3Archive({ bucket: cfg.BUCKET_NAME, prefix: cfg.ARCHIVE_PREFIX, s3: clients.s3 }), config: defaultWebhookConfig({ timeZone: cfg.COMPANY_TIME_ZONE }) },
    ...(cfg.COMPANY_ACCOUNTS.length ? { bankConfig: { companyAccounts: cfg.COMPANY_ACCOUNTS } } : {}),
    ...(rules ? { rules: async () => rules } : {}),
    ...(cfg.PACKAGE_WORKER_FUNCTION ? { packageWorker: createLambdaPackageWorker(cfg.PACKAGE_WORKER_FUNCTION, clients.lambda) } : {}),
    ...(cfg.REPORT_WORKER_FUNCTION ? { reportWorker: createLambdaReportWorker(cfg.REPORT_WORKER_FUNCTION, clients.lambda) } : {}),
    reportSyncBudgetMs: cfg.REPORT_SYNC_BUDGET_MS,
  });
}
