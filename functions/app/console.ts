/**
 * Read use cases of the web console (the operator API's GET routes under functions/operator/routes/
 * console.ts): who am I, the run list and one run, the customer list and a customer card (ledger with
 * allocations, invoices with stage history, letters, pauses, penalty to date with its periods, open
 * claim case), an execution's history (local) and stored documents (letters, print batches, court
 * packages). Actions stay in functions/app/operator.ts and claims.ts.
 */
import { Decimal } from 'decimal.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { dateInZone, type CalendarDate } from '../domain/dates.js';
import { foldLedger } from '../domain/ledger/fold.js';
import { entryDate } from '../domain/ledger/commands.js';
import { penaltyForInvoices } from '../domain/penalties/for-invoices.js';
import { permissionsOf, type Action } from '../domain/roles.js';
import type { RuleData } from '../domain/rules/index.js';
import type { DocumentStore } from '../ports/index.js';
import type { ConsoleReads, CustomerCard, CustomerList, ExecutionHistory, MeView, RunListItem, RunView, RunViewLetter } from '../ports/console.js';
import type { OperatorDeps } from './operator.js';
import type { LetterRecord } from '../ports/dunning.js';

export interface ConsoleDeps {
  reads: ConsoleReads;
  documents: DocumentStore;
  rules: RuleData;
  /** The execution's page: the Step Functions console in AWS; absent locally (the console shows the recorded history). */
  executionUrl?: (executionName: string) => string;
}

export interface Me extends MeView {
  permissions: Record<Action, boolean>;
}

export const me = (identity: { by: string; roles: string[] } | undefined, by: string): Me =>
  identity
    ? { by: identity.by, roles: identity.roles, permissions: permissionsOf(identity.roles), signedIn: true }
    : { by, roles: [], permissions: permissionsOf([]), signedIn: false };

export async function listRuns(deps: ConsoleDeps, limit = 60): Promise<{ runs: RunListItem[] }> {
  return { runs: await deps.reads.listRuns(limit) };
}

/** The key of a stored document from its URI (s3://bucket/<key> or file:///…/documents/<key>). */
export const documentKeyOf = (uri: string | undefined): string | undefined => (uri ? /(?:^|\/)((?:letters|cases)\/.+)$/.exec(uri)?.[1] : undefined);

/** What the run view's letters may be filtered by (on the server), and the page. */
export interface RunViewQuery {
  stage?: string;
  status?: string;
  /** Text in the customer id or name (case-insensitive). */
  q?: string;
  offset?: number;
  limit?: number;
}

/**
 * One run for the console, one page at a time: the run record, its failures, and the letters as keys
 * only (customer, stage, status; one small projected Query) for the counts and the filters; whole
 * letter records (BatchGet) and customer names only for the page shown and the ambiguous letters. A
 * text filter finds its customers in the search index (ids whose id, name or tax id contain it).
 */
