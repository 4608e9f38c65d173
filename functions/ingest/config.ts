/**
 * Ingestion configuration: the webhook config, built from the webhook function's validated
 * environment (functions/config.ts) and the signing-secret document.
 */
import { z } from 'zod';
import { ConfigError } from '../domain/errors.js';

/** YooKassa's published notification sender ranges (https://yookassa.ru/developers/using-api/webhooks). */
export const YOOKASSA_DEFAULT_CIDRS = ['185.71.76.0/27', '185.71.77.0/27', '77.75.153.0/25', '77.75.156.11', '77.75.156.35', '77.75.154.128/25', '2a02:5180::/32'] as const;

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

/**
 * The webhook function's validated environment (functions/config.ts FUNCTION_ENV.webhook) → the
 * ingestion config. Secrets come from Secrets Manager (WEBHOOK_SECRETS_ARN, JSON
 * {"billing":["…"],"stripe":"whsec_…"|[…],"cloudpayments":"…"|[…]}, merged in by withSecrets) and/or,
 * for local runs, from the comma-separated *_SECRETS variables.
 */
export function webhookConfigFrom(e: {
  BILLING_WEBHOOK_SECRETS?: string[] | undefined;
  STRIPE_WEBHOOK_SECRETS?: string[] | undefined;
  CLOUDPAYMENTS_API_SECRETS?: string[] | undefined;
  YOOKASSA_ALLOWLIST?: string[] | undefined;
  WEBHOOK_TOLERANCE_SECONDS: number;
  COMPANY_TIME_ZONE: string;
}): WebhookConfig {
  const cidrs = e.YOOKASSA_ALLOWLIST;
  return defaultWebhookConfig({
    billingSecrets: e.BILLING_WEBHOOK_SECRETS ?? [],
    signatureToleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS,
    stripeSecrets: e.STRIPE_WEBHOOK_SECRETS ?? [],
    yookassaAllowedCidrs: cidrs === undefined ? [...YOOKASSA_DEFAULT_CIDRS] : cidrs.length === 1 && cidrs[0] === 'none' ? [] : cidrs,
    cloudpaymentsSecrets: e.CLOUDPAYMENTS_API_SECRETS ?? [],
    timeZone: e.COMPANY_TIME_ZONE,
  });
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
