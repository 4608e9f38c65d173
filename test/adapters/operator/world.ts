/**
 * A small operator world on the shared DynamoDB Local: the real ledger, dunning store, audit log and
 * letter resolver (compose() + operatorDeps()), a fixed clock, a mailer and document store that must
 * never be called by operator actions, and two customers with invoices around the run date 2026-11-24.
 */
import iconv from 'iconv-lite';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsArchive } from '../../../functions/adapters/fs-archive.js';
import { defaultWebhookConfig } from '../../../functions/ingest/config.js';
import { freshTable } from '../../support/dynamo.js';
import { compose } from '../../../functions/adapters/compose.js';
import { DEFAULT_COMPANY } from '../../../functions/config.js';
import { zLedgerCommand } from '../../../functions/domain/ledger/commands.js';
import { companyInfo, operatorDeps } from '../../../functions/adapters/compose-operator.js';
import { handleOperator, type OperatorRequest, type OperatorRouterDeps } from '../../../functions/operator/router.js';
import type { RunLauncher } from '../../../functions/ports/operator.js';
import type { DocumentStore, Mailer, OutgoingEmail } from '../../../functions/ports/index.js';

export const RUN_DATE = '2026-11-24';
/** Friday before the Tuesday run, 12:00 Moscow. */
export const NOW = new Date('2026-11-20T09:00:00.000Z');

export async function operatorWorld(opts: { runs?: RunLauncher; documents?: DocumentStore; reportSyncBudgetMs?: number } = {}) {
  const { doc, tableName } = await freshTable('op');
  const clock = { now: NOW };
  const sent: OutgoingEmail[] = [];
  const stored: string[] = [];
  const mailer: Mailer = {
    async send(m) {
      sent.push(m);
      return { messageId: `m-${sent.length}` };
    },
  };
  const documents: DocumentStore = opts.documents ?? {
    async put(key) {
      stored.push(key);
      return { uri: `mem://${key}` };
    },
    async get() {
      return undefined;
    },
  };
  const now = () => clock.now;
  const app = compose(
    { doc, tableName, mailer, documents, now },
    {
      timeZone: 'Europe/Moscow',
      fromAddress: 'collections@claimflow.test',
      digestRecipients: ['team@claimflow.test'],
      legalTeam: ['legal@claimflow.test'],
      company: DEFAULT_COMPANY,
      policyName: 'wholesale',
      envelope: 'DL',
    },
  );
  const archive = new FsArchive({ dir: await mkdtemp(path.join(tmpdir(), 'claimflow-op-archive-')), now });
  let n = 0;
  let ids = 0;
  const deps: OperatorRouterDeps = {
    ...operatorDeps(app, {
      doc,
      tableName,
      timeZone: 'Europe/Moscow',
      company: companyInfo(DEFAULT_COMPANY),
      now,
      replay: { archive, config: defaultWebhookConfig() },
      ...(opts.runs ? { runs: opts.runs } : {}),
      ...(opts.reportSyncBudgetMs !== undefined ? { reportSyncBudgetMs: opts.reportSyncBudgetMs } : {}),
    }),
    newId: () => `id${++ids}`,
  };
  const apply = (raw: Record<string, unknown>) =>
    app.ledger.apply(zLedgerCommand.parse(raw), { source: 'test', eventId: `${raw.type}:${JSON.stringify(raw).length}:${++n}`, receivedAt: clock.now.toISOString() });

  const call = (method: string, path: string, body?: unknown, extra: Partial<OperatorRequest> = {}) =>
    handleOperator(deps, {
      method,
      path,
      headers: { 'x-claimflow-operator': 'anna', ...(extra.headers ?? {}) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      ...(extra.query ? { query: extra.query } : {}),
      ...(extra.principal ? { principal: extra.principal } : {}),
      ...(extra.identity ? { identity: extra.identity } : {}),
    }).then((r) => ({ ...r, json: r.headers['content-type']?.includes('json') ? JSON.parse(r.body) : undefined }));

  return { doc, tableName, app, deps, clock, sent, stored, apply, call, archive };
}
export type OperatorWorld = Awaited<ReturnType<typeof operatorWorld>>;

/**
 * C1 «Ромашка» (INN 7701234567): I-1 15000.00 due 2026-11-27 (reminder on the 24th: due in 3 days),
 * I-2 8000.50 due 2026-11-14 (warning: 10 days overdue). C2 «Лютик»: I-3 2000.00 due 2026-11-28 (reminder).
 */
export async function seed(w: OperatorWorld): Promise<void> {
  for (const [id, name, inn] of [
    ['C1', 'ООО «Ромашка»', '7701234567'],
    ['C2', 'ООО «Лютик»', '7802345678'],
  ] as const) {
    await w.apply({
      type: 'customer.upsert',
      customerId: id,
      legalName: name,
      taxId: inn,
      emails: [`${id.toLowerCase()}@buyer.test`],
      postalAddress: { postalCode: '190000', city: 'Санкт-Петербург', line1: 'Невский пр., д. 1' },
    });
  }
  for (const [customerId, invoiceId, number, issueDate, dueDate, amount] of [
    ['C1', 'I-1', '101', '2026-11-02', '2026-11-27', '15000.00'],
    ['C1', 'I-2', '102', '2026-10-20', '2026-11-14', '8000.50'],
    ['C2', 'I-3', '201', '2026-11-05', '2026-11-28', '2000.00'],
  ] as const) {
    await w.apply({ type: 'invoice.issued', customerId, invoiceId, number, issueDate, dueDate, amount: { amount, currency: 'RUB' } });
  }
}

export const OUR_ACCOUNT = '40702810900000012345';

/** A Windows-1251 1C client-bank file: C1 pays invoice 101 in part (5000.00); an unknown payer → review. */
export function bankFile(): Uint8Array {
  const doc = (no: string, amount: string, inn: string, purpose: string) => [
    'СекцияДокумент=Платежное поручение',
    `Номер=${no}`,
    'Дата=18.11.2026',
    `Сумма=${amount}`,
    `ПлательщикИНН=${inn}`,
    'Плательщик1=ООО "ПЛАТЕЛЬЩИК"',
    'ПлательщикСчет=40702810400000098765',
    `ПолучательСчет=${OUR_ACCOUNT}`,
    'ДатаПоступило=19.11.2026',
    'ПолучательИНН=7701234567',
    `НазначениеПлатежа=${purpose}`,
    'КонецДокумента',
  ];
  const lines = [
    '1CClientBankExchange',
    'ВерсияФормата=1.03',
    'Кодировка=Windows',
    'ДатаНачала=18.11.2026',
    'ДатаКонца=19.11.2026',
    `РасчСчет=${OUR_ACCOUNT}`,
    ...doc('77', '5000.00', '7701234567', 'Оплата по счету № 101 от 02.11.2026'),
    ...doc('78', '999.00', '5009999999', 'Оплата по счету № 9 неизвестно'),
    'КонецФайла',
  ];
  return new Uint8Array(iconv.encode(lines.join('\r\n'), 'win1251'));
}
