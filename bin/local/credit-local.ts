/**
 * Credit control on the local stack: its settings (the public local secret "local-credit-secret",
 * signing both the /credit/* calls and the outgoing event webhooks; CREDIT_WEBHOOK_URLS and
 * CREDIT_HOLD_START from the environment), the /credit/* machine routes, the event dispatcher's retry
 * timer and the periodic sweep.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Composed } from '../../functions/adapters/compose.js';
import type { ComposedCredit, CreditSettings } from '../../functions/adapters/compose-credit.js';
import { handleCreditApi, MAX_CREDIT_BODY_BYTES } from '../../functions/operator/credit-api.js';
import { readBody } from '../../functions/operator/node-http.js';
import { dispatchDue } from '../../functions/app/credit/events.js';
import { sweep } from '../../functions/app/credit/service.js';
import { HOLD_START_RULES, type HoldStartRule } from '../../functions/domain/credit/index.js';

export const LOCAL_CREDIT_SECRET = 'local-credit-secret';

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function localCreditSettings(env: Record<string, string | undefined>, given: CreditSettings = {}): CreditSettings {
  const hold = env.CREDIT_HOLD_START;
  if (hold && !(HOLD_START_RULES as readonly string[]).includes(hold)) throw new Error(`CREDIT_HOLD_START must be one of ${HOLD_START_RULES.join(', ')}`);
  return {
    secrets: [LOCAL_CREDIT_SECRET, ...list(env.CREDIT_API_SECRETS)],
    webhookUrls: list(env.CREDIT_WEBHOOK_URLS),
    refresh: 'queue',
    baseDelayMs: 2_000,
    ...(hold ? { holdStart: hold as HoldStartRule } : {}),
    ...given,
  };
}

/** Serves POST /credit/checks and /credit/reservations; false when the path is not one of them. */
export async function serveCreditApi(credit: ComposedCredit, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith('/credit/')) return false;
  const body = await readBody(req, MAX_CREDIT_BODY_BYTES + 1);
  const raw = body === 'too-large' ? Buffer.alloc(MAX_CREDIT_BODY_BYTES + 1) : body;
  const out = await handleCreditApi(
    { credit: credit.deps, secrets: credit.secrets },
    {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
      rawBody: raw,
    },
  );
  res.writeHead(out.statusCode, out.headers);
  res.end(out.body);
  return true;
}

/** Retries due webhook deliveries every few seconds and sweeps the snapshots hourly (holds that start with the day). */
export function startCreditTimers(app: Composed, opts: { dispatchMs?: number; sweepMs?: number; log?: (l: string) => void } = {}): () => Promise<void> {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await dispatchDue(app.credit.dispatch);
    } catch (err) {
      opts.log?.(`credit events: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  };
  const d = setInterval(() => void tick(), opts.dispatchMs ?? 2_000);
  const s = setInterval(() => void sweep(app.credit.deps).catch((err) => opts.log?.(`credit sweep: ${(err as Error).message}`)), opts.sweepMs ?? 3_600_000);
  d.unref();
  s.unref();
  return async () => {
    clearInterval(d);
    clearInterval(s);
    await app.credit.refresher.idle();
    await app.credit.delivered();
  };
}
