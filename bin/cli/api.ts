/**
 * The operator API's answers as the CLI reads them: JSON wire shapes (amounts are decimal strings),
 * declared here rather than imported from functions/, so the CLI depends on the HTTP contract only.
 * Only the fields the CLI prints are declared; the server may send more (printed as is with --json).
 */

export interface WireMoney {
  amount: string;
  currency: string;
}

export interface RunTotals {
  customers: number;
  failures: number;
  skipped: number;
  ambiguous: number;
  letters: Record<string, number>;
  /** stage → currency → decimal string. */
  amounts?: Record<string, Record<string, string>>;
  failedCustomers?: string[];
}

export interface DryRunCustomer {
  customerId: string;
  status: string;
  letters: { stage: string; channels: string[]; invoices: string[]; total: WireMoney[] }[];
  skipped: { invoice: string; reason: string }[];
  error?: string;
}

export interface DryRunPage {
  runDate: string;
  customers: DryRunCustomer[];
  totals: RunTotals;
  nextToken?: string;
}

export interface StartedRun {
  executionName: string;
  status: string;
  summary?: { customers: number; letters?: Record<string, number>; failures: number; ambiguous?: number };
}

export interface LetterView {
  customerId: string;
  stage: string;
  status: string;
  channels?: string[];
  invoiceIds?: string[];
  total?: WireMoney[];
}

export interface RunView {
  runDate: string;
  run?: { executionName?: string };
  letters: LetterView[];
  failures: { customerId: string; error: string; cause: string }[];
}

export interface AuditStamp {
  by: string;
  at: string;
}

export interface ResolvedLetter {
  letter: { status: string };
  audit: AuditStamp;
}

export interface PauseView {
  pauseId: string;
  kind: string;
  invoiceId?: string;
  until: string;
  amount?: WireMoney;
  by: string;
  reason: string;
  resolved?: AuditStamp;
}

export interface ScheduleAgreed {
  pauses: PauseView[];
  total: WireMoney;
  until: string;
}

export interface StatementLine {
  debit: string;
  credit: string;
  balance: string;
}

export interface Statement {
  customerId: string;
  customer?: { legalName?: string; taxId?: string };
  from: string;
  to: string;
  currency: string;
  contractId?: string | null;
  contract?: { number: string; date: string };
  byContract?: {
    contractId: string | null;
    contract?: { number: string; date: string };
    opening: StatementLine;
    turnover: { debit: string; credit: string };
    closing: StatementLine;
  }[];
  opening: StatementLine;
  rows: (StatementLine & { date: string; description: string; contractId?: string | null })[];
  turnover: { debit: string; credit: string };
  closing: StatementLine;
  atClose?: { openInvoices: { number: string; outstanding: string }[]; unappliedCredit: string };
}

export interface BankImportResult {
  encoding: string;
  documents: number;
  imported: number;
  duplicates: number;
  skipped: number;
  review: { line: number; reason: string }[];
  errors: { line: number; message: string }[];
}

export interface ReviewItem {
  importId: string;
  line: number;
  reason: string;
  document?: { date?: string; amount?: string; payerName?: string; payerInn?: string };
}

export interface ReviewResolved {
  status: string;
  paymentId?: string;
  ledger?: string;
}

export interface Replayed {
  source: string;
  eventId: string;
  status: string;
  statusCode: number;
}

export interface AuditEntry {
  at: string;
  by: string;
  principal?: string;
  action: string;
  customerId?: string;
  reason: string;
  details: Record<string, unknown>;
}

/** A claim case in brief; the amounts are money in newer answers and decimal strings in older ones. */
export interface CaseBrief {
  caseId: string;
  customerId: string;
  status: string;
  principal?: WireMoney | string;
  penalty?: WireMoney | string;
  estimatedDuty?: WireMoney | string;
  total?: WireMoney | string;
  strategy?: string;
}

/** A litigation-package job (POST /operator/cases/{caseId}/package → 202; GET /operator/package-jobs/{jobId}). */
export interface PackageJobView {
  jobId: string;
  caseId: string;
  status: 'running' | 'done' | 'failed';
  by: string;
  asOf?: string;
  startedAt: string;
  finishedAt?: string;
  /** Where to poll, relative to /operator/ (the start's answer only). */
  poll?: string;
  manifest?: {
    asOf: string;
    total: string;
    files: { name: string; key: string; title?: string; bytes?: number }[];
    warnings: { code?: string; message?: string }[];
  };
  error?: { code: string; message: string };
}

/** A report job (POST /operator/reports/{name}/jobs → 202; GET /operator/report-jobs/{jobId}). */
export interface ReportJobView {
  jobId: string;
  name: string;
  params: Record<string, string>;
  status: 'running' | 'done' | 'failed';
  by: string;
  startedAt: string;
  finishedAt?: string;
  /** Where to poll, relative to /operator/ (the start's answer only). */
  poll?: string;
  /** When done: the file (download: GET /operator/documents?key=…). */
  result?: { key: string; filename: string; contentType: string; bytes: number; rows: number; readItems: number };
  error?: { code: string; message: string };
}

/** The error body of every 4xx/5xx answer. */
export interface ErrorBody {
  error?: { code?: string; message?: string; fields?: { field: string; message: string }[]; closedThrough?: string };
}