export async function runView(deps: ConsoleDeps, op: OperatorDeps, runDate: CalendarDate, query: RunViewQuery = {}): Promise<RunView> {
  const [runRecord, index, failures] = await Promise.all([
    op.dunning.getRun(runDate),
    deps.reads.runLetterKeys(runDate),
    op.dunning.failuresOfRun ? op.dunning.failuresOfRun(runDate) : Promise.resolve([]),
  ]);
  if (!runRecord && !index.length && !failures.length) throw new NotFoundError(`no run on ${runDate}`);
  const { PK: _a, SK: _b, GSI2PK: _c, GSI2SK: _d, kind: _e, ...run } = (runRecord ?? {}) as Record<string, unknown>;
  const executionName = typeof run.executionName === 'string' ? run.executionName : undefined;
  const volumes = (Array.isArray(run.printVolumes) ? (run.printVolumes as string[]) : run.printBatch ? [String(run.printBatch)] : [])
    .map((uri, i) => ({ volume: i + 1, key: documentKeyOf(uri) }))
    .filter((v): v is { volume: number; key: string } => !!v.key);
  const counts: RunView['counts'] = { all: index.length, byStage: {}, sentByStage: {}, ambiguous: 0 };
  for (const l of index) {
    counts.byStage[l.stage] = (counts.byStage[l.stage] ?? 0) + 1;
    if (l.status === 'sent') counts.sentByStage[l.stage] = (counts.sentByStage[l.stage] ?? 0) + 1;
    if (l.status === 'ambiguous') counts.ambiguous++;
  }
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 200;
  const q = query.q?.trim();
  let matching = index.filter((l) => (!query.stage || l.stage === query.stage) && (!query.status || l.status === query.status));
  if (q) {
    const ids = new Set(await deps.reads.customerIdsMatching(q, 20_000));
    const needle = q.toLocaleLowerCase('ru');
    matching = matching.filter((l) => ids.has(l.customerId) || l.customerId.toLocaleLowerCase('ru').includes(needle));
  }
  const pageKeys = matching.slice(offset, offset + limit);
  const ambiguousKeys = index.filter((l) => l.status === 'ambiguous');
  // One read of the page's letters and the ambiguous ones: an ambiguous letter on the page is read once.
  const letterId = (l: { customerId: string; stage: string }) => `${l.customerId}#${l.stage}`;
  const toRead = [...new Map([...pageKeys, ...ambiguousKeys].map((l) => [letterId(l), l])).values()];
  const byId = new Map((await deps.reads.runLetters(runDate, toRead)).map((i) => [letterId({ customerId: String(i.customerId), stage: String(i.stage) }), i]));
  const itemsOf = (ks: readonly { customerId: string; stage: string }[]) => ks.map((k) => byId.get(letterId(k))).filter((i): i is Record<string, unknown> => !!i);
  const pageItems = itemsOf(pageKeys);
  const ambiguousItems = itemsOf(ambiguousKeys);
  const briefs = await deps.reads.customerBriefs([...new Set([...pageKeys, ...ambiguousKeys, ...failures].map((l) => l.customerId))]);
  const name = (id: string) => briefs.get(id)?.legalName;
  const view = (i: Record<string, unknown>): RunViewLetter => {
    const l = i as unknown as LetterRecord;
    const key = documentKeyOf(l.documentUri);
    return {
      customerId: l.customerId,
      ...(name(l.customerId) ? { customerName: name(l.customerId) } : {}),
      stage: l.stage,
      status: l.status,
      channels: l.channels ?? [],
      invoiceIds: l.invoiceIds ?? [],
      total: l.total ?? [],
      attempts: l.attempts,
      updatedAt: l.updatedAt,
      ...(l.error ? { error: l.error } : {}),
      ...(key ? { documentKey: key } : {}),
    };
  };
  return {
    runDate,
    run,
    ...(executionName ? { execution: { name: executionName, ...(deps.executionUrl ? { url: deps.executionUrl(executionName) } : { local: true }) } } : {}),
    printVolumes: volumes,
    counts,
    filter: { ...(query.stage ? { stage: query.stage } : {}), ...(query.status ? { status: query.status } : {}), ...(q ? { q } : {}) },
    matching: matching.length,
    offset,
    limit,
    letters: pageItems.map(view),
    ambiguous: ambiguousItems.map(view),
    failures: failures.map((f) => ({ customerId: f.customerId, error: f.error, cause: f.cause, ...(name(f.customerId) ? { customerName: name(f.customerId) } : {}) })),
  };
}

/**
 * The customer list: without `search`, customers with open invoices, earliest due date first (the
 * debtor index); with it, an exact customer id first, else every customer whose id, name or tax id
 * contains the text — searched in the database (ConsoleReads.searchCustomers), paged like the list.
 */
export async function listCustomers(deps: ConsoleDeps, q: { search?: string; pageToken?: string; limit?: number }): Promise<CustomerList> {
  const search = q.search?.trim();
  const limit = q.limit ?? 50;
  if (search) {
    if (!q.pageToken) {
      const one = await deps.reads.customerBrief(search);
      if (one) return { customers: [one] };
    }
    return deps.reads.searchCustomers({ text: search, ...(q.pageToken ? { pageToken: q.pageToken } : {}), limit });
  }
  return deps.reads.listCustomers({ ...(q.pageToken ? { pageToken: q.pageToken } : {}), limit });
}

export async function executionHistory(deps: ConsoleDeps, name: string): Promise<ExecutionHistory> {
  if (deps.executionUrl) return { name, events: [], status: 'see the Step Functions console', input: { url: deps.executionUrl(name) } };
  const h = deps.reads.executionHistory ? await deps.reads.executionHistory(name) : undefined;
  if (!h) throw new NotFoundError(`no execution ${name}`);
  return h;
}

