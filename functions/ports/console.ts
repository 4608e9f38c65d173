/**
 * Reads the web console needs beyond the operator use cases (functions/app/console.ts), and the one
 * definition of what the console's read routes answer (the wire types below): the web console
 * (console/src, type-only imports) and the CLI (bin/cli/console.ts) import them instead of restating
 * them. The DynamoDB adapter is functions/adapters/dynamo-console.ts.
 */
import type { LedgerCommand } from '../domain/ledger/commands.js';

/** A run record as listed (the RUN item's summary fields). */
export interface RunListItem {
  runDate: string;
  executionName?: string;
  customers?: number;
  letters?: Record<string, number>;
  failures?: number;
  ambiguous?: number;
  finishedAt?: string;
  dryRun?: boolean;
}

/** One customer as the customer list shows it. */
export interface CustomerListItem {
  customerId: string;
  legalName?: string;
  taxId?: string;
  segment?: string;
  receivable?: Record<string, string>;
  minOpenDueDate?: string;
  openInvoiceCount?: number;
}

/** A customer's partition, item by item (one Query), with the entries' commands. */
export interface CustomerPartition {
  customerId: string;
  profile?: Record<string, unknown>;
  summary?: Record<string, unknown>;
  entries: { entryKey: string; command: LedgerCommand; origin?: Record<string, unknown> }[];
  invoices: Record<string, unknown>[];
  stageHistory: { invoiceId: string; stages: { stage: string; runDate: string }[] }[];
  pauses: Record<string, unknown>[];
  openCaseId?: string;
}

/** A local execution's history (the local stand-in for the Step Functions console). */
export interface ExecutionHistory {
  name: string;
  status?: string;
  startedAt?: string;
  finishedAt?: string;
  input?: unknown;
  events: { name: string; type: string; event: string; error?: string; count?: number }[];
}

type Money = { amount: string; currency: string };

/** GET /operator/me */
export interface MeView {
  by: string;
  roles: string[];
  permissions: Record<string, boolean>;
  /** False for header-only callers (CLI): the API does not check roles for them. */
  signedIn: boolean;
}

/** One letter of a run as the run view lists it. */
export interface RunViewLetter {
  customerId: string;
  customerName?: string;
  stage: string;
  status: string;
  channels: string[];
  invoiceIds: string[];
  total: Money[];
  attempts?: number;
  updatedAt?: string;
  error?: string;
  documentKey?: string;
}

/** GET /operator/runs/{runDate}/view[?stage&status&q&offset&limit]: one page of the run's letters, filtered on the server. */
export interface RunView {
  runDate: string;
  run: Record<string, unknown>;
  execution?: { name: string; url?: string; local?: boolean };
  printVolumes: { volume: number; key: string }[];
  /** Counts over all the run's letters (not only the page): per stage (any status), sent per stage, ambiguous. */
  counts: { all: number; byStage: Record<string, number>; sentByStage: Record<string, number>; ambiguous: number };
  /** The filter applied to `letters`, and how many letters match it. */
  filter: { stage?: string; status?: string; q?: string };
  matching: number;
  offset: number;
  limit: number;
  /** Letters matching the filter, by customer then stage, from `offset`, at most `limit`. */
  letters: RunViewLetter[];
  /** Every ambiguous letter (they need an operator; few). */
  ambiguous: RunViewLetter[];
  failures: { customerId: string; customerName?: string; error: string; cause: string }[];
}

/** GET /operator/customers[?q&pageToken&limit] */
export interface CustomerList {
  customers: CustomerListItem[];
  nextToken?: string;
}

export interface PenaltyPeriodView {
  from: string;
  to: string;
  days: number;
  base: string;
  rate: string;
  fraction: string;
  amount: string;
}

/** GET /operator/customers/{id}/card[?asOf] */
export interface CustomerCard {
  asOf: string;
  customerId: string;
  profile: {
    legalName: string;
    taxId?: string;
    kpp?: string;
    emails?: string[];
    segment?: string;
    manager?: string;
    locale?: string;
    postalAddress?: { city?: string; line1?: string };
    [k: string]: unknown;
  };
  balances: Record<string, string>;
  receivable: Record<string, string>;
  overdue: Record<string, string>;
  unappliedCredit: Record<string, string>;
  invoices: {
    invoiceId: string;
    number: string;
    contractId?: string;
    contractNumber?: string;
    issueDate: string;
    dueDate: string;
    amount: Money;
    outstanding: Money;
    status: string;
    daysOverdue: number;
    stages: { stage: string; runDate: string }[];
    allocations: { date: string; amount: Money; source: string; reason: string; undoneBy?: string; undoneOn?: string }[];
  }[];
  entries: {
    entryKey: string;
    type: string;
    date: string;
    amount?: Money;
    debit?: string;
    credit?: string;
    documentId?: string;
    number?: string;
    source?: string;
    allocations: { targetId: string; amount: Money; date: string; reason?: string; undone?: boolean }[];
  }[];
  letters: { runDate: string; stage: string; status: string; channels?: string[]; total?: Money[]; documentKey?: string; [k: string]: unknown }[];
  pauses: {
    pauseId: string;
    invoiceId?: string;
    kind: string;
    until: string;
    reason: string;
    by: string;
    at: string;
    amount?: Money;
    installments?: { date: string; amount: string }[];
    resolved?: { by: string; at: string; reason: string };
    [k: string]: unknown;
  }[];
  penalty: {
    total: string;
    currency: string;
    basis: string;
    parts: { basis: string; contractId?: string; total: string; rule: string; periods: PenaltyPeriodView[] }[];
  } | null;
  openCaseId?: string;
}

export interface ConsoleReads {
  /** Runs, newest first. */
  listRuns(limit: number): Promise<RunListItem[]>;
  /** Customers with open invoices, earliest due date first, paged; or one customer by id. */
  listCustomers(opts: { pageToken?: string; limit: number }): Promise<{ customers: CustomerListItem[]; nextToken?: string }>;
  customerBrief(customerId: string): Promise<CustomerListItem | undefined>;
  /**
   * Customers (any, not only debtors) whose id, name or tax id contains `text` (case-insensitive; ё = е),
   * by name, paged: the filter runs in the database over the customer index, not over a loaded page.
   */
  searchCustomers(opts: { text: string; pageToken?: string; limit: number }): Promise<{ customers: CustomerListItem[]; nextToken?: string }>;
  /** Briefs of many customers (BatchGet, 50 customers a request); unknown ids are left out. */
  customerBriefs(customerIds: string[]): Promise<Map<string, CustomerListItem>>;
  /** Ids of customers whose searchText contains `text` (the search index; ids only, at most `max`). */
  customerIdsMatching(text: string, max: number): Promise<string[]>;
  /** A run's letters as keys only (customer, stage, status), by customer then stage: one small projected Query. */
  runLetterKeys(runDate: string): Promise<{ customerId: string; stage: string; status: string }[]>;
  /** Whole letter records of a run by key (BatchGet), in the order asked; unknown keys are left out. */
  runLetters(runDate: string, letters: readonly { customerId: string; stage: string }[]): Promise<Record<string, unknown>[]>;
  customerPartition(customerId: string): Promise<CustomerPartition>;
  lettersOfCustomer(customerId: string): Promise<Record<string, unknown>[]>;
  /** Local stack only: the recorded history of an execution. */
  executionHistory?(name: string): Promise<ExecutionHistory | undefined>;
}
