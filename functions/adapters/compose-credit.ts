/**
 * Credit control's wiring, called from the composition root (compose.ts): the DynamoDB store and
 * outbox, the use-case deps, the snapshot refresher hooked after every ledger write, and the event
 * dispatcher (signed webhooks; EventBridge in AWS).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoLedger } from './compose-ledger.js';
import { DynamoCreditStore } from './dynamo-credit.js';
import { httpWebhookSender } from './credit-webhook.js';
import { DEFAULT_CREDIT_POLICY, parseCreditPolicy, type CreditPolicy, type HoldStartRule } from '../domain/credit/index.js';
import type { Policy } from '../domain/policy/schema.js';
import type { AuditLog } from '../ports/operator.js';
import { refreshCustomer, type CreditDeps } from '../app/credit/service.js';
import { dispatchDue, type DispatchDeps } from '../app/credit/events.js';
import { inlineRefresher, queuedRefresher, type Refresher } from '../app/credit/refresher.js';
import { noticeForLetter } from '../app/credit/notice.js';
import type { CustomerFile } from './compose-ledger.js';
import { toSnapshot } from './dynamo-credit.js';
import type { CalendarDate } from '../domain/dates.js';
import type { CreditEvent, EventPublisher, WebhookSender } from '../ports/credit.js';
import type { ApplyResult, CommandOrigin } from '../ports/index.js';
import type { LedgerCommand } from '../domain/ledger/commands.js';

/** The delivery endpoint that stands for EventBridge (the bus is the delivering function's). */
export const EVENTBRIDGE_ENDPOINT = 'eventbridge';

export interface CreditSettings {
  /** The credit policy (default DEFAULT_CREDIT_POLICY), validated. */
  policy?: unknown;
  /** Overrides the policy's holdStart (configuration CREDIT_HOLD_START). */
  holdStart?: HoldStartRule;
  /** Order-system URLs that receive the signed event webhook. */
  webhookUrls?: readonly string[];
  /** Secret that signs outgoing webhooks and authenticates /credit/* callers (HMAC). */
  secrets?: readonly string[];
  /** `queue` (local: background, coalesced) or `inline` (Lambda: before the write returns). */
  refresh?: 'queue' | 'inline' | 'off';
  /** IAM principal ARN (or suffix) → roles. */
  principalRoles?: Record<string, readonly string[]>;
  /**
   * Every event is also delivered to EventBridge: a delivery to the endpoint "eventbridge" is stored
   * beside the webhooks' (same retries, dead-lettering and replay); `publisher` sends it (AWS: the
   * credit-jobs function, which holds the bus and its PutEvents grant).
   */
  eventBridge?: boolean;
  /** Sends the "eventbridge" deliveries (AWS: eventBridgePublisher). */
  publisher?: EventPublisher;
  /**
   * `inline` (default; local): deliveries due are sent right after the events are stored, and the
   * retries by a timer; `scheduled` (Lambda): only the credit-jobs function delivers, every minute.
   */
  dispatch?: 'inline' | 'scheduled';
  /** Replaces the HTTP sender (tests). */
  sender?: WebhookSender;
  maxAttempts?: number;
  baseDelayMs?: number;
}

