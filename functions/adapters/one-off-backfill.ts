/**
 * The shape every one-off index back-fill shares (search-index-backfill.ts, balance-index-backfill.ts):
 * a marker item `CONFIG` / `<name>` says it is complete (then it is one GetItem); otherwise a filtered
 * Scan finds the items written before the index existed, each is given its index entry, and the
 * marker is written last — not on an empty table, which must keep looking empty (e.g. to the local
 * stack's demo loader). A run cut off before the marker is simply run again: the Scan's filter skips
 * the items already indexed.
 */
import { GetCommand, PutCommand, paginateScan, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

export interface OneOffBackfill {
  /** The marker's sort key under PK `CONFIG`. */
  marker: string;
  /** Finds what needs an entry (projected to what `index` reads). */
  scan: { FilterExpression: string; ExpressionAttributeValues: Record<string, unknown>; ProjectionExpression: string };
  /** Gives one scanned item its entry; false when it needed none after all (or was rewritten meanwhile). */
  index(item: Item, customerId: string): Promise<boolean>;
}

const markerKey = (marker: string) => ({ PK: 'CONFIG', SK: marker });

/** Whether the back-fill named by `marker` has completed on this table. */
export async function backfillDone(doc: DynamoDBDocumentClient, tableName: string, marker: string): Promise<boolean> {
  const r = await doc.send(new GetCommand({ TableName: tableName, Key: markerKey(marker) }));
  return Boolean(r.Item);
}

export async function runOneOffBackfill(
  doc: DynamoDBDocumentClient,
  tableName: string,
  b: OneOffBackfill,
  now: () => Date = () => new Date(),
): Promise<{ ran: boolean; indexed: number }> {
  if (await backfillDone(doc, tableName, b.marker)) return { ran: false, indexed: 0 };
  let indexed = 0;
  let scanned = 0;
  for await (const page of paginateScan({ client: doc }, { TableName: tableName, ...b.scan })) {
    scanned += page.ScannedCount ?? 0;
    for (const it of (page.Items ?? []) as Item[]) {
      if (await b.index(it, String(it.customerId ?? String(it.PK).slice('CUST#'.length)))) indexed++;
    }
  }
  if (scanned) await doc.send(new PutCommand({ TableName: tableName, Item: { ...markerKey(b.marker), at: now().toISOString(), indexed } }));
  return { ran: true, indexed };
}
