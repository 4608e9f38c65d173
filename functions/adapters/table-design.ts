/**
 * The single DynamoDB table design, shared by the CDK stateful stack and the local stack
 * (one definition, two runtimes). Access patterns are documented in docs/ARCHITECTURE.md.
 */
export const TABLE_DESIGN = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  indexes: [
    /** GSI1: debtors by earliest open due date (sparse; sharded partition "DEBTORS#n"); customers by name ("CUSTOMERS#n", on profiles). */
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    /** GSI2: collections across customers: letters of a customer, cases by status, audit by day, review list, customers by tax id, customers holding a balance ("BALANCES#n", on summaries). */
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  ],
} as const;

/** Debtor index shards: writes spread over N partitions; the run queries all N. */
export const DEBTOR_SHARDS = 8;

/** Dedupe records outlive every provider's retry window (Stripe retries 3 days): keep 14 days. */
export const DEDUPE_TTL_DAYS = 14;

/** Key builders. Every item type is listed here so its key shape lives in one place. */
export const keys = {
  customerProfile: (customerId: string) => ({ PK: `CUST#${customerId}`, SK: 'PROFILE' }),
  customerSummary: (customerId: string) => ({ PK: `CUST#${customerId}`, SK: 'SUMMARY' }),
  contract: (customerId: string, contractId: string) => ({ PK: `CUST#${customerId}`, SK: `CONTRACT#${contractId}` }),
  entry: (customerId: string, entryKey: string) => ({ PK: `CUST#${customerId}`, SK: `ENTRY#${entryKey}` }),
  invoice: (customerId: string, invoiceId: string) => ({ PK: `CUST#${customerId}`, SK: `INVOICE#${invoiceId}` }),
  dunningState: (customerId: string, invoiceId: string) => ({ PK: `CUST#${customerId}`, SK: `DUNNING#${invoiceId}` }),
  pause: (customerId: string, pauseId: string) => ({ PK: `CUST#${customerId}`, SK: `PAUSE#${pauseId}` }),
  claimCase: (customerId: string, caseId: string) => ({ PK: `CUST#${customerId}`, SK: `CASE#${caseId}` }),
  /** Case id → customer (approve/show by case id alone). */
  claimCaseRef: (caseId: string) => ({ PK: `CASE#${caseId}`, SK: 'CASE' }),
  /** The one open case of a customer (conditional put: at most one open case per customer). */
  openClaimCase: (customerId: string) => ({ PK: `CUST#${customerId}`, SK: 'OPEN_CASE' }),
  audit: (scope: string, at: string, id: string) => ({ PK: `AUDIT#${scope}`, SK: `${at}#${id}` }),
  dedupe: (source: string, eventId: string) => ({ PK: `DEDUPE#${source}#${eventId}`, SK: 'DEDUPE' }),
  run: (runDate: string) => ({ PK: `RUN#${runDate}`, SK: 'RUN' }),
  /** A customer's profile by tax id (INN), for the bank import: GSI2PK='TAXID#<inn>' on the profile item. */
  taxIdIndex: (taxId: string, customerId: string) => ({ GSI2PK: `TAXID#${taxId}`, GSI2SK: `CUST#${customerId}` }),
  /** The run list's index entry, written with the run record (the console lists runs by it). */
  runIndex: (runDate: string) => ({ GSI2PK: 'RUNS', GSI2SK: runDate }),
  letter: (runDate: string, customerId: string, stage: string) => ({ PK: `RUN#${runDate}`, SK: `LETTER#${customerId}#${stage}` }),
  failure: (runDate: string, customerId: string) => ({ PK: `RUN#${runDate}`, SK: `FAILURE#${customerId}` }),
  periodClose: () => ({ PK: 'CONFIG', SK: 'PERIOD_CLOSE' }),
  policy: (name: string, version: number) => ({ PK: `POLICY#${name}`, SK: `V#${String(version).padStart(6, '0')}` }),
  /** An operator's litigation-package job (TTL 30 days). */
  packageJob: (jobId: string) => ({ PK: `PKGJOB#${jobId}`, SK: 'PKGJOB' }),
  /** An operator's report job (TTL 30 days); its file is under reports/jobs/<jobId>/ in the documents store. */
  reportJob: (jobId: string) => ({ PK: `RPTJOB#${jobId}`, SK: 'RPTJOB' }),
  reviewItem: (importId: string, line: number) => ({ PK: `REVIEW#${importId}`, SK: `LINE#${String(line).padStart(6, '0')}` }),
  /** Every customer's profile by name (console search): GSI1 "CUSTOMERS#<shard>" / "<search name>#<customerId>", with `searchText`. */
  customerNameIndex: (shard: number, searchName: string, customerId: string) => ({
    GSI1PK: `CUSTOMERS#${shard}`,
    GSI1SK: `${searchName.slice(0, 200)}#${customerId}`,
  }),
  /**
   * Customers with unapplied credit or a refund debt (GSI2, sparse, sharded like the debtor index, on
   * the summary): with the debtor index, everyone aging shows. Back-filled once (balance-index-backfill.ts).
   */
  balanceIndex: (shard: number, customerId: string) => ({ GSI2PK: `BALANCES#${shard}`, GSI2SK: customerId }),
  debtorIndex: (shard: number, minOpenDueDate: string, customerId: string) => ({
    GSI1PK: `DEBTORS#${shard}`,
    GSI1SK: `${minOpenDueDate}#${customerId}`,
  }),
} as const;

/** A profile's console-search entry (GSI1 "CUSTOMERS#<shard>" and `searchText`): written by the ledger, back-filled once. */
export function customerSearchEntry(customerId: string, legalName: string, taxId: string | undefined) {
  return { ...keys.customerNameIndex(debtorShard(customerId), searchFold(legalName), customerId), searchText: searchFold(`${customerId} ${legalName} ${taxId ?? ''}`) };
}

/** Stable shard of a customer id for the debtor index. */
export function debtorShard(customerId: string): number {
  let h = 0;
  for (let i = 0; i < customerId.length; i++) h = (h * 31 + customerId.charCodeAt(i)) | 0;
  return Math.abs(h) % DEBTOR_SHARDS;
}

/**
 * The form text is compared in for the console's customer search: lower case (Russian rules), ё as е,
 * quotes and runs of spaces folded. The stored `searchText` of a profile and the searched text both go
 * through it, so "ВЕКТОР", "вектор" and "«Вектор»" find the same customer.
 */
export function searchFold(s: string): string {
  return s
    .toLocaleLowerCase('ru')
    .replace(/ё/g, 'е')
    .replace(/[«»"'„“”]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
