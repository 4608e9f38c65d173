/**
 * Credit control in Lambda: the settings every function reads from CREDIT_* (inline refresh, scheduled
 * delivery), the "credit" keys of the secret document, and the delivery job the credit-jobs function
 * and the local scheduler both run (pages until the work runs out or time does; EventBridge is an
 * outbox endpoint like a webhook URL).
 */
import { describe, expect, it } from 'vitest';
import { creditSecretsOf, creditSettingsFrom } from '../../../functions/adapters/compose-credit-aws.js';
import { loadFunctionConfig } from '../../../functions/config.js';
import { runCreditJob } from '../../../functions/app/credit/jobs.js';
import type { CreditDeps } from '../../../functions/app/credit/service.js';
import type { CreditEvent, CreditEventOutbox, WebhookDelivery } from '../../../functions/ports/credit.js';

const event = (n: number): CreditEvent => ({ eventId: `evt-${n}`, type: 'credit.released', customerId: 'c-1', occurredAt: '2026-11-24T09:00:00.000Z', data: {} });

function memoryOutbox(deliveries: WebhookDelivery[]): CreditEventOutbox & { all: WebhookDelivery[] } {
  const all = deliveries;
  return {
    all,
    async due(now, limit) {
      return all.filter((d) => d.status === 'pending' && d.nextAttemptAt <= now).slice(0, limit);
    },
    async update(d) {
      all.splice(
        all.findIndex((x) => x.eventId === d.eventId && x.endpoint === d.endpoint),
        1,
        d,
      );
    },
    async list() {
      return all;
    },
  };
}

describe('credit control in Lambda', () => {
  it('reads CREDIT_* into settings: inline refresh, scheduled delivery, the roles map and EventBridge', () => {
    // Prepare
    const cfg = loadFunctionConfig('creditJobs', {
      TABLE_NAME: 't',
      WEBHOOK_SECRETS_ARN: 'arn:aws:secretsmanager:eu-central-1:1:secret:s',
      CREDIT_WEBHOOK_URLS: 'https://erp.example.ru/a, https://erp.example.ru/b',
      CREDIT_EVENTBRIDGE: 'on',
      CREDIT_HOLD_START: 'warning-deadline',
      CREDIT_PRINCIPAL_ROLES: '{"role/sales-head":["head_of_sales"]}',
    });
    // Act
    const s = creditSettingsFrom(cfg);
    // Assess
    expect(s).toEqual({
      refresh: 'inline',
      dispatch: 'scheduled',
      webhookUrls: ['https://erp.example.ru/a', 'https://erp.example.ru/b'],
      eventBridge: true,
      holdStart: 'warning-deadline',
      principalRoles: { 'role/sales-head': ['head_of_sales'] },
    });
    expect(() => loadFunctionConfig('creditJobs', { TABLE_NAME: 't', WEBHOOK_SECRETS_ARN: 'arn:x', CREDIT_WEBHOOK_URLS: 'ftp://x' })).toThrow(/CREDIT_WEBHOOK_URLS/);
    expect(() => loadFunctionConfig('creditApi', { TABLE_NAME: 't', WEBHOOK_SECRETS_ARN: 'arn:x', CREDIT_PRINCIPAL_ROLES: '{"r":["boss"]}' })).toThrow(/CREDIT_PRINCIPAL_ROLES/);
  });

  it('takes the "credit" keys of the webhook secret document (one or a list); none is an empty list', () => {
    // Assess
    expect(creditSecretsOf('{"billing":["b"],"credit":["k1"," k2 "]}')).toEqual(['k1', 'k2']);
    expect(creditSecretsOf('{"credit":"k"}')).toEqual(['k']);
    expect(creditSecretsOf('{"billing":["b"]}')).toEqual([]);
    expect(() => creditSecretsOf('not json')).toThrow(/WEBHOOK_SECRETS_ARN/);
  });

  it('the delivery job sends every due delivery page after page, retries failures later, and stops when time runs out', async () => {
    // Prepare: 120 due deliveries, one endpoint failing.
    const deliveries: WebhookDelivery[] = Array.from({ length: 120 }, (_, n) => ({
      eventId: `evt-${n}`,
      endpoint: n % 40 === 0 ? 'https://down.example' : n % 2 ? 'eventbridge' : 'https://erp.example',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: '2026-11-24T08:00:00.000Z',
      event: event(n),
    }));
    const outbox = memoryOutbox(deliveries);
    const sent: string[] = [];
    const dispatch = {
      outbox,
      now: () => new Date('2026-11-24T09:00:00.000Z'),
      sender: {
        async send(endpoint: string, e: CreditEvent) {
          if (endpoint === 'https://down.example') throw new Error('HTTP 503');
          sent.push(`${endpoint} ${e.eventId}`);
          return { status: 200 };
        },
      },
    };
    // Act
    const all = await runCreditJob({ credit: {} as CreditDeps, dispatch }, 'deliver', { timeLeftMs: () => 60_000 });
    const toEventBridge = sent.filter((s) => s.startsWith('eventbridge ')).length;
    const short = await runCreditJob(
      { credit: {} as CreditDeps, dispatch: { ...dispatch, outbox: memoryOutbox(deliveries.map((d) => ({ ...d, status: 'pending' }))) } },
      'deliver',
      {
        timeLeftMs: () => 5_000,
      },
    );
    // Assess
    expect(all).toEqual({ delivered: 117, retried: 3, dead: 0 });
    expect(toEventBridge).toBe(60);
    expect(outbox.all.filter((d) => d.status === 'pending').map((d) => [d.endpoint, d.attempts, d.nextAttemptAt])).toEqual(
      Array(3).fill(['https://down.example', 1, '2026-11-24T09:00:10.000Z']),
    );
    expect(short.delivered + short.retried).toBe(50);
  });
});
