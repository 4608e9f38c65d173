/**
 * Credit control on the local stack: its settings (the public local secret "local-credit-secret",
 * signing both the /credit/* calls and the outgoing event webhooks; CREDIT_WEBHOOK_URLS and
 * CREDIT_HOLD_START from the environment), the /credit/* machine routes, and the delivery and sweep
 * schedules (workflows/credit-schedule.ts, the definitions the AWS stack synthesizes).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Composed } from '../../functions/adapters/compose.js';
import type { ComposedCredit, CreditSettings } from '../../functions/adapters/compose-credit.js';
import { handleCreditApi, MAX_CREDIT_BODY_BYTES } from '../../functions/operator/credit-api.js';
import { readBody } from '../../functions/operator/node-http.js';
import { runCreditJob } from '../../functions/app/credit/jobs.js';
import { CREDIT_SCHEDULES } from '../../workflows/credit-schedule.js';
import { cronerPattern } from '../../workflows/cron.js';
import { startLocalScheduler } from './scheduler.js';
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

/**
 * Credit control's schedules on the local stack: the same definitions the AWS stack synthesizes
 * (workflows/credit-schedule.ts: delivery every minute, the sweep hourly at minute 5, in the company
 * zone), run by the local scheduler (croner), each tick calling the same job as the credit-jobs Lambda.
 */
export function startCreditTimers(app: Composed, opts: { log?: (l: string) => void; schedules?: boolean } = {}): () => Promise<void> {
  const jobs = (opts.schedules === false ? [] : CREDIT_SCHEDULES).map((j) =>
    startLocalScheduler({
      pattern: cronerPattern(j.cron),
      timeZone: app.credit.deps.timeZone,
      unref: true,
      onTick: async () => {
        await runCreditJob({ credit: app.credit.deps, dispatch: app.credit.dispatch }, j.job);
      },
      onError: (err) => opts.log?.(`credit ${j.job}: ${(err as Error).message}`),
    }),
  );
  return async () => {
    for (const j of jobs) j.stop();
    await app.credit.refresher.idle();
    await app.credit.delivered();
  };
}
