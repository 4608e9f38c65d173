/**
 * The ledger's DynamoDB items and the records they store (single table, table-design.ts). Attribute
 * names; all amounts are decimal strings, dates 'YYYY-MM-DD':
 *
 *  DEDUPE#<source>#<eventId> / DEDUPE
 *    entryKey, customerId, source, eventId, at (ISO), expiresAt (epoch s, TTL = at + DEDUPE_TTL_DAYS)
 *  CUST#<id> / ENTRY#<entryKey>                  (append-only; upserts overwrite with rev+1)
 *    kind='entry', entryKey, type (command type), date? (business date), command (the parsed command),
 *    origin {source, eventId, receivedAt, archiveRef?}, recordedAt (ISO), rev (1.. ; upserts only >1)
 *  CUST#<id> / SUMMARY
 *    kind='summary', customerId, legalName, version (= Σ rev of entries), balances {CUR: amount},
 *    receivable {CUR}, unappliedCredit {CUR}, refundDebt {CUR}, openInvoiceCount, minOpenDueDate?,
 *    pendingCount, lastEntryDate?, updatedAt,
 *    GSI1PK='DEBTORS#<shard>', GSI1SK='<minOpenDueDate>#<customerId>'  (only while an invoice is open)
 *  CUST#<id> / PROFILE                            (UpdateItem: only these attributes; others keep theirs)
 *    GSI1PK='CUSTOMERS#<shard>', GSI1SK='<folded name>#<customerId>', searchText (console search)
 *    kind='profile', customerId, legalName, taxId?, kpp?, emails[], phone?, postalAddress?, locale,
 *    segment, manager?, paymentTermsDays?, creditLimit? {amount, currency}, updatedAt
 *  CUST#<id> / CONTRACT#<contractId>
 *    kind='contract', customerId, contractId, number, date, currency, paymentTermsDays, penalty?, updatedAt
 *  CUST#<id> / INVOICE#<invoiceId>                (derived; rewritten when the fold changes it)
 *    kind='invoice', customerId, invoiceId, number, contractId?, contractNumber?, contractDate?,
 *    issueDate, dueDate, currency, amount, outstanding, status ('open'|'paid'|'void'), voidedOn?,
 *    paidOn? (date of the last allocation of a paid invoice), allocations [{source, amount, date, reason}]
 *    (active allocations in fold order), updatedAt
 *  CONFIG / PERIOD_CLOSE
 *    closedThrough, by, reason, at
 *  AUDIT#period-close / <at>#<closedThrough>      history of closes: closedThrough, previous?, by, reason, at
 *  AUDIT#ledger-refusal / <at>#<source>#<eventId> refused commands (never dropped):
 *    kind='ledger-refusal', customerId, entryKey, commandType, entryDate?, command, origin, code,
 *    message, fields? [{field, message}], closedThrough?, at, GSI2PK='REFUSALS#<customerId>', GSI2SK=at
 */
import { entryDate, type LedgerCommand } from '../domain/ledger/commands.js';
import type { CalendarDate } from '../domain/dates.js';
import type { Currency } from '../domain/money.js';
import type { CommandOrigin, CustomerProfileView, CustomerSummary, InvoiceDetail, OpenInvoiceView, RefusalRecord, StoredEntry, SummaryRecord } from '../ports/ledger.js';
import { customerSearchEntry, DEDUPE_TTL_DAYS, debtorShard, keys } from './table-design.js';
import { clean, type Item } from './dynamo-helpers.js';

export const REFUSAL_SCOPE = 'ledger-refusal';
export const PERIOD_SCOPE = 'period-close';

export function dedupeItem(customerId: string, origin: Pick<CommandOrigin, 'source' | 'eventId'>, entryKey: string, at: string): Item {
  return {
    ...keys.dedupe(origin.source, origin.eventId),
    entryKey,
    customerId,
    source: origin.source,
    eventId: origin.eventId,
    at,
    expiresAt: Math.floor(Date.parse(at) / 1000) + DEDUPE_TTL_DAYS * 86_400,
  };
}

export function entryItem(customerId: string, e: StoredEntry & { origin: CommandOrigin; recordedAt: string }): Item {
  const date = entryDate(e.command);
  return clean({
    ...keys.entry(customerId, e.entryKey),
    kind: 'entry',
    entryKey: e.entryKey,
    type: e.command.type,
    ...(date ? { date } : {}),
    command: e.command,
    origin: e.origin,
    recordedAt: e.recordedAt,
    rev: e.rev,
  });
}

export function toEntry(it: Item): StoredEntry {
  return {
    entryKey: it.entryKey as string,
    command: it.command as LedgerCommand,
    origin: it.origin as CommandOrigin | undefined,
    recordedAt: it.recordedAt as string | undefined,
    rev: (it.rev as number | undefined) ?? 1,
  };
}

export function summaryItem(customerId: string, s: SummaryRecord, version: number, at: string): Item {
  return clean({
    ...keys.customerSummary(customerId),
    kind: 'summary',
    customerId,
    ...s,
    version,
    updatedAt: at,
    ...(s.minOpenDueDate ? keys.debtorIndex(debtorShard(customerId), s.minOpenDueDate, customerId) : {}),
    ...(holdsBalance(s) ? keys.balanceIndex(debtorShard(customerId), customerId) : {}),
  });
}

/** Unapplied credit or a refund debt in some currency (decimal strings: any non-zero digit): the balance index holds the customer. */
export function holdsBalance(s: Pick<SummaryRecord, 'unappliedCredit' | 'refundDebt'>): boolean {
  return [...Object.values(s.unappliedCredit ?? {}), ...Object.values(s.refundDebt ?? {})].some((v) => /[1-9]/.test(String(v ?? '')));
}

