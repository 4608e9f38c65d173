/**
 * The signed outgoing credit webhook (HTTP POST with fetch) and the EventBridge publisher.
 * Signature as the billing webhook: X-Claimflow-Signature: t=<unix s>,v1=<HMAC-SHA256(secret, "<t>.<body>")>.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { signBilling } from '../ingest/billing.js';
import type { CreditEvent, EventPublisher, WebhookSender } from '../ports/credit.js';

export const CREDIT_EVENT_SOURCE = 'claimflow.credit';

export function httpWebhookSender(opts: { secret: string; timeoutMs?: number; now?: () => Date }): WebhookSender {
  return {
    async send(endpoint, event, idempotencyKey) {
      const body = JSON.stringify(event);
      const t = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          'x-claimflow-event': event.type,
          'x-claimflow-signature': signBilling(body, opts.secret, t),
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`);
      return { status: res.status };
    },
  };
}

export function eventBridgePublisher(opts: { busName: string; client: EventBridgeClient }): EventPublisher {
  const client = opts.client;
  return {
    async publish(events: readonly CreditEvent[]) {
      for (let i = 0; i < events.length; i += 10) {
        const r = await client.send(
          new PutEventsCommand({
            Entries: events
              .slice(i, i + 10)
              .map((e) => ({ EventBusName: opts.busName, Source: CREDIT_EVENT_SOURCE, DetailType: e.type, Detail: JSON.stringify(e), Time: new Date(e.occurredAt) })),
          }),
        );
        if (r.FailedEntryCount) throw new Error(`EventBridge refused ${r.FailedEntryCount} credit event(s)`);
      }
    },
  };
}
