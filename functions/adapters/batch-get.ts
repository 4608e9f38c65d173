/**
 * Every BatchGetItem of the adapters goes through `batchGetAll`: keys in requests of at most 100 (the
 * API's limit), up to `concurrency` requests in flight, and the keys DynamoDB leaves unprocessed
 * (throttling, the 16 MB answer limit) asked for again with full-jitter backoff (functions/util/retry.ts).
 * The SDK's own retries do not cover those: a BatchGetItem that answers part of its keys succeeded.
 * When keys are still unprocessed after `maxAttempts` requests, a TransientError carrying them is thrown
 * (the state machines retry it; the API answers 503), never a silently shorter answer.
 * Every BatchWriteItem (`batchPutAll`: the ledger's history import) is bounded the same way: items in
 * requests of at most 25, the unprocessed ones sent again, then a TransientError carrying them.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../domain/errors.js';
import { retry, retryOnConflict } from '../util/retry.js';
import type { Item } from './dynamo-helpers.js';

/** BatchGetItem's limit of keys per request. */
export const BATCH_GET_MAX_KEYS = 100;

export interface BatchGetOptions {
  /** Requests per chunk of keys, the first included (default 8). */
  maxAttempts?: number;
  /** Chunks in flight at once (default 8). */
  concurrency?: number;
  /** Injected for tests (backoff jitter); default Math.random. */
  random?: () => number;
}

export const BATCH_GET_MAX_ATTEMPTS = 8;
const BASE_MS = 25;
const CAP_MS = 1_000;

/** The items of `keys` that exist, in no particular order (a missing item is left out). */
export async function batchGetAll(doc: DynamoDBDocumentClient, table: string, keys: readonly Item[], opts: BatchGetOptions = {}): Promise<Item[]> {
  const chunks: Item[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX_KEYS) chunks.push(keys.slice(i, i + BATCH_GET_MAX_KEYS));
  const out: Item[] = [];
  const concurrency = opts.concurrency ?? 8;
  for (let c = 0; c < chunks.length; c += concurrency) {
    for (const items of await Promise.all(chunks.slice(c, c + concurrency).map((chunk) => getChunk(doc, table, chunk, opts)))) out.push(...items);
  }
  return out;
}

async function getChunk(doc: DynamoDBDocumentClient, table: string, chunk: Item[], opts: BatchGetOptions): Promise<Item[]> {
  const out: Item[] = [];
  await untilProcessed(chunk, opts, 'BatchGetItem', table, 'keys', async (pending) => {
    const r = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
    out.push(...((r.Responses?.[table] ?? []) as Item[]));
    return (r.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
  });
  return out;
}

/** BatchWriteItem's limit of requests per call. */
export const BATCH_WRITE_MAX_ITEMS = 25;

/** Puts every item, 25 to a request, one request at a time (writes keep their order across chunks). */
export async function batchPutAll(doc: DynamoDBDocumentClient, table: string, items: readonly Item[], opts: Omit<BatchGetOptions, 'concurrency'> = {}): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_WRITE_MAX_ITEMS) {
    const requests = items.slice(i, i + BATCH_WRITE_MAX_ITEMS).map((Item) => ({ PutRequest: { Item } }));
    await untilProcessed(requests, opts, 'BatchWriteItem', table, 'items', async (pending) => {
      const r = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      return (r.UnprocessedItems?.[table] ?? []) as typeof pending;
    });
  }
}

/** Sends `first`, then what each answer left unprocessed, with backoff, at most maxAttempts times. */
async function untilProcessed<T>(
  first: T[],
  opts: Pick<BatchGetOptions, 'maxAttempts' | 'random'>,
  op: string,
  table: string,
  what: string,
  send: (pending: T[]) => Promise<T[]>,
): Promise<void> {
  let pending = first;
  await retryOnConflict(
    async () => {
      pending = await send(pending);
      return pending.length ? retry(pending) : undefined;
    },
    {
      maxAttempts: opts.maxAttempts ?? BATCH_GET_MAX_ATTEMPTS,
      baseMs: BASE_MS,
      capMs: CAP_MS,
      ...(opts.random ? { random: opts.random } : {}),
      exhausted: (unprocessed, attempts) =>
        new TransientError(`${op} on ${table} left ${(unprocessed as T[]).length} of ${first.length} ${what} unprocessed after ${attempts} attempts`, {
          cause: what === 'keys' ? { unprocessedKeys: unprocessed } : { unprocessedItems: unprocessed },
        }),
    },
  );
}
