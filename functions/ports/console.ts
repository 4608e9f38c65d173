/**
 * Reads the web console needs beyond the operator use cases (functions/app/console.ts). The DynamoDB
 * adapter is functions/adapters/dynamo-console.ts.
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

export interface ConsoleReads {
  /** Runs, newest first. */
  listRuns(limit: number): Promise<RunListItem[]>;
  /** Customers with open invoices, earliest due date first, paged; or one customer by id. */
  listCustomers(opts: { pageToken?: string; limit: number }): Promise<{ customers: CustomerListItem[]; nextToken?: string }>;
  customerBrief(customerId: string): Promise<CustomerListItem | undefined>;
  /** Briefs of many customers (BatchGet, 50 customers a request); unknown ids are left out. */
  customerBriefs(customerIds: string[]): Promise<Map<string, CustomerListItem>>;
  customerPartition(customerId: string): Promise<CustomerPartition>;
  lettersOfCustomer(customerId: string): Promise<Record<string, unknown>[]>;
  /** Local stack only: the recorded history of an execution. */
  executionHistory?(name: string): Promise<ExecutionHistory | undefined>;
}
