/**
 * DynamoDB plumbing shared by the adapters: recognizing a failed condition, reading every page of a
 * Query or Scan (lib-dynamodb's paginators), and the one item clean-up every writer needs.
 */
import { paginateQuery, paginateScan, type DynamoDBDocumentClient, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;

/**
 * A write's condition did not hold: ConditionalCheckFailedException (a single write) or
 * TransactionCanceledException (a transaction: some item's condition failed, or it conflicted).
 */
export function isConditionalCheckFailure(err: unknown, opts: { conditionsOnly?: boolean } = {}): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'ConditionalCheckFailedException') return true;
  if (name !== 'TransactionCanceledException') return false;
  // conditionsOnly: a transaction counts only when an item's condition failed (not a conflict or throttling).
  return !opts.conditionsOnly || (cancellationReasons(err) ?? []).includes('ConditionalCheckFailed');
}

/** The per-item reasons of a cancelled transaction ('None' for items that were fine); undefined for any other error. */
export function cancellationReasons(err: unknown): string[] | undefined {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] } | undefined;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** Every item of a Query, page after page (stops once `limit` items are in; returns at most `limit`). */
export async function queryAll(doc: DynamoDBDocumentClient, input: QueryCommandInput, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
  const out: Item[] = [];
  for await (const page of paginateQuery({ client: doc }, input)) {
    out.push(...((page.Items ?? []) as Item[]));
    if (out.length >= limit) break;
  }
  return out.length > limit ? out.slice(0, limit) : out;
}

/** Every item of a Scan, page after page. */
export async function scanAll(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> {
  const out: Item[] = [];
  for await (const page of paginateScan({ client: doc }, input)) out.push(...((page.Items ?? []) as Item[]));
  return out;
}

export { clean } from '../util/clean.js';

/** An item without its table keys and kind: the record it stores. */
export function withoutKeys<T>(item: Item): T {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _s1, GSI2PK: _g2, GSI2SK: _s2, kind: _k, ...rest } = item;
  return rest as T;
}

/** An adapter over the single table: its document client and the table's name. */
export abstract class TableAdapter {
  protected readonly doc: DynamoDBDocumentClient;
  protected readonly table: string;
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string }) {
    this.doc = opts.doc;
    this.table = opts.tableName;
  }
}