const DOCUMENT_KEY = /^(letters|cases|reports\/jobs)\/[\p{L}\p{N}_.@#=+ -]+(\/[\p{L}\p{N}_.@#=+ -]+)*$/u;
const CONTENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  zip: 'application/zip',
  eml: 'message/rfc822',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A stored document (letters, print batches, court packages, report jobs' files) by key; other prefixes are refused. */
export async function readDocument(deps: ConsoleDeps, key: string): Promise<{ bytes: Uint8Array; contentType: string; fileName: string }> {
  if (!DOCUMENT_KEY.test(key) || key.split('/').some((s) => s === '..' || s === '.')) {
    throw new ValidationError([{ field: 'key', message: 'a document key under letters/, cases/ or reports/jobs/' }]);
  }
  const bytes = await deps.documents.get(key);
  if (!bytes) throw new NotFoundError(`no document ${key}`);
  const fileName = key.split('/').at(-1)!;
  return { bytes, contentType: CONTENT_TYPES[fileName.split('.').at(-1)?.toLowerCase() ?? ''] ?? 'application/octet-stream', fileName };
}

/** Everything about one customer for the customer card. */
export async function customerCard(deps: ConsoleDeps, op: Pick<OperatorDeps, 'now' | 'timeZone'>, customerId: string, asOf?: CalendarDate): Promise<CustomerCard> {
  const on = asOf ?? dateInZone(op.now(), op.timeZone);
  const [p, letters] = await Promise.all([deps.reads.customerPartition(customerId), deps.reads.lettersOfCustomer(customerId)]);
  if (!p.profile) throw new NotFoundError(`customer ${customerId} not found`);
  const state = foldLedger(p.entries.map((e) => e.command));
  const stages = new Map(p.stageHistory.map((h) => [h.invoiceId, h.stages]));
  const docsByEntry = new Map(state.documents.map((d) => [d.entryKey, d]));
  const invoices = state.invoices
    .map((i) => ({
      invoiceId: i.invoiceId,
      number: i.number,
      ...(i.contractId ? { contractId: i.contractId, contractNumber: state.contracts[i.contractId]?.number } : {}),
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amount: i.amount,
      outstanding: i.outstanding,
      status: i.status,
      daysOverdue: i.status === 'open' && i.dueDate < on ? Math.round((Date.parse(on) - Date.parse(i.dueDate)) / 86_400_000) : 0,
      stages: stages.get(i.invoiceId) ?? [],
      allocations: state.allocations
        .filter((a) => a.targetKind === 'invoice' && a.targetId === i.invoiceId)
        .map((a) => ({ date: a.date, amount: a.amount, source: a.source, reason: a.reason, ...(a.undoneBy ? { undoneBy: a.undoneBy, undoneOn: a.undoneOn } : {}) })),
    }))
    .sort((a, b) => (a.dueDate < b.dueDate ? 1 : a.dueDate > b.dueDate ? -1 : 0));
  const entries = p.entries
    .map((e) => {
      const d = docsByEntry.get(e.entryKey);
      const c = e.command as { type: string; amount?: { amount: string; currency: string } };
      return {
        entryKey: e.entryKey,
        type: c.type,
        date: entryDate(e.command) ?? '',
        ...(c.amount ? { amount: c.amount } : {}),
        ...(d ? { debit: d.debit, credit: d.credit, documentId: d.documentId, ...(d.number ? { number: d.number } : {}) } : {}),
        ...(e.origin?.source ? { source: String(e.origin.source) } : {}),
        allocations: state.allocations
          .filter((a) => a.madeBy === e.entryKey || a.source === e.entryKey)
          .map((a) => ({ targetId: a.targetId, amount: a.amount, date: a.date, reason: a.reason, ...(a.undoneBy ? { undone: true } : {}) })),
      };
    })
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.entryKey < b.entryKey ? 1 : -1));
  const openIds = state.invoices.filter((i) => i.status === 'open').map((i) => i.invoiceId);
  const penalty = penaltyForInvoices(state, openIds, on, deps.rules);
  const strip = (i: Record<string, unknown>) => {
    const { PK: _a, SK: _b, GSI2PK: _c, GSI2SK: _d, GSI1PK: _e, GSI1SK: _f, kind_: _g, searchText: _h, ...rest } = i;
    return rest;
  };
  // Stored records (profile, letters, pauses) as their writers wrote them.
  const profile = strip(p.profile) as CustomerCard['profile'];
  return {
    asOf: on,
    customerId,
    profile,
    balances: state.balances,
    receivable: state.receivable,
    unappliedCredit: state.unappliedCredit,
    overdue: Object.fromEntries(
      [...new Set(state.invoices.map((i) => i.amount.currency))].map((cur) => [
        cur,
        state.invoices
          .filter((i) => i.status === 'open' && i.dueDate < on && i.outstanding.currency === cur)
          .reduce((s, i) => s.plus(i.outstanding.amount), new Decimal(0))
          .toFixed(2),
      ]),
    ),
    invoices,
    entries,
    letters: letters.map((l) => {
      const r = strip(l) as Record<string, unknown>;
      const key = documentKeyOf(r.documentUri as string | undefined);
      return { ...r, ...(key ? { documentKey: key } : {}) } as CustomerCard['letters'][number];
    }),
    pauses: p.pauses.map((x) => strip(x) as CustomerCard['pauses'][number]).sort((a, b) => (String(a.at) < String(b.at) ? 1 : -1)),
    penalty: penalty
      ? {
          total: penalty.total,
          currency: penalty.currency,
          basis: penalty.basis,
          parts: penalty.parts.map((x) => ({
            basis: x.basis,
            ...(x.contractId ? { contractId: x.contractId } : {}),
            total: x.result.total,
            periods: x.result.periods,
            rule: x.result.rule,
          })),
        }
      : null,
    ...(p.openCaseId ? { openCaseId: p.openCaseId } : {}),
  };
}
