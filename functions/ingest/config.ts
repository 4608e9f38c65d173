/**
 * Ingestion configuration. `webhookConfigFromEnv` validates process.env at cold start; a missing or
 * bad variable throws ConfigError naming it.
 */
import { z } from 'zod';
import { ConfigError } from '../domain/errors.js';

/** YooKassa's published notification sender ranges (https://yookassa.ru/developers/using-api/webhooks). */
export const YOOKASSA_DEFAULT_CIDRS = [
  '185.71.76.0/27',
  '185.71.77.0/27',
  '77.75.153.0/25',
  '77.75.156.11',
  '77.75.156.35',
  '77.75.154.128/25',
  '2a02:5180::/32',
] as const;

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface WebhookConfig {
  /** HMAC secrets of the billing webhook; several during rotation (any one verifies). Empty = route disabled. */
  billingSecrets: string[];
  /** Allowed clock skew of the billing signature timestamp, seconds (default 300). Stripe uses the same window. */
  signatureToleranceSeconds: number;
  /** Stripe endpoint secrets (whsec_…); several during rotation. Empty = route disabled. */
  stripeSecrets: string[];
  /** Sender IP allowlist for YooKassa (CIDRs or single addresses, IPv4 and IPv6). Empty = route disabled. */
  yookassaAllowedCidrs: string[];
  /** CloudPayments API secrets (the HMAC key); several during rotation. Empty = route disabled. */
  cloudpaymentsSecrets: string[];
  /** Company IANA time zone: provider instants become business dates in it. */
  timeZone: string;
  /** Raw body limit in bytes (default 256 KB). */
  maxBodyBytes: number;
}

export const defaultWebhookConfig = (over: Partial<WebhookConfig> = {}): WebhookConfig => ({
  billingSecrets: [],
  signatureToleranceSeconds: 300,
  stripeSecrets: [],
  yookassaAllowedCidrs: [...YOOKASSA_DEFAULT_CIDRS],
  cloudpaymentsSecrets: [],
  timeZone: 'Europe/Moscow',
  maxBodyBytes: MAX_WEBHOOK_BODY_BYTES,
  ...over,
});

const list = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * Environment of the webhook Lambda (names shared with infra/service-stack.ts).
 * Secrets come from Secrets Manager (WEBHOOK_SECRETS_ARN, JSON
 * {"billing":["…"],"stripe":"whsec_…"|[…],"cloudpayments":"…"|[…]}) and/or, for local runs, from
 * the comma-separated *_SECRETS variables; both are merged.
 */
export const zWebhookEnv = z
  .object({
    /** DynamoDB ledger table. Required. */
    TABLE_NAME: z.string().min(1),
    /** Bucket for raw webhook payloads (the documents bucket). Required. */
    BUCKET_NAME: z.string().min(1),
    /** Key prefix of archived payloads (default "archive/"). */
    ARCHIVE_PREFIX: z.string().default('archive/'),
    /** SQS queue for processing failures (dead letters). Required. */
    DLQ_URL: z.url(),
    /** Secrets Manager secret with the signing secrets. Required unless BILLING_WEBHOOK_SECRETS is set. */
    WEBHOOK_SECRETS_ARN: z.string().startsWith('arn:').optional(),
    BILLING_WEBHOOK_SECRETS: list.optional(),
    STRIPE_WEBHOOK_SECRETS: list.optional(),
    CLOUDPAYMENTS_API_SECRETS: list.optional(),
    /** Comma-separated CIDRs; default YooKassa's published ranges; "none" disables /webhooks/yookassa. */
    YOOKASSA_ALLOWLIST: list.optional(),
    WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
    COMPANY_TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow').default('Europe/Moscow'),
  })
  .superRefine((e, ctx) => {
    if (!e.WEBHOOK_SECRETS_ARN && !e.BILLING_WEBHOOK_SECRETS?.length) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRETS_ARN'], message: 'is not set (nor BILLING_WEBHOOK_SECRETS): no way to verify billing signatures' });
    }
  });
export type WebhookEnv = z.output<typeof zWebhookEnv>;

/** Reads and validates the webhook Lambda's environment. Throws ConfigError naming each bad variable. */
export function webhookEnvFrom(env: Record<string, string | undefined>): { env: WebhookEnv; config: WebhookConfig } {
  const r = zWebhookEnv.safeParse(env);
  if (!r.success) {
    const names = r.error.issues.map((i) => `${i.path.join('.')}: ${i.input === undefined && i.code !== 'custom' ? 'is not set' : i.message}`);
    throw new ConfigError(`webhook configuration invalid: ${names.join('; ')}`, { cause: r.error });
  }
  const e = r.data;
  const cidrs = e.YOOKASSA_ALLOWLIST;
  return {
    env: e,
    config: defaultWebhookConfig({
      billingSecrets: e.BILLING_WEBHOOK_SECRETS ?? [],
      signatureToleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS,
      stripeSecrets: e.STRIPE_WEBHOOK_SECRETS ?? [],
      yookassaAllowedCidrs: cidrs === undefined ? [...YOOKASSA_DEFAULT_CIDRS] : cidrs.length === 1 && cidrs[0] === 'none' ? [] : cidrs,
      cloudpaymentsSecrets: e.CLOUDPAYMENTS_API_SECRETS ?? [],
      timeZone: e.COMPANY_TIME_ZONE,
    }),
  };
}

const zSecretList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));
/** The Secrets Manager document: {"billing":[…],"stripe":"…"|[…],"cloudpayments":"…"|[…]}. */
export const zWebhookSecrets = z.object({
  billing: zSecretList.default([]),
  stripe: zSecretList.default([]),
  cloudpayments: zSecretList.default([]),
});

/** Merges the secret document into the config (env-provided secrets stay, secret-store ones are added). */
export function withSecrets(config: WebhookConfig, secretString: string): WebhookConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch (err) {
    throw new ConfigError('WEBHOOK_SECRETS_ARN: the secret is not JSON {"billing":[…],"stripe":…,"cloudpayments":…}', { cause: err });
  }
  const r = zWebhookSecrets.safeParse(parsed);
  if (!r.success) throw new ConfigError(`WEBHOOK_SECRETS_ARN: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const uniq = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    ...config,
    billingSecrets: uniq(config.billingSecrets, r.data.billing),
    stripeSecrets: uniq(config.stripeSecrets, r.data.stripe),
    cloudpaymentsSecrets: uniq(config.cloudpaymentsSecrets, r.data.cloudpayments),
  };
}
