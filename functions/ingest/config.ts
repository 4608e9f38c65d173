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

/** Environment variables of the webhook Lambda. */
export const zWebhookEnv = z.object({
  /** DynamoDB table of the ledger. Required. */
  CLAIMFLOW_TABLE_NAME: z.string().min(1),
  /** S3 bucket for raw webhook payloads. Required. */
  CLAIMFLOW_ARCHIVE_BUCKET: z.string().min(1),
  /** S3 key prefix for archived payloads (default "webhooks/"). */
  CLAIMFLOW_ARCHIVE_PREFIX: z.string().default('webhooks/'),
  /** SQS queue URL for processing failures (dead letters). Required. */
  CLAIMFLOW_WEBHOOK_DLQ_URL: z.url(),
  /** Comma-separated billing webhook secrets. Required (at least one). */
  CLAIMFLOW_BILLING_WEBHOOK_SECRETS: list.pipe(z.array(z.string().min(16, 'each secret needs at least 16 characters')).min(1, 'at least one secret')),
  CLAIMFLOW_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Comma-separated Stripe endpoint secrets (whsec_…). Optional: empty disables /webhooks/stripe. */
  CLAIMFLOW_STRIPE_WEBHOOK_SECRETS: list.default([]),
  /** Comma-separated CIDRs; default: YooKassa's published ranges. "none" disables /webhooks/yookassa. */
  CLAIMFLOW_YOOKASSA_ALLOWED_CIDRS: list.optional(),
  /** Comma-separated CloudPayments API secrets. Optional: empty disables /webhooks/cloudpayments. */
  CLAIMFLOW_CLOUDPAYMENTS_API_SECRETS: list.default([]),
  CLAIMFLOW_TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow').default('Europe/Moscow'),
});
export type WebhookEnv = z.output<typeof zWebhookEnv>;

/** Reads and validates the webhook Lambda's environment. Throws ConfigError naming each bad variable. */
export function webhookEnvFrom(env: Record<string, string | undefined>): { env: WebhookEnv; config: WebhookConfig } {
  const r = zWebhookEnv.safeParse(env);
  if (!r.success) {
    const names = r.error.issues.map((i) => `${i.path.join('.')}: ${i.input === undefined ? 'is not set' : i.message}`);
    throw new ConfigError(`webhook configuration invalid: ${names.join('; ')}`, { cause: r.error });
  }
  const e = r.data;
  const cidrs = e.CLAIMFLOW_YOOKASSA_ALLOWED_CIDRS;
  return {
    env: e,
    config: defaultWebhookConfig({
      billingSecrets: e.CLAIMFLOW_BILLING_WEBHOOK_SECRETS,
      signatureToleranceSeconds: e.CLAIMFLOW_WEBHOOK_TOLERANCE_SECONDS,
      stripeSecrets: e.CLAIMFLOW_STRIPE_WEBHOOK_SECRETS,
      yookassaAllowedCidrs: cidrs === undefined ? [...YOOKASSA_DEFAULT_CIDRS] : cidrs.length === 1 && cidrs[0] === 'none' ? [] : cidrs,
      cloudpaymentsSecrets: e.CLAIMFLOW_CLOUDPAYMENTS_API_SECRETS,
      timeZone: e.CLAIMFLOW_TIME_ZONE,
    }),
  };
}
