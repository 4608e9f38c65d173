/**
 * Composition root: wires use cases to adapters. The Lambda handlers call it once per module with AWS
 * clients; the local stack calls it with local endpoints and folders. Same wiring, two runtimes.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoLedger, type CustomerFile } from './compose-ledger.js';
import { DynamoDunningStore, LEASE_MS } from './dynamo-dunning.js';
import { foldLedger, type LedgerState } from '../domain/ledger/fold.js';
import { PRESETS, parsePolicyConfig, resolvePolicy, type PolicyConfig } from '../domain/policy/index.js';
import { renderEmail, renderLetterPdf, renderPrintBatch } from '../letters/index.js';
import type { Company, RuntimeConfig } from '../config.js';
import type { DeadLetters, DocumentStore, Mailer } from '../ports/index.js';
import type { Faults, SendEvidence } from '../ports/dunning.js';
import { sesEventEvidence } from './ses-send-evidence.js';
import type { ApprovalSignal, CaseFlowStarter } from '../ports/claims.js';
import type { ProcessCustomerDeps } from '../app/process-customer.js';
import type { FinishDeps } from '../app/summarize-run.js';
import { defaultRules, type RuleData } from '../domain/penalties/index.js';
import { penaltyForInvoices } from '../domain/penalties/for-invoices.js';
import type { CalendarDate } from '../domain/dates.js';
import { ConfigError } from '../domain/errors.js';
import type { Currency } from '../domain/money.js';
import { openCaseIn } from './dynamo-claims.js';
import { composeClaims } from './compose-claims.js';
import { onStageReached } from '../app/claims.js';
import { composeCredit, type CreditSettings } from './compose-credit.js';
import type { BusinessMetrics } from '../ports/metrics.js';
import { DynamoAuditLog } from './dynamo-audit.js';

export interface Infra {
  doc: DynamoDBDocumentClient;
  tableName: string;
  mailer: Mailer;
  documents: DocumentStore;
  deadLetters?: DeadLetters;
  now?: () => Date;
  faults?: Faults;
  /** Whether the mail service accepted an interrupted letter (default: SES send events on the letter record). */
  sendEvidence?: SendEvidence;
  /** Claim-case workflow starter and approval signal (cloud: Step Functions; local: in-process). */
  claimFlow?: CaseFlowStarter;
  approval?: ApprovalSignal;
  /** Business metrics (Lambda: Powertools Metrics; local: a recorder; absent: not counted). */
  metrics?: BusinessMetrics;
}

export interface AppSettings {
  timeZone: string;
  fromAddress: string;
  digestRecipients: string[];
  legalTeam: string[];
  company: Company;
  policyName: 'wholesale' | 'housing';
  envelope: 'DL' | 'C5';
  /** Segment and customer overrides (validated). */
  policyConfig?: PolicyConfig;
  /** Key rates, moratoria, caps (default: the embedded data; extended by rules-loader). */
  rules?: RuleData;
  /** Credit control: policy, hold start, event webhooks, machine secrets, roles (functions/adapters/compose-credit.ts). */
  credit?: CreditSettings;
}

export function settingsFromConfig(cfg: RuntimeConfig): AppSettings {
  return {
    timeZone: cfg.COMPANY_TIME_ZONE,
    fromAddress: cfg.SES_FROM_ADDRESS ?? 'collections@example.com',
    digestRecipients: cfg.DIGEST_RECIPIENTS,
    legalTeam: cfg.LEGAL_TEAM_RECIPIENTS,
    company: cfg.COMPANY_REQUISITES,
    policyName: cfg.DUNNING_POLICY,
    envelope: cfg.ENVELOPE_FORMAT,
    ...(cfg.DUNNING_POLICY_OVERRIDES ? { policyConfig: policyConfigFor(cfg.DUNNING_POLICY, cfg.DUNNING_POLICY_OVERRIDES) } : {}),
  };
}

/** The preset plus segment and customer overrides, validated (a bad override names its field). */
export function policyConfigFor(preset: 'wholesale' | 'housing', overrides: { segments?: unknown; customers?: unknown } = {}): PolicyConfig {
  try {
    return parsePolicyConfig({ base: PRESETS[preset], segments: overrides.segments ?? {}, customers: overrides.customers ?? {} });
  } catch (err) {
    throw new ConfigError(`invalid configuration: DUNNING_POLICY_OVERRIDES: ${(err as Error).message}`, { cause: err });
  }
}

