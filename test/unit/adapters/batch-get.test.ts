/**
 * BatchGetItem may answer part of the keys and return the rest as UnprocessedKeys (throttling, 16 MB);
 * every BatchGet of the adapters goes through functions/adapters/batch-get.ts, which asks again for them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, batchPutAll } from '../../../functions/adapters/batch-get.js';
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

describe('batchPutAll (the ledger history import)', () => {
  const item = (i: number) => ({ PK: `CUST#c${i}`, SK: 'ENTRY#1', n: i });
  type WriteInput = { RequestItems: Record<string, { PutRequest: { Item: { n: number } } }[]> };

  it('writes at most 25 items a request and sends the unprocessed ones again until all are written', async () => {
    // Prepare: 60 items; each request leaves its last item unprocessed the first time.
    const written: number[] = [];
    const leftOnce = new Set<number>();
    mock.on(BatchWriteCommand).callsFake((input: WriteInput) => {
      const asked = input.RequestItems[TABLE]!;
      const last = asked.at(-1)!;
      if (asked.length > 1 && !leftOnce.has(last.PutRequest.Item.n)) {
        leftOnce.add(last.PutRequest.Item.n);
        written.push(...asked.slice(0, -1).map((r) => r.PutRequest.Item.n));
        return { UnprocessedItems: { [TABLE]: [last] } };
      }
      written.push(...asked.map((r) => r.PutRequest.Item.n));
      return {};
    });
    // Act
    await batchPutAll(
      doc,
      TABLE,
      Array.from({ length: 60 }, (_, i) => item(i)),
      { random: () => 0 },
    );
    // Assess
    expect([...written].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const sizes = mock.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.[TABLE]?.length);
    expect(sizes).toEqual([25, 1, 25, 1, 10, 1]);
  });

  it('items that stay unprocessed end in a TransientError carrying them, after a bounded number of requests', async () => {
    // Prepare: item 1 is never written (before, the import looped on it for ever).
    mock.on(BatchWriteCommand).callsFake((input: WriteInput) => ({ UnprocessedItems: { [TABLE]: input.RequestItems[TABLE]!.filter((r) => r.PutRequest.Item.n === 1) } }));
    // Act
    const err = await batchPutAll(doc, TABLE, [item(0), item(1)], { maxAttempts: 3, random: () => 0 }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'TRANSIENT', cause: { unprocessedItems: [{ PutRequest: { Item: item(1) } }] } });
    expect((err as Error).message).toContain('BatchWriteItem on claimflow-test left 1 of 2 items unprocessed after 3 attempts');
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(3);
  });
});
