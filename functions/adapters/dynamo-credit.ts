/**
 * DynamoDB adapter of credit control (single table, docs/credit.md):
 *
 *   CUST#<id> / CREDIT                 the credit snapshot: facts, terms, reservations (map by orderId),
 *                                      overrides (map by id), status, discipline; `rev` (optimistic lock),
 *                                      `headroom` (number: limit − exposure − reservations);
 *                                      GSI2 CREDITS#<shard 0..7> / <customerId> (every snapshot)
 *   CUST#<id> / CREDIT#PROFILE         customer type, group, individual terms (set by an operator)
 *   CUST#<id> / OVERRIDE#<id>          an override as granted / revoked; GSI2 CREDIT#OVERRIDES / <grantedAt>#<id>
 *   CUST#<id> / CREDITCAT#<at>#<n>     a category change with reasons and proposed terms
 *   CREDITGROUP#<groupId> / MEMBER#<customerId>   group membership
 *   CREDITGROUP#<groupId> / EXPOSURE   the group's running exposure: `used_<currency>` (numbers) = the sum of
 *                                      its members' `groupShare`; moved in the same transaction as every
 *                                      snapshot write or reservation that changes a share
 *   CREDITEVT#<eventId> / EVENT        an outgoing event; / DELIVERY#<n> one delivery per webhook URL,
 *                                      GSI2 CREDITDELIVERY#pending / <nextAttemptAt>#<eventId>#<n> while pending
 *
 * A check reads the snapshot with one GetItem (and the group item for a member of a group with a limit).
 * A reservation is one conditional UpdateItem on the snapshot (customer and contract headroom), in one
 * transaction with a conditional UpdateItem of the group item when the customer is in a group.
 */
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure, queryAll } from './dynamo-helpers.js';
import { batchGetAll } from './batch-get.js';
import type { DynamoLedgerReader } from './dynamo-ledger-reader.js';
import { debtorShard, DEBTOR_SHARDS } from './table-design.js';
import type { CategoryChange, Override } from '../domain/credit/index.js';
import type { CalendarDate } from '../domain/dates.js';
import { type Currency, roundMoney } from '../domain/money.js';
import type {
  CreditEvent,
  CreditEventOutbox,
  CreditProfile,
  CreditSnapshot,
  CreditSource,
  CreditStore,
  GroupDelta,
  ReserveConditions,
  ReserveResult,
  StoredReservation,
  WebhookDelivery,
} from '../ports/credit.js';

type Item = Record<string, unknown>;

export const creditKeys = {
  snapshot: (customerId: string) => ({ PK: `CUST#${customerId}`, SK: 'CREDIT' }),
  profile: (customerId: string) => ({ PK: `CUST#${customerId}`, SK: 'CREDIT#PROFILE' }),
  override: (customerId: string, id: string) => ({ PK: `CUST#${customerId}`, SK: `OVERRIDE#${id}` }),
  categoryChange: (customerId: string, at: string, n: string) => ({ PK: `CUST#${customerId}`, SK: `CREDITCAT#${at}#${n}` }),
  groupMember: (groupId: string, customerId: string) => ({ PK: `CREDITGROUP#${groupId}`, SK: `MEMBER#${customerId}` }),
  groupExposure: (groupId: string) => ({ PK: `CREDITGROUP#${groupId}`, SK: 'EXPOSURE' }),
  event: (eventId: string) => ({ PK: `CREDITEVT#${eventId}`, SK: 'EVENT' }),
  delivery: (eventId: string, n: number) => ({ PK: `CREDITEVT#${eventId}`, SK: `DELIVERY#${String(n).padStart(3, '0')}` }),
};
const SNAPSHOT_INDEX = (customerId: string) => `CREDITS#${debtorShard(customerId)}`;
const OVERRIDES_INDEX = 'CREDIT#OVERRIDES';
const PENDING_INDEX = 'CREDITDELIVERY#pending';

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** The group item's attribute holding the running exposure in one currency. */
export const usedAttr = (currency: string) => `used_${currency}`;
const numbers = (m: Record<string, string | undefined>): Record<string, number> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Number(v)]));
const decimals = (m: Record<string, unknown> | undefined, currencyOf: (k: string) => Currency): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, roundMoney(String(v), currencyOf(k)).amount]));

