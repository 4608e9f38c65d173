/**
 * Every BatchGetItem of the adapters goes through `batchGetAll`: keys in requests of at most 100 (the
 * API's limit), up to `concurrency` requests in flight, and the keys DynamoDB leaves unprocessed
 * (throttling, the 16 MB answer limit) asked for again with full-jitter backoff (functions/util/retry.ts).
 * The SDK's own retries do not cover those: a BatchGetItem that answers part of its keys succeeded.
 * When keys are still unprocessed after `maxAttempts` requests, a TransientError carrying them is thrown
 * (the state machines retry it; the API answers 503), never a silently shorter answer.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  let pending = chunk;
  const maxAttempts = opts.maxAttempts ?? BATCH_GET_MAX_ATTEMPTS;
  await retryOnConflict(
    async () => {
      const r = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending } } }));
      out.push(...((r.Responses?.[table] ?? []) as Item[]));
      pending = (r.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
      return pending.length ? retry(pending) : undefined;
    },
    {
      maxAttempts,
      baseMs: BASE_MS,
      capMs: CAP_MS,
      ...(opts.random ? { random: opts.random } : {}),
      exhausted: (unprocessed, attempts) =>
        new TransientError(`BatchGetItem on ${table} left ${(unprocessed as Item[]).length} of ${chunk.length} keys unprocessed after ${attempts} attempts`, {
          cause: { unprocessedKeys: unprocessed },
        }),
    },
  );
  return out;
}