export function composeCredit(opts: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  ledger: DynamoLedger;
  /** Letters sent change what the warning-deadline rule and the letters' dates say: refreshed after each. */
  dunning?: { markSent(l: { customerId: string }, ...rest: never[]): Promise<unknown> };
  timeZone: string;
  dunningPolicy: Policy;
  now?: () => Date;
  settings?: CreditSettings;
  audit?: AuditLog;
  log?: (line: string) => void;
}) {
  const s = opts.settings ?? {};
  const now = opts.now ?? (() => new Date());
  const policy: CreditPolicy = s.policy ? parseCreditPolicy(s.policy) : DEFAULT_CREDIT_POLICY;
  const endpoints = [...(s.webhookUrls ?? []), ...(s.eventBridge ? [EVENTBRIDGE_ENDPOINT] : [])];
  const store = new DynamoCreditStore({ doc: opts.doc, tableName: opts.tableName, ledger: opts.ledger, webhookEndpoints: () => endpoints });
  const http = s.sender ?? httpWebhookSender({ secret: s.secrets?.[0] ?? 'unsigned', now });
  const sender: WebhookSender = {
    async send(endpoint, event, key) {
      if (endpoint !== EVENTBRIDGE_ENDPOINT) return http.send(endpoint, event, key);
      if (!s.publisher) throw new Error('no EventBridge publisher in this function: the credit-jobs function delivers these');
      await s.publisher.publish([event]);
      return { status: 200 };
    },
  };
  const dispatch: DispatchDeps = {
    outbox: store,
    sender,
    now,
    ...(s.maxAttempts ? { maxAttempts: s.maxAttempts } : {}),
    ...(s.baseDelayMs ? { baseDelayMs: s.baseDelayMs } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  };
  let delivering: Promise<unknown> = Promise.resolve();
  const onEvents = (_events: CreditEvent[]) => {
    // The deliveries due now (stored with the events); failures stay in the outbox for the retry.
    if (s.dispatch === 'scheduled' || !endpoints.length) return;
    delivering = delivering.then(() => dispatchDue(dispatch)).catch((err) => opts.log?.(`credit events: ${(err as Error).message}`));
  };
  const deps: CreditDeps = {
    store,
    policy: s.holdStart ? { ...policy, holdStart: s.holdStart } : policy,
    holdRules: { holdStart: s.holdStart ?? policy.holdStart, warningPayWithinDays: opts.dunningPolicy.stages.warning?.payWithinDays ?? 5 },
    timeZone: opts.timeZone,
    now,
    ...(opts.audit ? { audit: opts.audit } : {}),
    onEvents,
  };
  const refresh = (customerId: string) => refreshCustomer(deps, customerId);
  const refresher: Refresher =
    s.refresh === 'off'
      ? { changed: async () => undefined, idle: async () => undefined }
      : s.refresh === 'inline'
        ? inlineRefresher(refresh, opts.log)
        : queuedRefresher(refresh, { ...(opts.log ? { log: opts.log } : {}) });
  // After every ledger write that changed something, the customer's snapshot is recomputed.
  const apply = opts.ledger.apply.bind(opts.ledger);
  opts.ledger.apply = async (command: LedgerCommand, origin: CommandOrigin): Promise<ApplyResult> => {
    const r = await apply(command, origin);
    if (r.status !== 'duplicate') await refresher.changed(command.customerId);
    return r;
  };
  if (opts.dunning) {
    const markSent = opts.dunning.markSent.bind(opts.dunning);
    opts.dunning.markSent = async (l: { customerId: string }, ...rest: never[]) => {
      const r = await markSent(l, ...rest);
      await refresher.changed(l.customerId);
      return r;
    };
  }
  /** What a dunning letter says about shipments, from the customer file the run read. */
  const noticeFor = (f: CustomerFile, stage: string, invoiceIds: readonly string[], runDate: CalendarDate) => {
    const snap = f.items.get('CREDIT');
    const s0 = snap ? toSnapshot(snap) : undefined;
    const openCase = f.items.get('OPEN_CASE');
    const letters: Record<string, { stage: string; runDate: string }[]> = {};
    for (const h of f.stageHistory) letters[h.invoiceId] = h.stages;
    return noticeForLetter(
      deps.policy,
      deps.holdRules,
      {
        openInvoices: f.openInvoices,
        letters,
        ...(s0 ? { terms: s0.terms, contractTerms: s0.contractTerms } : {}),
        customerType: s0?.customerType ?? f.profile?.segment ?? 'wholesale',
        ...(openCase ? { openCase: { ...(openCase.openedOn ? { openedOn: openCase.openedOn as CalendarDate } : {}) } } : {}),
      },
      { stage, invoiceIds, runDate },
    );
  };
  return {
    deps,
    store,
    noticeFor,
    refresher,
    dispatch,
    /** Settles deliveries started by onEvents (tests). */
    delivered: () => delivering,
    principalRoles: s.principalRoles ?? {},
    secrets: s.secrets ?? [],
  };
}
export type ComposedCredit = ReturnType<typeof composeCredit>;
