/**
 * Webhook signing secrets of the local stack. The built-in ones below are public on purpose (local
 * only; docs/webhooks.md lists them) so an integrator can sign a valid local event; the
 * BILLING_WEBHOOK_SECRETS, STRIPE_WEBHOOK_SECRETS and CLOUDPAYMENTS_API_SECRETS variables
 * (comma-separated, as in the cloud) are merged in, e.g. the whsec_… that `stripe listen` prints.
 */
export const LOCAL_SECRETS = {
  billing: 'local-billing-secret',
  stripe: 'whsec_local_stripe_secret',
  cloudpayments: 'local-cloudpayments-secret',
};

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function localWebhookSecrets(env: Record<string, string | undefined>): { billing: string[]; stripe: string[]; cloudpayments: string[] } {
  const uniq = (a: string[]) => [...new Set(a)];
  return {
    billing: uniq([LOCAL_SECRETS.billing, ...list(env.BILLING_WEBHOOK_SECRETS)]),
    stripe: uniq([LOCAL_SECRETS.stripe, ...list(env.STRIPE_WEBHOOK_SECRETS)]),
    cloudpayments: uniq([LOCAL_SECRETS.cloudpayments, ...list(env.CLOUDPAYMENTS_API_SECRETS)]),
  };
}

/** Addresses the local stack accepts YooKassa notifications from, besides YooKassa's own ranges: this machine. */
export const LOCAL_YOOKASSA_LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];
