/**
 * A rotated webhook secret reaches warm instances within the TTL (docs/deploy.md promises minutes):
 * the secret document is cached by Powertools Parameters and read again once it is older than the TTL.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretSource } from '../../../functions/adapters/webhook-secrets.js';
import { withoutTaskTokens } from '../../../functions/operator/router.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('webhook secrets with a TTL', () => {
  it('serves the cached document within the TTL and the rotated one after it', async () => {
    // Prepare
    vi.useFakeTimers({ now: new Date('2026-11-24T09:00:00Z') });
    const client = new SecretsManagerClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const sm = mockClient(client);
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: '{"billing":["old"]}' }).resolves({ SecretString: '{"billing":["new"]}' });
    const source = createSecretSource(client, 'claimflow-prod/webhook-secrets', 300);

    // Act
    const first = await source.current();
    vi.advanceTimersByTime(299_000);
    const warm = await source.current();
    vi.advanceTimersByTime(2_000);
    const rotated = await source.current();

    // Assess
    expect([first, warm, rotated]).toEqual(['{"billing":["old"]}', '{"billing":["old"]}', '{"billing":["new"]}']);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('claim cases as operators see them', () => {
  it('never carry the approval task token', () => {
    // Prepare
    const c = { caseId: 'K-1', approvalRequest: { round: 1, token: 'AAAA-task-token', executionName: 'K-1-r1' }, events: [{ approvalRequest: { token: 'x' } }] };

    // Act
    const shown = withoutTaskTokens(c);

    // Assess
    expect(JSON.stringify(shown)).not.toContain('token');
    expect(shown.approvalRequest).toEqual({ round: 1, executionName: 'K-1-r1', waiting: true });
  });
});
