/**
 * Builds the operator router's deps from the composition root's output (compose()) plus the few
 * extras only operators need. Used by the Lambda (functions/handlers/operator-api.ts) and the local
 * stack's HTTP server (bin/local/stack.ts).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Composed } from './compose.js';
import { DynamoAuditLog } from './dynamo-audit.js';
import { DynamoLetterResolver, DynamoReviewReader } from './dynamo-operator.js';
import { DynamoBankDirectory } from './dynamo-bank-directory.js';
import { DynamoConsoleReads } from './dynamo-console.js';
import type { BankImportConfig } from '../ingest/bank-import.js';
import type { ArchiveReader, IngestLogger } from '../ports/ingest.js';
import type { WebhookConfig } from '../ingest/config.js';
import type { DeadLetters } from '../ports/index.js';
import type { CompanyInfo } from '../render/reconciliation-pdf.js';
import type { RuleData } from '../domain/rules/index.js';
import type { RunLauncher } from '../ports/operator.js';
import type { OperatorRouterDeps } from '../operator/router.js';
import { composeReports } from './compose-reports.js';
import { DEFAULT_REPORTS_CONFIG, type ReportsConfig } from '../domain/reports/config.js';
import type { PackageWorker } from '../ports/package-jobs.js';
import { composePackageJobs } from './compose-package-jobs.js';
import type { ReportWorker } from '../ports/report-jobs.js';
import { composeReportJobs } from './compose-report-jobs.js';

export interface OperatorExtras {
  doc: DynamoDBDocumentClient;
  tableName: string;
  timeZone: string;
  /** Company name and INN on the reconciliation statement. */
  company: CompanyInfo;
  now?: () => Date;
  /** Starts a real run (cloud: Step Functions; local: the in-process runner). Absent: POST /operator/runs without dryRun → 404. */
  runs?: RunLauncher;
  /** Payload archive reader and webhook config for replay. Absent: POST /operator/replay → 404. */
  replay?: { archive: ArchiveReader; config: WebhookConfig; deadLetters?: DeadLetters };
  bankConfig?: BankImportConfig;
  rules?: () => Promise<RuleData>;
  logger?: IngestLogger;
  /** IAM principals (ARNs or suffixes) that hold the legal role for claim-case approval. */
  legalPrincipals?: string[];
  /** Report configuration (REPORTS_CONFIG): buckets, targets, recovery window, summary schedule. */
  reportsConfig?: ReportsConfig;
  /** The Step Functions console URL of an execution (cloud); absent locally (the recorded history is shown). */
  executionUrl?: (executionName: string) => string;
  /** Builds litigation packages outside the request (cloud: the claim-case function, invoked asynchronously). Absent: in this process. */
  packageWorker?: PackageWorker;
  /** Builds report jobs outside the request (cloud: the weekly-summary function, invoked asynchronously). Absent: in this process. */
  reportWorker?: ReportWorker;
  /** How long GET /operator/reports/{name} may read the ledger before it answers REPORT_NEEDS_JOB (REPORT_SYNC_BUDGET_MS). Absent: no budget. */
  reportSyncBudgetMs?: number;
}

export function operatorDeps(app: Composed, x: OperatorExtras): OperatorRouterDeps {
  const db = { doc: x.doc, tableName: x.tableName };
  const now = x.now ?? (() => new Date());
  // The same wiring as the weekly-summary function: the nightly snapshots (documents), the configured
  // credit policy, and today in the company zone (debtors-only reads).
  const { reports } = composeReports(app, { ...db, timeZone: x.timeZone, config: x.reportsConfig ?? DEFAULT_REPORTS_CONFIG, now });
  return {
    ledger: app.ledger,
    dunning: app.dunning,
    letters: new DynamoLetterResolver(db),
    audit: new DynamoAuditLog(db),
    processDeps: app.processDeps,
    lookAheadDays: app.lookAheadDays,
    company: x.company,
    timeZone: x.timeZone,
    now,
    // One directory per import: it caches the tax-id lookup for the length of one file.
    bank: { directory: () => new DynamoBankDirectory({ ...db, now }), ...(x.bankConfig ? { config: x.bankConfig } : {}) },
    review: new DynamoReviewReader(db),
    ...(x.runs ? { runs: x.runs } : {}),
    ...(x.replay ? { replay: x.replay } : {}),
    ...(x.rules ? { rules: x.rules } : {}),
    ...(x.logger ? { logger: x.logger } : {}),
    claims: app.claims,
    packageJobs: composePackageJobs({ claims: app.claims, ...db, now, ...(x.packageWorker ? { worker: x.packageWorker } : {}) }),
    credit: app.credit,
    reports,
    reportJobs: composeReportJobs({
      reports,
      documents: app.processDeps.documents,
      ...db,
      now,
      ...(x.reportWorker ? { worker: x.reportWorker } : {}),
      ...(x.logger ? { warn: (m: string, d: Record<string, unknown>) => x.logger?.warn(m, d) } : {}),
    }),
    ...(x.reportSyncBudgetMs !== undefined ? { reportSyncBudgetMs: x.reportSyncBudgetMs } : {}),
    ...(x.legalPrincipals ? { legalPrincipals: x.legalPrincipals } : {}),
    console: {
      reads: new DynamoConsoleReads(db),
      documents: app.processDeps.documents,
      rules: app.rules,
      ...(x.executionUrl ? { executionUrl: x.executionUrl } : {}),
    },
  };
}

/** Company requisites (functions/config.ts Company) → what the statement prints. */
export const companyInfo = (c: { name: string; inn: string; kpp?: string }): CompanyInfo => ({ name: c.name, taxId: c.inn });
