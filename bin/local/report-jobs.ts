/**
 * Report jobs on the local stack: the same use case as in AWS (functions/app/report-jobs.ts) with the
 * in-process worker (functions/adapters/compose-report-jobs.ts, wired by operatorDeps), and the
 * synchronous report's read budget read from REPORT_SYNC_BUDGET_MS as operator-api reads it
 * (functions/config.ts; default 20 s; 0 sends every report that reads the ledger to a job).
 */
import { z } from 'zod';
import { REPORT_JOBS } from '../../functions/config.js';
import { parseOrThrow } from '../../functions/domain/parse.js';

export function localReportSyncBudgetMs(env: Record<string, string | undefined>): number {
  return parseOrThrow(z.object({ REPORT_SYNC_BUDGET_MS: REPORT_JOBS.REPORT_SYNC_BUDGET_MS }), { REPORT_SYNC_BUDGET_MS: env.REPORT_SYNC_BUDGET_MS || undefined }, 'env')
    .REPORT_SYNC_BUDGET_MS;
}
