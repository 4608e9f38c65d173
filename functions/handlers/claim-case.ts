/**
 * Lambda entries of the ClaimCase state machine's tasks, and the same steps as plain functions for the
 * local runner. One module, one `handler` dispatching on `action` ("record" | "wait" | "package"), so
 * the stack may deploy one function for the three roles or three functions with the same entry.
 *
 * Environment: TABLE_NAME, BUCKET_NAME (packages and letter PDFs), COMPANY_TIME_ZONE,
 * COMPANY_REQUISITES (JSON, optional); the role needs states:SendTaskSuccess for "wait" (it answers the
 * token itself when the decision is already on the case).
 */
import type { Context } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { loadConfig, requireSetting } from '../config.js';
import { zDate } from '../domain/ledger/commands.js';
import { parseOrThrow } from '../domain/parse.js';
import {
  awaitApproval,
  buildLitigationPackage,
  recordForApproval,
  type ClaimsDeps,
} from '../app/claims.js';
import { composeClaims } from '../adapters/compose-claims.js';
import { createS3DocumentStore } from '../adapters/s3-documents.js';
import { createSfnApprovalSignal } from '../adapters/sfn-approval.js';
import { SDK_LOGGER } from '../adapters/sdk-logger.js';

const zCaseId = z.string().min(1).max(120);
export const zRecordEvent = z.object({ action: z.literal('record'), caseId: zCaseId, executionName: z.string().optional() });
export const zWaitEvent = z.object({ action: z.literal('wait'), caseId: zCaseId, taskToken: z.string().min(1), executionName: z.string().optional() });
export const zPackageEvent = z.object({ action: z.literal('package'), caseId: zCaseId, asOf: zDate.optional() });
export const zClaimCaseEvent = z.discriminatedUnion('action', [zRecordEvent, zWaitEvent, zPackageEvent]);

const parse = <S extends z.ZodType>(schema: S, event: unknown): z.output<S> => parseOrThrow(schema, event, 'event');

/** The three task steps over composed deps (Lambda and local runner run the same code). */
export function claimCaseSteps(deps: ClaimsDeps) {
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
  };
}

// ------------------------------------------------------------------------------------------------
// Lambda entry

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'claimflow-claims' });
let cached: ClaimsDeps | undefined;

function deps(): ClaimsDeps {
  if (cached) return cached;
  const config = loadConfig(process.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ logger: SDK_LOGGER }), { marshallOptions: { removeUndefinedValues: true } });
  cached = composeClaims({
    doc,
    tableName: config.TABLE_NAME,
    documents: createS3DocumentStore(requireSetting(config.BUCKET_NAME, 'BUCKET_NAME')),
    company: { name: config.COMPANY_REQUISITES.name, taxId: config.COMPANY_REQUISITES.inn },
    timeZone: config.COMPANY_TIME_ZONE,
    approval: createSfnApprovalSignal(),
    logger: { info: (m, x) => logger.info(m, x ?? {}), warn: (m, x) => logger.warn(m, x ?? {}) },
  });
  return cached;
}

export const handler = async (event: unknown, context: Context): Promise<unknown> => {
  logger.addContext(context);
  const e = event as { action?: string; caseId?: string; executionName?: string };
  logger.appendKeys({ action: e.action, caseId: e.caseId, executionName: e.executionName });
  try {
    const steps = claimCaseSteps(deps());
    const parsed = parse(zClaimCaseEvent, event);
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