export function toSnapshot(i: Item): CreditSnapshot {
  const { PK: _p, SK: _s, GSI2PK: _g, GSI2SK: _h, kind: _k, headroom, overrides, contractHeadroom, groupShare, ...rest } = i;
  const ov: CreditSnapshot['overrides'] = {};
  for (const [id, o] of Object.entries((overrides as Record<string, Item> | undefined) ?? {})) {
    const { usedN, ...x } = o as Item & { usedN?: number | string };
    const maxAmount = x.maxAmount as { currency: Currency };
    ov[id] = { ...(x as unknown as Override), ...(usedN !== undefined ? { used: roundMoney(String(usedN), maxAmount.currency) } : {}) };
  }
  const snap = rest as unknown as CreditSnapshot;
  const gs = groupShare as { groupId: string; byCurrency?: Record<string, unknown> } | undefined;
  return {
    ...snap,
    overrides: ov,
    ...(headroom !== undefined ? { headroom: String(headroom) } : {}),
    ...(contractHeadroom !== undefined
      ? { contractHeadroom: decimals(contractHeadroom as Record<string, unknown>, (id) => snap.contractTerms?.[id]?.limit?.currency ?? 'RUB') }
      : {}),
    ...(gs ? { groupShare: { groupId: gs.groupId, byCurrency: decimals(gs.byCurrency, (c) => c as Currency) } } : {}),
  };
}

function snapshotItem(s: CreditSnapshot): Item {
  const { headroom, overrides, contractHeadroom, groupShare, ...rest } = s;
  const ov: Record<string, unknown> = {};
  for (const [id, o] of Object.entries(overrides)) {
    const { used, ...x } = o;
    ov[id] = { ...x, ...(used ? { usedN: Number(used.amount) } : {}) };
  }
  return {
    ...creditKeys.snapshot(s.customerId),
    kind: 'credit-snapshot',
    ...plain(rest),
    overrides: plain(ov),
    ...(headroom !== undefined ? { headroom: Number(headroom) } : {}),
    // Always maps (possibly empty): a reservation updates paths inside them.
    contractHeadroom: numbers(contractHeadroom ?? {}),
    ...(groupShare ? { groupShare: { groupId: groupShare.groupId, byCurrency: numbers(groupShare.byCurrency) } } : {}),
    GSI2PK: SNAPSHOT_INDEX(s.customerId),
    GSI2SK: s.customerId,
  };
}

export class DynamoCreditStore implements CreditStore, CreditEventOutbox {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly ledger: DynamoLedgerReader;
  private readonly endpoints: () => readonly string[];
  constructor(opts: { doc: DynamoDBDocumentClient; tableName: string; ledger: DynamoLedgerReader; webhookEndpoints?: () => readonly string[] }) {
    this.doc = opts.doc;
    this.table = opts.tableName;
    this.ledger = opts.ledger;
    this.endpoints = opts.webhookEndpoints ?? (() => []);
  }

