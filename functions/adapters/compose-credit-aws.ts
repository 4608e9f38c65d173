/**
 * Credit control in Lambda (called from the handlers through compose.ts): the settings every function
 * that composes credit reads from its configuration (functions/config.ts CREDIT), the machine API's
 * deps (/credit/checks, /credit/reservations with the HMAC keys of the secret document), and the
 * scheduled jobs' deps (event delivery, the snapshot sweep).
 *
 * In Lambda nothing runs after the answer, so snapshots are refreshed inline (before a ledger write's
 * answer) and events are only stored: the credit-jobs function delivers them every minute
 * (workflows/credit-schedule.ts), to the order systems' URLs and to EventBridge.
 */
import { z } from 'zod';
import type { FunctionConfig } from '../config.js';
import { ConfigError } from '../domain/errors.js';
import type { CreditApiDeps } from '../operator/credit-api.js';
import type { AwsClients } from './aws-clients.js';
import { DynamoLedger } from './compose-ledger.js';
import { composeCredit, type ComposedCredit, type CreditSettings } from './compose-credit.js';
import { eventBridgePublisher } from './credit-webhook.js';
import { DynamoAuditLog } from './dynamo-audit.js';
import { createSecretSource } from './webhook-secrets.js';
import { PRESETS } from '../domain/policy/index.js';

type CreditEnv = Partial<FunctionConfig<'creditJobs'>>;

/** Credit settings of a Lambda function: inline refresh, scheduled delivery. */
export function creditSettingsFrom(cfg: CreditEnv, more: Partial<CreditSettings> = {}): CreditSettings {
  return {
    refresh: 'inline',
    dispatch: 'scheduled',
    webhookUrls: cfg.CREDIT_WEBHOOK_URLS ?? [],
    eventBridge: cfg.CREDIT_EVENTBRIDGE === 'on',
    ...(cfg.CREDIT_HOLD_START ? { holdStart: cfg.CREDIT_HOLD_START } : {}),
    ...(cfg.CREDIT_PRINCIPAL_ROLES ? { principalRoles: cfg.CREDIT_PRINCIPAL_ROLES } : {}),
    ...(cfg.CREDIT_POLICY ? { policy: cfg.CREDIT_POLICY } : {}),
    ...more,
  };
}

const zCreditKeys = z.object({ credit: z.union([z.string(), z.array(z.string())]).optional() });
/** The "credit" keys of the webhook secret document: {"credit": ["<hmac key>", …]} (first: signs outgoing events). */
export function creditSecretsOf(secretString: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch (err) {
    throw new ConfigError('WEBHOOK_SECRETS_ARN: the secret is not JSON {"billing":[…],"credit":[…],…}', { cause: err });
  }
  const r = zCreditKeys.safeParse(parsed);
  if (!r.success) throw new ConfigError(`WEBHOOK_SECRETS_ARN: credit: ${r.error.issues.map((i) => i.message).join('; ')}`);
  const v = r.data.credit ?? [];
  return (Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter(Boolean);
}

/** Credit control over a ledger of this function (its apply refreshes the snapshot inline). */
export function composeCreditFor(
  cfg: CreditEnv & { TABLE_NAME: string },
  clients: Pick<AwsClients, 'doc'>,
  ledger: DynamoLedger,
  more: Partial<CreditSettings> = {},
): ComposedCredit {
  return composeCredit({
    doc: clients.doc,
    tableName: cfg.TABLE_NAME,
    ledger,
    timeZone: cfg.COMPANY_TIME_ZONE ?? 'Europe/Moscow',
    dunningPolicy: PRESETS[cfg.DUNNING_POLICY ?? 'wholesale'],
    audit: new DynamoAuditLog({ doc: clients.doc, tableName: cfg.TABLE_NAME }),
    settings: creditSettingsFrom(cfg, more),
  });
}

/** credit-api: the machine API's deps, with the current HMAC keys (re-read after the TTL). */
export function composeCreditApiLambda(cfg: FunctionConfig<'creditApi'>, clients: AwsClients): () => Promise<CreditApiDeps> {
  const credit = composeCreditFor(cfg, clients, new DynamoLedger({ doc: clients.doc, tableName: cfg.TABLE_NAME, timeZone: cfg.COMPANY_TIME_ZONE }));
  const secrets = createSecretSource(clients.secrets, cfg.WEBHOOK_SECRETS_ARN, cfg.WEBHOOK_SECRETS_TTL_SECONDS);
  // The keys are parsed once per secret value (not per request): re-parsed only when the TTL read returns a new one.
  let parsed: { text: string; keys: string[] } | undefined;
  return async () => {
    const text = await secrets.current();
    if (parsed?.text !== text) parsed = { text, keys: creditSecretsOf(text) };
    return { credit: credit.deps, secrets: parsed.keys };
  };
}

/** credit-jobs: credit control with the outgoing events' signer (the first "credit" key) and EventBridge. */
export function composeCreditJobsLambda(cfg: FunctionConfig<'creditJobs'>, clients: AwsClients): () => Promise<ComposedCredit> {
  const secrets = createSecretSource(clients.secrets, cfg.WEBHOOK_SECRETS_ARN, cfg.WEBHOOK_SECRETS_TTL_SECONDS);
  let last: { key: string; composed: ComposedCredit } | undefined;
  return async () => {
    const keys = creditSecretsOf(await secrets.current());
    const key = keys[0] ?? '';
    if (!last || last.key !== key) {
      last = {
        key,
        // A ledger of its own per composition (composeCredit hooks its apply once).
        composed: composeCreditFor(cfg, clients, new DynamoLedger({ doc: clients.doc, tableName: cfg.TABLE_NAME, timeZone: cfg.COMPANY_TIME_ZONE }), {
          secrets: keys,
          // Never an unsigned webhook: without a "credit" key every delivery fails (and is retried, then dead-lettered).
          ...(key ? {} : { sender: { send: async () => Promise.reject(new Error('no "credit" key in the webhook secret document')) } }),
          ...(cfg.CREDIT_EVENT_BUS ? { publisher: eventBridgePublisher({ busName: cfg.CREDIT_EVENT_BUS, client: clients.events }) } : {}),
        }),
      };
    }
    return last.composed;
  };
}
