/**
 * Lambda entries of the ClaimCase state machine's tasks, and the same steps as plain functions for the
 * local runner. One module, one `handler` dispatching on `action` ("record" | "wait" | "package"), so
 * the stack may deploy one function for the three roles or three functions with the same entry.
 *
 * Environment: functions/config.ts FUNCTION_ENV.claimCase; the role needs states:SendTaskSuccess for
 * "wait" (it answers the token itself when the decision is already on the case).
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { loadFunctionConfig } from '../config.js';
import { zDate } from '../domain/ledger/commands.js';
import { parseOrThrow } from '../domain/parse.js';
import { awaitApproval, buildLitigationPackage, recordForApproval, type ClaimsDeps } from '../app/claims.js';
import { runPackageJob } from '../app/package-jobs.js';
import { ConfigError } from '../domain/errors.js';
import type { PackageJobStore } from '../ports/package-jobs.js';
import { awsClients } from '../adapters/aws-clients.js';
import { composeClaimCaseLambda } from '../adapters/compose.js';
import { logger, once } from './runtime.js';

const zCaseId = z.string().min(1).max(120);
export const zRecordEvent = z.object({ action: z.literal('record'), caseId: zCaseId, executionName: z.string().optional() });
export const zWaitEvent = z.object({ action: z.literal('wait'), caseId: zCaseId, taskToken: z.string().min(1), executionName: z.string().optional() });
export const zPackageEvent = z.object({ action: z.literal('package'), caseId: zCaseId, asOf: zDate.optional() });
/** An operator's package build (functions/app/package-jobs.ts), invoked asynchronously by operator-api. */
export const zPackageJobEvent = z.object({
  action: z.literal('packageJob'),
  jobId: z.string().min(1).max(80),
  caseId: zCaseId,
  by: z.string().min(1).max(200),
  asOf: zDate.optional(),
});
export const zClaimCaseEvent = z.discriminatedUnion('action', [zRecordEvent, zWaitEvent, zPackageEvent, zPackageJobEvent]);

const parse = <S extends z.ZodType>(schema: S, event: unknown): z.output<S> => parseOrThrow(schema, event, 'event');

/** The three task steps over composed deps (Lambda and local runner run the same code). */
export function claimCaseSteps(deps: ClaimsDeps & { packageJobs?: PackageJobStore }) {
  return {
    recordCase: async (event: unknown) => {
      const e = parse(zRecordEvent, event);
      return recordForApproval(deps, { caseId: e.caseId, ...(e.executionName ? { executionName: e.executionName } : {}) });
    },
    /** Cloud: stores the task token; the execution continues on SendTaskSuccess. */
    waitForApproval: async (event: unknown) => {
      const e = parse(zWaitEvent, event);
      return awaitApproval(deps, { caseId: e.caseId, taskToken: e.taskToken, ...(e.executionName ? { executionName: e.executionName } : {}) });
    },
    buildPackage: async (event: unknown) => {
      const e = parse(zPackageEvent, event);
      const m = await buildLitigationPackage(deps, e.caseId, e.asOf);
      // The state output stays small: the manifest's key facts and where it is.
      return {
        caseId: m.caseId,
        asOf: m.asOf,
        court: m.court,
        courtOrder: m.courtOrder.eligible,
        duty: m.duty?.amount ?? '0',
        total: m.total,
        warnings: m.warnings.map((w) => w.code),
        readyToFile: m.readyToFile,
        fileFrom: m.pretrialClaim?.fileFrom ?? null,
        files: m.files.length,
        manifest: `cases/${m.caseId}/manifest.json`,
      };
    },
    /** An operator's asynchronous package build: the outcome is recorded on the job (a failure too), so nothing is thrown for Lambda to retry. */
    packageJob: async (event: unknown) => {
      const e = parse(zPackageJobEvent, event);
      if (!deps.packageJobs) throw new ConfigError('invalid configuration: this claim-case function has no package job store');
      return runPackageJob({ claims: deps, jobs: deps.packageJobs, now: deps.now }, e);
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Lambda entry

let steps: (() => Promise<ReturnType<typeof claimCaseSteps>>) | undefined;

/**
 * The Lambda's steps. The configuration is read on the first invocation (this module is also imported
 * by the local stack, which has no Lambda environment); a bad one fails that invocation, naming it.
 */
function lambdaSteps() {
  if (!steps) {
    const config = loadFunctionConfig('claimCase');
    const claimsLogger = { info: (m: string, x?: Record<string, unknown>) => logger.info(m, x ?? {}), warn: (m: string, x?: Record<string, unknown>) => logger.warn(m, x ?? {}) };
    steps = once(async () => claimCaseSteps(await composeClaimCaseLambda(config, awsClients(), claimsLogger)));
  }
  return steps;
}

export const handler = async (event: unknown, context: Context): Promise<unknown> => {
  logger.addContext(context);
  const e = event as { action?: string; caseId?: string; executionName?: string };
  logger.appendKeys({ action: e.action, caseId: e.caseId, executionName: e.executionName });
  try {
    const deps = lambdaSteps();
    const parsed = parse(zClaimCaseEvent, event);
    const steps = await deps();
    if (parsed.action === 'packageJob') return { jobId: parsed.jobId, status: await steps.packageJob(parsed) };
    if (parsed.action === 'record') return await steps.recordCase(parsed);
    if (parsed.action === 'wait') return await steps.waitForApproval(parsed);
    return await steps.buildPackage(parsed);
  } catch (err) {
    logger.error('claim case step failed', { error: err as Error });
    throw err;
  } finally {
    logger.resetKeys();
  }
};