export function compose(infra: Infra, settings: AppSettings) {
  const ledger = new DynamoLedger({ doc: infra.doc, tableName: infra.tableName, ...(infra.now ? { now: infra.now } : {}) });
  const dunning = new DynamoDunningStore({ doc: infra.doc, tableName: infra.tableName, ...(infra.now ? { now: infra.now } : {}) });
  const policies = settings.policyConfig ?? policyConfigFor(settings.policyName);
  const base = policies.base;
  const rules = settings.rules ?? defaultRules();
  // How far before the due date the first stage starts (reminder: 7 days before due in wholesale), over
  // the preset and every segment and customer override, so no customer's earlier window is missed.
  const effective = [
    base,
    ...Object.keys(policies.segments).map((segment) => resolvePolicy(policies, { customerId: '', segment }).policy),
    ...Object.keys(policies.customers).map((customerId) => resolvePolicy(policies, { customerId }).policy),
  ];
  const lookAheadDays = Math.max(0, ...effective.flatMap((p) => Object.values(p.stages).filter((s) => s?.enabled).map((s) => -s!.window.from)));
  const claims = composeClaims({
    doc: infra.doc,
    tableName: infra.tableName,
    documents: infra.documents,
    company: { name: settings.company.name, taxId: settings.company.inn },
    timeZone: settings.timeZone,
    rules,
    ...(infra.now ? { now: infra.now } : {}),
    ...(infra.approval ? { approval: infra.approval } : {}),
    ...(infra.claimFlow ? { flow: infra.claimFlow } : {}),
  });
  // One Query per customer (DynamoLedger.customerFile); its folded ledger is computed at most once and
  // serves the penalty paragraphs and the claim case.
  const folded = new WeakMap<CustomerFile, LedgerState>();
  const stateOf = (f: CustomerFile) => {
    let st = folded.get(f);
    if (!st) {
      st = foldLedger(f.entries.map((e) => e.command));
      folded.set(f, st);
    }
    return st;
  };
  const fileOf = (context: unknown) => (context && typeof context === 'object' && 'entries' in context ? (context as CustomerFile) : undefined);
  const processDeps: ProcessCustomerDeps = {
    snapshot: async (customerId) => {
      const f = await ledger.customerFile(customerId);
      return {
        ...(f.profile ? { profile: f.profile } : {}),
        openInvoices: f.openInvoices,
        stageHistory: f.stageHistory,
        pauses: f.pauses,
        ...(f.lastLetterDate ? { lastLetterDate: f.lastLetterDate } : {}),
        version: f.version,
        context: f,
      };
    },
    ledgerVersion: (customerId) => ledger.ledgerVersion(customerId),
    onStageReached: (input) => {
      const f = fileOf(input.context);
      const openCase = f ? openCaseIn(f.items) : undefined;
      return onStageReached(claims, {
        ...input,
        ...(f ? { known: { ...(f.profile ? { profile: f.profile } : {}), state: stateOf(f), ...(openCase !== undefined ? { openCase } : {}) } } : {}),
      });
    },
    reader: ledger,
    dunning,
    mailer: infra.mailer,
    documents: infra.documents,
    renderer: { renderEmail: (l, o) => renderEmail(l, { ...o, copy: l.stage === 'warning' || l.stage === 'claim' }), renderLetterPdf: (l, c) => renderLetterPdf(l, c) },
    policies,
    company: settings.company,
    fromAddress: settings.fromAddress,
    legalTeam: settings.legalTeam.length ? settings.legalTeam : settings.digestRecipients,
    // Warning and claim letters state the penalty accrued to the run date and its basis.
    penaltyFor: async (customerId, invoices, runDate: CalendarDate, context) => {
      const f = fileOf(context);
      const p = penaltyForInvoices(f ? stateOf(f) : await ledger.ledgerState(customerId), invoices.map((i) => i.invoiceId), runDate, rules);
      return p ? { amount: { amount: p.total, currency: p.currency as Currency }, asOf: runDate, basis: p.basis } : undefined;
    },
    ...(infra.faults ? { faults: infra.faults } : {}),
    // What warning and claim letters say about shipments: credit control's hold dates (set below).
    shipmentNoticeFor: async (customerId, stage, invoiceIds, runDate, context) => credit.noticeFor(fileOf(context) ?? (await ledger.customerFile(customerId)), stage, invoiceIds, runDate),
    // Interrupted sends settle themselves: from SES send events (cloud), from the local SES journal (local stack).
    sendEvidence: infra.sendEvidence ?? sesEventEvidence({ leaseMs: LEASE_MS }),
    ...(infra.now ? { now: infra.now } : {}),
  };
  const finishDeps: FinishDeps = {
    runs: dunning,
    documents: infra.documents,
    mailer: infra.mailer,
    renderPrintBatch: (letters, company, o) => renderPrintBatch(letters, company, o),
    company: settings.company,
    fromAddress: settings.fromAddress,
    digestRecipients: settings.digestRecipients,
    envelope: settings.envelope,
    policy: `${base.name}@${base.version}`,
    ...(infra.metrics ? { metrics: infra.metrics } : {}),
  };
  const credit = composeCredit({
    doc: infra.doc,
    tableName: infra.tableName,
    ledger,
    dunning: dunning as never,
    timeZone: settings.timeZone,
    dunningPolicy: base,
    audit: new DynamoAuditLog({ doc: infra.doc, tableName: infra.tableName }),
    ...(infra.now ? { now: infra.now } : {}),
    ...(settings.credit ? { settings: settings.credit } : {}),
  });
  return { ledger, dunning, policies, lookAheadDays, processDeps, finishDeps, rules, claims, credit };
}
export type Composed = ReturnType<typeof compose>;
