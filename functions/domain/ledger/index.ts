/** The receivables ledger (pure): commands, fold, validation, reconciliation. */
export * from './commands.js';
export * from './fold.js';
export * from './validate.js';
export * from './reconcile.js';
export * from './invoice-view.js';
export * from './contract-balances.js';
