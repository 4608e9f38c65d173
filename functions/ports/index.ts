/**
 * Ports: the interfaces use cases (functions/app, functions/ingest) depend on, by area. Adapters
 * (functions/adapters) implement them; tests pass fakes. Import from the area's file or from here.
 */
export type * from './shared.js';
export type * from './ledger.js';
export type * from './dunning.js';
export type * from './claims.js';
export type * from './operator.js';
export type * from './jobs.js';
export type * from './package-jobs.js';
export type * from './report-jobs.js';
export * from './ingest.js';
