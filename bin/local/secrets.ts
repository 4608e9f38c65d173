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

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

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

/**
 * The local archive's sealing key (<data dir>/secrets/archive-mac.key, 32 random bytes, mode 0600),
 * created on first start. It lives outside the archive folder: a file dropped into the archive
 * cannot carry a valid seal.
 */
export async function localArchiveKey(dataDir: string): Promise<Uint8Array> {
  const { mkdir, readFile, writeFile } = await import('node:fs/promises');
  const { randomBytes } = await import('node:crypto');
  const path = await import('node:path');
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, 'archive-mac.key');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = await readFile(file);
  if (key.length < 32) throw new Error(`${file} is damaged (${key.length} bytes): delete it to make a new one (earlier archived payloads can then no longer be replayed)`);
  return key;
}
