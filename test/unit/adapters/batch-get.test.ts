/**
 * BatchGetItem may answer part of the keys and return the rest as UnprocessedKeys (throttling, 16 MB);
 * every BatchGet of the adapters goes through functions/adapters/batch-get.ts, which asks again for them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../../../functions/adapters/batch-get.js';
import { DynamoConsoleReads } from '../../../functions/adapters/dynamo-console.js';
import { DynamoCreditStore } from '../../../functions/adapters/dynamo-credit.js';
import { DynamoDunningStore } from '../../../functions/adapters/dynamo-dunning.js';
import { TransientError } from '../../../functions/domain/errors.js';

const TABLE = 'claimflow-test';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const mock = mockClient(doc);
afterEach(() => {
  mock.reset();
  vi.restoreAllMocks();
});

const profileKey = (id: string) => ({ PK: `CUST#${id}`, SK: 'PROFILE' });
const profile = (id: string) => ({ ...profileKey(id), customerId: id, legalName: `ООО ${id}` });

describe('DynamoDunningStore.profiles', () => {
  it('asks again for the keys DynamoDB left unprocessed, so every profile is returned', async () => {
    // Prepare: the first answer carries a and b, and leaves c unprocessed; the second answers c.
    mock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { [TABLE]: [profile('a'), profile('b')] }, UnprocessedKeys: { [TABLE]: { Keys: [profileKey('c')] } } })
      .resolvesOnce({ Responses: { [TABLE]: [profile('c')] } });
    const store = new DynamoDunningStore({ doc, tableName: TABLE });
    // Act
    const found = await store.profiles(['a', 'b', 'c']);
    // Assess
    expect(found.map((p) => p.customerId).sort()).toEqual(['a', 'b', 'c']);
    const asked = mock.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.Keys);
    expect(asked).toEqual([[profileKey('a'), profileKey('b'), profileKey('c')], [profileKey('c')]]);
  });
});

describe('batchGetAll', () => {
  it('asks for at most 100 keys a request and returns every item once the unprocessed ones are answered', async () => {
    // Prepare: 250 keys; every request leaves its last key unprocessed the first time it is asked.
    const ids = Array.from({ length: 250 }, (_, i) => `c${i}`);
    const leftOnce = new Set<string>();
    mock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { PK: string }[] }> }) => {
      const asked = input.RequestItems[TABLE]!.Keys.map((k) => k.PK.slice('CUST#'.length));
      const last = asked.at(-1)!;
      if (asked.length > 1 && !leftOnce.has(last)) {
        leftOnce.add(last);
        return { Responses: { [TABLE]: asked.slice(0, -1).map(profile) }, UnprocessedKeys: { [TABLE]: { Keys: [profileKey(last)] } } };
      }
      return { Responses: { [TABLE]: asked.map(profile) } };
    });
    // Act
    const found = await batchGetAll(doc, TABLE, ids.map(profileKey), { random: () => 0 });
    // Assess
    expect(found.map((p) => p.customerId).sort()).toEqual([...ids].sort());
    const sizes = mock.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.Keys?.length);
    expect(sizes.filter((n) => n! > 1)).toEqual([100, 100, 50]);
    expect(sizes.filter((n) => n === 1)).toHaveLength(3);
  });

  it('keys that stay unprocessed end in a TransientError carrying them, after a bounded number of requests', async () => {
    // Prepare: DynamoDB answers a, and never b.
    mock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { PK: string }[] }> }) => {
      const asked = input.RequestItems[TABLE]!.Keys;
      return { Responses: { [TABLE]: asked.some((k) => k.PK === 'CUST#a') ? [profile('a')] : [] }, UnprocessedKeys: { [TABLE]: { Keys: [profileKey('b')] } } };
    });
    // Act
    const failing = batchGetAll(doc, TABLE, [profileKey('a'), profileKey('b')], { maxAttempts: 4, random: () => 0 });
    // Assess
    const err = await failing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ name: 'TransientError', code: 'TRANSIENT', cause: { unprocessedKeys: [profileKey('b')] } });
    expect((err as Error).message).toContain('1 of 2 keys unprocessed after 4 attempts');
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(4);
  });

  it('the dunning profiles, credit snapshots and console reads fail the same way instead of answering short', async () => {
    // Prepare: no backoff sleep (full jitter draws 0).
    vi.spyOn(Math, 'random').mockReturnValue(0);
    mock
      .on(BatchGetCommand)
      .callsFake((input: { RequestItems: Record<string, { Keys: unknown[] }> }) => ({ UnprocessedKeys: { [TABLE]: { Keys: input.RequestItems[TABLE]!.Keys } } }));
    const store = new DynamoDunningStore({ doc, tableName: TABLE });
    const credit = new DynamoCreditStore({ doc, tableName: TABLE, ledger: {} as never });
    const reads = new DynamoConsoleReads({ doc, tableName: TABLE } as never);
    // Act / Assess
    await expect(store.profiles(['a'])).rejects.toBeInstanceOf(TransientError);
    await expect(credit.snapshots(['a'])).rejects.toBeInstanceOf(TransientError);
    await expect(reads.runLetters('2026-11-24', [{ customerId: 'a', stage: 'reminder' }])).rejects.toBeInstanceOf(TransientError);
    await expect(reads.customerBriefs(['a'])).rejects.toBeInstanceOf(TransientError);
  });
});
