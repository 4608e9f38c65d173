/**
 * Operator use cases (functions/app/operator/*.ts, by area): the actions collections clerks take between runs, each audited (who, when, why,
 * what). The router (functions/operator/router.ts) parses requests and calls exactly one of these; the
 * CLI reaches them through the router (locally via the local stack's HTTP server, in the cloud via the
 * IAM-authorized operator API).
 *
 * - pause / resume (a customer, or one invoice: a dispute), with a reason and an until-date;
 * - a promise to pay (pause until the promised date), an agreed payment schedule (pause until the last
 *   installment);
 * - close the books through a date (the ledger refuses back-dated entries afterwards);
 * - dry run of a run date: what would be sent per customer and stage; nothing is written;
 * - start a run (or a deliberate re-run), list a run's letters, resolve an ambiguous send;
 * - reconciliation statement JSON/PDF, bank-statement import, review list, replay of an archived payload;
 * - the audit trail per customer and per day.
 */
export type { OperatorDeps } from './operator/common.js';
export * from './operator/pauses.js';
export * from './operator/ledger.js';
export * from './operator/runs.js';
export * from './operator/bank.js';
export * from './operator/audit.js';
