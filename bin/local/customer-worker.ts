/**
 * A worker thread of the local stack's customer pool: what one Lambda instance of the "Decide and
 * send letters to the customer" step is in the cloud. It composes the same app over the same local
 * endpoints (DynamoDB Local, local SES, the outbox folders) and runs the same step handler.
 *
 * The one thing a worker cannot do itself is start a ClaimCase execution: those run in the main
 * thread (they wait for the legal team there). A worker records each start and hands the list back
 * with the step's output; the main thread starts them before it answers the Map item (customer-pool.ts).
 */
import { workerData } from 'piscina';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localDynamoClient } from './dynamo.js';
import { localSesClient } from './ses.js';
import { createOutboxMailer, createFsDocumentStore } from './outbox.js';
import { journalEvidence } from './ses-journal.js';
import { compose, type AppSettings } from '../../functions/adapters/compose.js';
import { createSesMailer } from '../../functions/adapters/ses-mailer.js';
import { runSteps, type RunSteps } from '../../functions/handlers/run-steps.js';
import type { CaseFlowStarter } from '../../functions/ports/claims.js';

/** What the main thread gives every worker (structured-cloneable). */
export interface CustomerWorkerConfig {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  outboxDir: string;
  /** The local SES send journal (settles interrupted letters). */
  sesJournal?: string;
  documentsDir: string;
  settings: AppSettings;
}

export interface FlowStart {
  name: string;
  input: { caseId: string; customerId: string; round: number };
}

/** A worker's answer: the step output, or the error (name kept: the state's Retry matches on it). */
export type WorkerAnswer =
  | { ok: true; output: unknown; flowStarts: FlowStart[]; requests: Record<string, number> }
  | { ok: false; error: { name: string; message: string; fields?: unknown }; flowStarts: FlowStart[]; requests: Record<string, number> };

const cfg = workerData as CustomerWorkerConfig;

/** DynamoDB requests by command since the last answer (the bench adds them up). */
let requests: Record<string, number> = {};
let pending: FlowStart[] = [];

const steps: RunSteps = (() => {
  const doc = DynamoDBDocumentClient.from(localDynamoClient(cfg.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const k = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      requests[k] = (requests[k] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'workerRequestCounter' },
  );
  const sesMailer = createSesMailer({ client: localSesClient(cfg.sesEndpoint), from: cfg.settings.fromAddress });
  const mailer = createOutboxMailer(sesMailer, { dir: cfg.outboxDir, defaultFrom: cfg.settings.fromAddress });
  const claimFlow: CaseFlowStarter = {
    async start(name, input) {
      pending.push({ name, input });
      return { executionArn: `arn:aws:states:local:000000000000:execution:ClaimCase:${name}` };
    },
  };
  const app = compose(
    {
      doc,
      tableName: cfg.tableName,
      mailer,
      documents: createFsDocumentStore(cfg.documentsDir),
      claimFlow,
      ...(cfg.sesJournal ? { sendEvidence: journalEvidence(cfg.sesJournal) } : {}),
    },
    cfg.settings,
  );
  return runSteps(app);
})();

/** One Map item: the "Decide and send letters to the customer" step. */
export default async function processCustomerTask(event: unknown): Promise<WorkerAnswer> {
  // Tasks of one worker interleave: take the starts and counts that belong to this worker so far.
  const take = () => {
    const out = { flowStarts: pending, requests };
    pending = [];
    requests = {};
    return out;
  };
  try {
    const output = await steps.processCustomer(event);
    return { ok: true, output, ...take() };
  } catch (err) {
    const e = err as Error & { fields?: unknown };
    return { ok: false, error: { name: e.name, message: e.message, ...(e.fields ? { fields: e.fields } : {}) }, ...take() };
  }
}