export function summaryOf(customerId: string, i: Item): CustomerSummary {
  return clean({
    customerId,
    legalName: i.legalName as string | undefined,
    version: i.version as number,
    balances: (i.balances ?? {}) as CustomerSummary['balances'],
    receivable: (i.receivable ?? {}) as CustomerSummary['receivable'],
    unappliedCredit: (i.unappliedCredit ?? {}) as CustomerSummary['unappliedCredit'],
    refundDebt: (i.refundDebt ?? {}) as CustomerSummary['refundDebt'],
    openInvoiceCount: (i.openInvoiceCount as number | undefined) ?? 0,
    minOpenDueDate: i.minOpenDueDate as CalendarDate | undefined,
    pendingCount: (i.pendingCount as number | undefined) ?? 0,
  });
}

const PROFILE_FIELDS = ['legalName', 'taxId', 'kpp', 'emails', 'phone', 'postalAddress', 'locale', 'segment', 'manager', 'paymentTermsDays', 'creditLimit'] as const;

/** SET the profile fields the command carries, REMOVE the optional ones it omits; other attributes stay. */
export function profileUpdate(c: Extract<LedgerCommand, { type: 'customer.upsert' }>, at: string) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':kind': 'profile', ':cid': c.customerId, ':at': at };
  const sets = ['#kind = :kind', 'customerId = :cid', 'updatedAt = :at'];
  names['#kind'] = 'kind';
  const removes: string[] = [];
  const data = clean(c) as Record<string, unknown>;
  for (const f of PROFILE_FIELDS) {
    names[`#${f}`] = f;
    if (data[f] === undefined) removes.push(`#${f}`);
    else {
      sets.push(`#${f} = :${f}`);
      values[`:${f}`] = data[f];
    }
  }
  // The tax-id index entry (GSI2): the bank import finds the payer's customer by INN with one Query.
  if (typeof data.taxId === 'string') {
    const ix = keys.taxIdIndex(data.taxId, c.customerId);
    sets.push('GSI2PK = :taxIdPk', 'GSI2SK = :taxIdSk');
    values[':taxIdPk'] = ix.GSI2PK;
    values[':taxIdSk'] = ix.GSI2SK;
  } else removes.push('GSI2PK', 'GSI2SK');
  // The name index entry (GSI1 CUSTOMERS#<shard>): the console's server-side customer search.
  const ix1 = customerSearchEntry(c.customerId, c.legalName, c.taxId);
  sets.push('GSI1PK = :nameIxPk', 'GSI1SK = :nameIxSk', 'searchText = :searchText');
  values[':nameIxPk'] = ix1.GSI1PK;
  values[':nameIxSk'] = ix1.GSI1SK;
  values[':searchText'] = ix1.searchText;
  return {
    Key: keys.customerProfile(c.customerId),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export function contractItem(c: Extract<LedgerCommand, { type: 'contract.upsert' }>, at: string): Item {
  const { type: _t, ...rest } = c;
  return clean({ ...keys.contract(c.customerId, c.contractId), kind: 'contract', ...rest, updatedAt: at });
}

export function profileView(customerId: string, i: Item): CustomerProfileView | undefined {
  if (!i.legalName) return undefined;
  return clean({
    customerId,
    legalName: i.legalName as string,
    taxId: i.taxId as string | undefined,
    kpp: i.kpp as string | undefined,
    emails: (i.emails as string[] | undefined) ?? [],
    undeliverableEmails: i.undeliverableEmails as string[] | undefined,
    postalAddress: i.postalAddress as CustomerProfileView['postalAddress'],
    locale: (i.locale as 'ru' | 'en' | undefined) ?? 'ru',
    segment: (i.segment as string | undefined) ?? 'wholesale',
    manager: i.manager as string | undefined,
  });
}

export function invoiceItem(customerId: string, d: InvoiceDetail, at: string): Item {
  const { amount, outstanding, ...rest } = d;
  return {
    ...keys.invoice(customerId, d.invoiceId),
    kind: 'invoice',
    customerId,
    ...rest,
    currency: amount.currency,
    amount: amount.amount,
    outstanding: outstanding.amount,
    updatedAt: at,
  };
}

export function invoiceView(i: Item): OpenInvoiceView {
  const currency = i.currency as Currency;
  return clean({
    invoiceId: i.invoiceId as string,
    number: i.number as string,
    contractId: i.contractId as string | undefined,
    contractNumber: i.contractNumber as string | undefined,
    contractDate: i.contractDate as CalendarDate | undefined,
    issueDate: i.issueDate as CalendarDate,
    dueDate: i.dueDate as CalendarDate,
    amount: { amount: i.amount as string, currency },
    outstanding: { amount: i.outstanding as string, currency },
    status: i.status as OpenInvoiceView['status'],
  });
}

/** The invoice with its allocations as an INVOICE# item stores it. */
export function invoiceDetailOf(i: Item): InvoiceDetail {
  return clean({
    ...invoiceView(i),
    voidedOn: i.voidedOn as CalendarDate | undefined,
    paidOn: i.paidOn as CalendarDate | undefined,
    allocations: (i.allocations as InvoiceDetail['allocations'] | undefined) ?? [],
  });
}

export const byDueDate = (a: OpenInvoiceView, b: OpenInvoiceView) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.invoiceId < b.invoiceId ? -1 : 1);

export function refusalItem(r: RefusalRecord): Item {
  return clean({
    ...keys.audit(REFUSAL_SCOPE, r.at, `${r.origin.source}#${r.origin.eventId}`),
    kind: 'ledger-refusal',
    ...r,
    GSI2PK: `REFUSALS#${r.customerId}`,
    GSI2SK: r.at,
  });
}
