/**
 * Wiring of the claim use cases over one table (a composition module: it may import app types).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimsDeps } from '../app/claims.js';
import type { ApprovalSignal, CaseFlowStarter } from '../ports/claims.js';
import type { DocumentStore, Logger } from '../ports/index.js';
import type { CompanyInfo } from '../render/reconciliation-pdf.js';
import type { RuleData } from '../domain/rules/index.js';
import { DynamoClaims } from './dynamo-claims.js';
import { DynamoDunningStore } from './dynamo-dunning.js';
import { DynamoLedger } from './compose-ledger.js';

/**
 * The claim use cases' deps over one table: DynamoClaims, DynamoLedger (profile, ledger state,
 * reconciliation) and DynamoDunningStore (letters sent). `approval`: createSfnApprovalSignal() in the
 * cloud, a LocalApprovalHub (bin/local/approval.ts) locally. `flow`: createSfnStarter(<ClaimCase state machine ARN>) in the
 * cloud, a local starter that runs the ClaimCase definition in-process locally.
 */
export function composeClaims(infra: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  documents: DocumentStore;
  company: CompanyInfo;
  timeZone: string;
  now?: () => Date;
  rules?: RuleData;
  approval?: ApprovalSignal;
  flow?: CaseFlowStarter;
  logger?: Logger;
}): ClaimsDeps & { cases: DynamoClaims; ledger: DynamoLedger; letters: DynamoDunningStore } {
  const now = infra.now ?? (() => new Date());
  return {
    cases: new DynamoClaims({ doc: infra.doc, tableName: infra.tableName }),
    ledger: new DynamoLedger({ doc: infra.doc, tableName: infra.tableName, now, timeZone: infra.timeZone }),
    letters: new DynamoDunningStore({ doc: infra.doc, tableName: infra.tableName, now }),
    documents: infra.documents,
    company: infra.company,
    timeZone: infra.timeZone,
    now,
    ...(infra.rules ? { rules: infra.rules } : {}),
    ...(infra.approval ? { approval: infra.approval } : {}),
    ...(infra.flow ? { flow: infra.flow } : {}),
    ...(infra.logger ? { logger: infra.logger } : {}),
  };
}
