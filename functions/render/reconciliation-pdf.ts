/**
 * Reconciliation statement (акт сверки взаимных расчетов) as an A4 PDF, rendered server-side with
 * pdfmake and its bundled Roboto TTFs (Cyrillic). Input is the pure JSON statement.
 */
import { preparePdfmake } from '../letters/font-cache.js'; // before pdfmake/pdfkit load: parse fonts once
import { Decimal } from 'decimal.js';
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { formatRu, type CalendarDate } from '../domain/dates.js';
import type { ReconciliationStatement } from '../domain/ledger/reconcile.js';

/** Bundled Roboto (pdfmake/fonts/Roboto); covers Cyrillic. */
/** "1234567.5" → "1 234 567,50" (Russian grouping, decimal comma). Exact: string formatting only. */
export function formatAmountRu(amount: string, digits = 2): string {
  const fixed = new Decimal(amount).toFixed(digits);
  const neg = fixed.startsWith('-');
  const [int, frac] = (neg ? fixed.slice(1) : fixed).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${neg ? '−' : ''}${grouped}${frac ? `,${frac}` : ''}`;
}

const blankIfZero = (a: string) => (new Decimal(a).isZero() ? '' : formatAmountRu(a));

export interface CompanyInfo {
  name: string;
  taxId?: string;
}

export function reconciliationDocDefinition(st: ReconciliationStatement, company: CompanyInfo): TDocumentDefinitions {
  const counterparty = st.customer?.legalName ?? st.customerId;
  const cpTax = st.customer?.taxId ? `ИНН ${st.customer.taxId}${st.customer.kpp ? `/КПП ${st.customer.kpp}` : ''}` : '';
  const header: TableCell[] = [
    { text: 'Дата', style: 'th' },
    { text: 'Документ', style: 'th' },
    { text: 'Дебет', style: 'th', alignment: 'right' },
    { text: 'Кредит', style: 'th', alignment: 'right' },
  ];
  const saldoRow = (label: string, date: CalendarDate, s: { debit: string; credit: string }): TableCell[] => [
    { text: formatRu(date), style: 'b' },
    { text: label, style: 'b' },
    { text: blankIfZero(s.debit), alignment: 'right', style: 'b' },
    { text: blankIfZero(s.credit), alignment: 'right', style: 'b' },
  ];
  const body: TableCell[][] = [
    header,
    saldoRow('Сальдо начальное', st.from, st.opening),
    ...st.rows.map((r): TableCell[] => [formatRu(r.date), r.description, { text: blankIfZero(r.debit), alignment: 'right' }, { text: blankIfZero(r.credit), alignment: 'right' }]),
    [
      { text: '', style: 'b' },
      { text: 'Обороты за период', style: 'b' },
      { text: formatAmountRu(st.turnover.debit), alignment: 'right', style: 'b' },
      { text: formatAmountRu(st.turnover.credit), alignment: 'right', style: 'b' },
    ],
    saldoRow('Сальдо конечное', st.to, st.closing),
  ];
  const bal = new Decimal(st.closing.balance);
  const conclusion = bal.isZero()
    ? `На ${formatRu(st.to)} задолженность отсутствует.`
    : bal.gt(0)
      ? `На ${formatRu(st.to)} задолженность в пользу ${company.name} составляет ${formatAmountRu(bal.toFixed())} ${st.currency}.`
      : `На ${formatRu(st.to)} задолженность в пользу ${counterparty} составляет ${formatAmountRu(bal.neg().toFixed())} ${st.currency}.`;
  const contractName = (id: string | null, c?: { number: string; date: CalendarDate }) =>
    id === null ? 'без договора (авансы, счета без договора, возвраты)' : c ? `договор № ${c.number} от ${formatRu(c.date)}` : `договор ${id}`;
  // Per-contract subtotals (as a 1C акт сверки по договорам): on the customer's statement, when it has contracts.
  const subs = st.contractId === undefined ? (st.byContract ?? []) : [];
  const subtotals: Content[] =
    subs.length > 0
      ? [
          { text: 'В том числе по договорам', style: 'b', margin: [0, 0, 0, 4] },
          {
            table: {
              headerRows: 1,
              widths: ['*', 70, 70, 70, 70],
              body: [
                [
                  { text: 'Договор', style: 'th' },
                  { text: 'Сальдо начальное', style: 'th', alignment: 'right' },
                  { text: 'Дебет', style: 'th', alignment: 'right' },
                  { text: 'Кредит', style: 'th', alignment: 'right' },
                  { text: 'Сальдо конечное', style: 'th', alignment: 'right' },
                ],
                ...subs.map((b): TableCell[] => [
                  contractName(b.contractId, b.contract),
                  { text: formatAmountRu(b.opening.balance), alignment: 'right' },
                  { text: formatAmountRu(b.turnover.debit), alignment: 'right' },
                  { text: formatAmountRu(b.turnover.credit), alignment: 'right' },
                  { text: formatAmountRu(b.closing.balance), alignment: 'right' },
                ]),
              ],
            },
            layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, paddingTop: () => 2, paddingBottom: () => 2 },
            margin: [0, 0, 0, 12],
          },
        ]
      : [];
  const content: Content = [
    { text: 'Акт сверки взаимных расчетов', style: 'title' },
    { text: `за период с ${formatRu(st.from)} по ${formatRu(st.to)}`, alignment: 'center', margin: [0, 0, 0, 6] },
    ...(st.contractId !== undefined
      ? [
          {
            text:
              st.contractId === null
                ? 'расчеты без договора (авансы, счета без договора, возвраты)'
                : st.contract
                  ? `по договору № ${st.contract.number} от ${formatRu(st.contract.date)}`
                  : `по договору ${st.contractId}`,
            alignment: 'center' as const,
            margin: [0, 0, 0, 6] as [number, number, number, number],
          },
        ]
      : []),
    {
      text: `между ${company.name}${company.taxId ? ` (ИНН ${company.taxId})` : ''} и ${counterparty}${cpTax ? ` (${cpTax})` : ''}, валюта ${st.currency}`,
      alignment: 'center',
      margin: [0, 0, 0, 12],
    },
    { text: `По данным ${company.name}`, style: 'b', margin: [0, 0, 0, 4] },
    {
      table: { headerRows: 1, widths: [60, '*', 80, 80], body },
      layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, paddingTop: () => 2, paddingBottom: () => 2 },
    },
    { text: conclusion, margin: [0, 12, 0, 12] },
    ...subtotals,
    { text: '', margin: [0, 0, 0, 12] },
    {
      columns: [
        {
          stack: [
            { text: `От ${company.name}`, style: 'b' },
            { text: '\n______________________ / ______________ /', margin: [0, 12, 0, 0] },
            { text: 'М.П.', fontSize: 8 },
          ],
        },
        {
          stack: [
            { text: `От ${counterparty}`, style: 'b' },
            { text: '\n______________________ / ______________ /', margin: [0, 12, 0, 0] },
            { text: 'М.П.', fontSize: 8 },
          ],
        },
      ],
    },
  ];
  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    info: { title: `Акт сверки ${counterparty} ${st.from}—${st.to}`, creator: 'claimflow' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    styles: { title: { fontSize: 14, bold: true, alignment: 'center', margin: [0, 0, 0, 4] }, th: { bold: true, fillColor: '#eeeeee' }, b: { bold: true } },
    content,
    footer: (page: number, pages: number) => ({ text: `стр. ${page} из ${pages}`, alignment: 'right', fontSize: 7, margin: [0, 10, 40, 0] }),
  };
}

/** Renders the statement to PDF bytes. */
export async function renderReconciliationPdf(statement: ReconciliationStatement, company: CompanyInfo): Promise<Uint8Array> {
  preparePdfmake(pdfmake);
  const buf = await pdfmake.createPdf(reconciliationDocDefinition(statement, company)).getBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
