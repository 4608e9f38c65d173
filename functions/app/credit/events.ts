/**
 * Outgoing credit events: stored with the snapshot change that caused them (one transaction, so a
 * status change is never lost), then delivered at least once: EventBridge in AWS, and a signed webhook
 * to each configured order-system URL, retried with exponential backoff and dead-lettered after the
 * last attempt; an operator can replay a dead (or delivered) delivery.
 *
 * Webhook: POST <url>, body = the event JSON, headers
 *   Content-Type: application/json
 *   Idempotency-Key: <eventId>            (the same on every retry: receivers drop repeats)
 *   X-Claimflow-Event: <type>
 *   X-Claimflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>   (as the billing webhook)
 */
import type { CreditEvent, CreditEventOutbox, EventPublisher, WebhookDelivery, WebhookSender } from '../../ports/credit.js';

export interface DispatchDeps {
  outbox: CreditEventOutbox;
  sender: WebhookSender;
  now: () => Date;
  /** Attempts before a delivery is dead-lettered (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at 1 h (default 10 s). */
  baseDelayMs?: number;
  log?: (line: string) => void;
}

export const backoffMs = (attempt: number, base: number): number => Math.min(3_600_000, base * 2 ** Math.max(0, attempt - 1));

/** Delivers what is due; returns how many were delivered, retried and dead-lettered. */
export async function dispatchDue(deps: DispatchDeps, limit = 50): Promise<{ delivered: number; retried: number; dead: number }> {
  const max = deps.maxAttempts ?? 8;
  const base = deps.baseDelayMs ?? 10_000;
  const out = { delivered: 0, retried: 0, dead: 0 };
  const due = await deps.outbox.due(deps.now().toISOString(), limit);
  for (const d of due) {
    const attempts = d.attempts + 1;
    try {
      await deps.sender.send(d.endpoint, d.event, d.eventId);
      await deps.outbox.update({ ...d, attempts, status: 'delivered', deliveredAt: deps.now().toISOString() });
      out.delivered++;
    } catch (err) {
      const lastError = err instanceof Error ? err.message : String(err);
      if (attempts >= max) {
        await deps.outbox.update({ ...d, attempts, status: 'dead', lastError });
        deps.log?.(`credit event ${d.eventId} → ${d.endpoint}: dead-lettered after ${attempts} attempts (${lastError}); replay with claimflow credit events replay ${d.eventId}`);
        out.dead++;
      } else {
        await deps.outbox.update({ ...d, attempts, lastError, nextAttemptAt: new Date(deps.now().getTime() + backoffMs(attempts, base)).toISOString() });
        out.retried++;
      }
    }
  }
  return out;
}

/** Puts a delivery (dead or delivered) back to pending, due now. */
export async function replayEvent(deps: Pick<DispatchDeps, 'outbox' | 'now'>, eventId: string): Promise<WebhookDelivery[]> {
  const ds = await deps.outbox.list({ eventId });
  const now = deps.now().toISOString();
  const replayed: WebhookDelivery[] = [];
  for (const d of ds) {
    if (d.status === 'pending') continue;
    const next: WebhookDelivery = { ...d, status: 'pending', attempts: 0, nextAttemptAt: now };
    delete (next as Partial<WebhookDelivery>).deliveredAt;
    await deps.outbox.update(next);
    replayed.push(next);
  }
  return replayed;
}

/** A publisher that does nothing (locally the webhook is the channel). */
export const noPublisher: EventPublisher = { publish: async () => undefined };

export type { CreditEvent };