  async snapshot(customerId: string, opts: { consistent?: boolean } = {}): Promise<CreditSnapshot | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: creditKeys.snapshot(customerId), ...(opts.consistent ? { ConsistentRead: true } : {}) }));
    return r.Item ? toSnapshot(r.Item) : undefined;
  }

  async snapshots(customerIds: readonly string[]): Promise<CreditSnapshot[]> {
    return (await batchGetAll(this.doc, this.table, customerIds.map(creditKeys.snapshot))).map(toSnapshot);
  }

  async allSnapshots(): Promise<CreditSnapshot[]> {
    const out: CreditSnapshot[] = [];
    for (let shard = 0; shard < DEBTOR_SHARDS; shard++) {
      for (const it of await this.query({
        TableName: this.table,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': `CREDITS#${shard}` },
      })) {
        out.push(toSnapshot(it));
      }
    }
    return out.sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
  }

  async groupMembers(groupId: string): Promise<string[]> {
    const items = await this.query({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)',
      ExpressionAttributeValues: { ':pk': `CREDITGROUP#${groupId}`, ':m': 'MEMBER#' },
    });
    return items.map((i) => String(i.customerId));
  }

  async groupExposure(groupId: string, opts: { consistent?: boolean } = {}): Promise<Partial<Record<Currency, string>>> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: creditKeys.groupExposure(groupId), ...(opts.consistent ? { ConsistentRead: true } : {}) }));
    const out: Partial<Record<Currency, string>> = {};
    for (const [k, v] of Object.entries(r.Item ?? {})) if (k.startsWith('used_')) out[k.slice(5) as Currency] = roundMoney(String(v), k.slice(5) as Currency).amount;
    return out;
  }

  /** The update of a group item that adds signed amounts to its running exposure (creates the item if needed). */
  private groupUpdate(d: GroupDelta): { Update: Record<string, unknown> } | undefined {
    const entries = Object.entries(d.byCurrency).filter(([, v]) => v !== undefined && Number(v) !== 0);
    if (!entries.length) return undefined;
    const names: Record<string, string> = { '#kind': 'kind', '#g': 'groupId' };
    const values: Record<string, unknown> = { ':z': 0, ':kind': 'credit-group-exposure', ':g': d.groupId };
    const sets = ['#kind = :kind', '#g = :g'];
    entries.forEach(([c, v], n) => {
      names[`#u${n}`] = usedAttr(c);
      values[`:d${n}`] = Number(v);
      sets.push(`#u${n} = if_not_exists(#u${n}, :z) + :d${n}`);
    });
    return {
      Update: {
        TableName: this.table,
        Key: creditKeys.groupExposure(d.groupId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  async source(customerId: string): Promise<CreditSource | undefined> {
    const f = await this.ledger.customerFile(customerId);
    if (!f.profile && f.entries.length === 0) return undefined;
    const letters: CreditSource['letters'] = {};
    for (const h of f.stageHistory) letters[h.invoiceId] = h.stages;
    const promises = f.pauses
      .filter((p) => p.kind === 'promise' && p.amount)
      .map((p) => ({ date: p.until as CalendarDate, amount: p.amount!, madeOn: p.at.slice(0, 10) as CalendarDate }));
    const openCase = f.items.get('OPEN_CASE');
    const profile = f.items.get('CREDIT#PROFILE');
    const current = f.items.get('CREDIT');
    return {
      customerId,
      ...(f.profile ? { legalName: f.profile.legalName, segment: f.profile.segment } : {}),
      commands: f.entries.map((e) => e.command),
      ledgerVersion: f.version,
      letters,
      promises,
      ...(openCase?.caseId ? { openCase: { caseId: String(openCase.caseId), ...(openCase.openedOn ? { openedOn: openCase.openedOn as CalendarDate } : {}) } } : {}),
      ...(profile ? { profile: stripKeys(profile) as CreditProfile } : {}),
      ...(current ? { current: toSnapshot(current) } : {}),
    };
  }

  async putSnapshot(
    s: CreditSnapshot,
    expectedRev: number | undefined,
    extras: { events: CreditEvent[]; categoryChange?: CategoryChange; overrideItems?: Override[]; groupDeltas?: GroupDelta[] },
  ): Promise<boolean> {
    const put = {
      Put: {
        TableName: this.table,
        Item: snapshotItem(s),
        ConditionExpression: expectedRev === undefined ? 'attribute_not_exists(PK)' : 'rev = :rev',
        ...(expectedRev === undefined ? {} : { ExpressionAttributeValues: { ':rev': expectedRev } }),
      },
    };
    const more: ({ Put: { TableName: string; Item: Item } } | { Update: Record<string, unknown> })[] = [];
    for (const d of extras.groupDeltas ?? []) {
      const u = this.groupUpdate(d);
      if (u) more.push(u);
    }
    const endpoints = this.endpoints();
    for (const e of extras.events) {
      more.push({ Put: { TableName: this.table, Item: { ...creditKeys.event(e.eventId), kind: 'credit-event', ...plain(e) } } });
      endpoints.forEach((endpoint, n) =>
        more.push({
          Put: { TableName: this.table, Item: deliveryItem({ eventId: e.eventId, endpoint, status: 'pending', attempts: 0, nextAttemptAt: e.occurredAt, event: e }, n) },
        }),
      );
    }
    if (extras.categoryChange) {
      more.push({
        Put: {
          TableName: this.table,
          Item: { ...creditKeys.categoryChange(s.customerId, s.updatedAt, String(s.rev)), kind: 'credit-category-change', at: s.updatedAt, ...plain(extras.categoryChange) },
        },
      });
    }
    for (const o of extras.overrideItems ?? []) {
      more.push({
        Put: {
          TableName: this.table,
          Item: { ...creditKeys.override(o.customerId, o.overrideId), kind: 'credit-override', ...plain(o), GSI2PK: OVERRIDES_INDEX, GSI2SK: `${o.grantedAt}#${o.overrideId}` },
        },
      });
    }
    try {
      if (more.length === 0) await this.doc.send(new PutCommand({ ...put.Put }));
      else await this.doc.send(new TransactWriteCommand({ TransactItems: [put, ...more] as never }));
      return true;
    } catch (e) {
      // A failed condition or a transaction collision (the group item is shared): the caller reads again.
      if (isConditionalCheckFailure(e)) return false;
      throw e;
    }
  }

  async reserve(customerId: string, r: StoredReservation, cond: ReserveConditions): Promise<ReserveResult> {
    const names: Record<string, string> = { '#res': 'reservations', '#o': r.orderId };
    const values: Record<string, unknown> = { ':r': plain(r), ':one': 1 };
    const sets = ['#res.#o = :r', 'rev = rev + :one'];
    const conds = ['attribute_exists(PK)', 'attribute_not_exists(#res.#o)'];
    if (Number(cond.net) !== 0) {
      values[':net'] = Number(cond.net);
      sets.push('headroom = headroom - :net');
      if (cond.checkHeadroom) conds.push('headroom >= :net');
    }
    if (cond.contract && Number(cond.contract.net) !== 0) {
      names['#ch'] = 'contractHeadroom';
      names['#k'] = cond.contract.contractId;
      values[':cnet'] = Number(cond.contract.net);
      sets.push('#ch.#k = #ch.#k - :cnet');
      conds.push(cond.contract.check ? '#ch.#k >= :cnet' : 'attribute_exists(#ch.#k)');
    }
    const group = cond.group && Number(cond.group.net) !== 0 ? cond.group : undefined;
    if (group) {
      names['#gs'] = 'groupShare';
      names['#gc'] = group.currency;
      values[':gnet'] = Number(group.net);
      values[':gid'] = group.groupId;
      values[':zero'] = 0;
      sets.push('#gs.byCurrency.#gc = if_not_exists(#gs.byCurrency.#gc, :zero) + :gnet');
      conds.push('#gs.groupId = :gid');
    }
    if (cond.override) {
      names['#ovs'] = 'overrides';
      names['#ov'] = cond.override.overrideId;
      values[':atMost'] = Number(cond.override.usedAtMost);
      values[':used'] = Number(cond.override.newUsed);
      values[':zero'] = 0;
      sets.push('#ovs.#ov.usedN = if_not_exists(#ovs.#ov.usedN, :zero) + :used');
      conds.push('(attribute_not_exists(#ovs.#ov.usedN) OR #ovs.#ov.usedN <= :atMost)');
    }
    const snapshotUpdate = {
      TableName: this.table,
      Key: creditKeys.snapshot(customerId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: conds.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    try {
      if (!group) await this.doc.send(new UpdateCommand(snapshotUpdate));
      else {
        // The snapshot and the group's running exposure move together: the group's limit holds across members.
        const g = this.groupUpdate({ groupId: group.groupId, byCurrency: { [group.currency]: group.net } })!.Update;
        const gc =
          group.usedAtMost !== undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#u0) OR #u0 <= :max',
                ExpressionAttributeValues: { ...(g.ExpressionAttributeValues as object), ':max': Number(group.usedAtMost) },
              }
            : {};
        await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: snapshotUpdate }, { Update: { ...g, ...gc } }] as never }));
      }
      return 'reserved';
    } catch (e) {
      if (isConditionalCheckFailure(e)) return 'conflict';
      throw e;
    }
  }

  async putProfile(customerId: string, profile: CreditProfile): Promise<void> {
    const before = await this.doc.send(new GetCommand({ TableName: this.table, Key: creditKeys.profile(customerId), ConsistentRead: true }));
    const oldGroup = before.Item?.groupId as string | undefined;
    const items: { Put?: unknown; Delete?: unknown }[] = [
      { Put: { TableName: this.table, Item: { ...creditKeys.profile(customerId), kind: 'credit-profile', ...plain(profile) } } },
    ];
    if (oldGroup && oldGroup !== profile.groupId) items.push({ Delete: { TableName: this.table, Key: creditKeys.groupMember(oldGroup, customerId) } });
    if (profile.groupId) items.push({ Put: { TableName: this.table, Item: { ...creditKeys.groupMember(profile.groupId, customerId), kind: 'credit-group-member', customerId } } });
    await this.doc.send(new TransactWriteCommand({ TransactItems: items as never }));
  }

  async overrides(opts: { customerId?: string } = {}): Promise<Override[]> {
    const items = opts.customerId
      ? await this.query({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
          ExpressionAttributeValues: { ':pk': `CUST#${opts.customerId}`, ':p': 'OVERRIDE#' },
          ConsistentRead: true,
        })
      : await this.query({
          TableName: this.table,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk',
          ExpressionAttributeValues: { ':pk': OVERRIDES_INDEX },
          ScanIndexForward: false,
        });
    return items.map((i) => stripKeys(i) as unknown as Override);
  }

  async categoryChanges(customerId?: string): Promise<CategoryChange[]> {
    if (!customerId) return [];
    const items = await this.query({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
      ExpressionAttributeValues: { ':pk': `CUST#${customerId}`, ':p': 'CREDITCAT#' },
      ConsistentRead: true,
    });
    return items.map((i) => stripKeys(i) as unknown as CategoryChange);
  }

  // ------------------------------------------------------------------------- event outbox

  async due(now: string, limit: number): Promise<WebhookDelivery[]> {
    const items = await this.query(
      {
        TableName: this.table,
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK <= :now',
        ExpressionAttributeValues: { ':pk': PENDING_INDEX, ':now': `${now}#\uffff` },
      },
      limit,
    );
    return items.map((i) => stripKeys(i) as unknown as WebhookDelivery);
  }

  async update(d: WebhookDelivery): Promise<void> {
    const n = Number((d as WebhookDelivery & { n?: number }).n ?? 0);
    await this.doc.send(new PutCommand({ TableName: this.table, Item: deliveryItem(d, n) }));
  }

  async list(opts: { status?: WebhookDelivery['status']; eventId?: string }): Promise<WebhookDelivery[]> {
    if (opts.eventId) {
      const items = await this.query({
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': `CREDITEVT#${opts.eventId}`, ':p': 'DELIVERY#' },
        ConsistentRead: true,
      });
      return items.map((i) => stripKeys(i) as unknown as WebhookDelivery).filter((d) => !opts.status || d.status === opts.status);
    }
    if (opts.status === 'pending' || !opts.status) return this.due('\uffff', 1000);
    const items = await this.query({
      TableName: this.table,
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': `CREDITDELIVERY#${opts.status}` },
    });
    return items.map((i) => stripKeys(i) as unknown as WebhookDelivery);
  }

  private query(input: QueryCommandInput, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    return queryAll(this.doc, input, limit);
  }
}

function deliveryItem(d: WebhookDelivery, n: number): Item {
  return {
    ...creditKeys.delivery(d.eventId, n),
    kind: 'credit-delivery',
    n,
    ...plain(d),
    // Pending deliveries are found by due time; dead ones stay listed for replay.
    ...(d.status === 'pending'
      ? { GSI2PK: PENDING_INDEX, GSI2SK: `${d.nextAttemptAt}#${d.eventId}#${n}` }
      : d.status === 'dead'
        ? { GSI2PK: 'CREDITDELIVERY#dead', GSI2SK: `${d.nextAttemptAt}#${d.eventId}#${n}` }
        : {}),
  };
}

function stripKeys(i: Item): Item {
  const { PK: _p, SK: _s, GSI2PK: _g, GSI2SK: _h, kind: _k, ...rest } = i;
  return rest;
}
