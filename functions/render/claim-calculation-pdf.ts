/**
 * PDF of an itemized claim calculation (penalty / interest): A4, a table of periods, total, rounding
 * mode, notes and the sources cited. pdfmake 0.3 server-side with its bundled Roboto fonts (Cyrillic).
 * Reads only the bundled font files; no network (URL access is refused).
 */
import { preparePdfmake } from '../letters/font-cache.js'; // before pdfmake/pdfkit load: parse fonts once
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { formatRu, type CalendarDate } from '../domain/dates.js';
import type { PenaltyResult } from '../domain/penalties/index.js';


const configure = () => preparePdfmake(pdfmake);

export interface CalculationPdfInput {
  title: string;
  debtor: string;
  creditor?: string;
  /** Contract / basis, e.g. "Договор № 12 от 01.02.2024, п. 7.2". */
  basis?: string;
  /** The date the document is made (passed in; no clock reads). */
  preparedOn?: CalendarDate | string;
  result: PenaltyResult;
  /** Extra citations (contract clause etc.). */
  extraSources?: string[];
}

const RULE_TITLE: Record<PenaltyResult['rule'], string> = {
  contractual: 'Договорная неустойка',
  interest395: 'Проценты за пользование чужими денежными средствами (ст. 395 ГК РФ)',
  housing: 'Пени за несвоевременную оплату ЖКУ (ч. 14 ст. 155 ЖК РФ)',
};
const ROUNDING_TITLE: Record<PenaltyResult['rounding'], string> = {
  perPeriod: 'округление каждого периода до копеек, затем сумма (perPeriod)',
  total: 'точная сумма периодов, затем округление до копеек (total)',
};

const ru = (d: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? formatRu(d as CalendarDate) : d);
/** "1234567.89" → "1 234 567,89" (string manipulation only: no float conversion). */
export function formatRub(amount: string): string {
  const neg = amount.startsWith('-');
  const [int = '0', frac] = (neg ? amount.slice(1) : amount).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${neg ? '−' : ''}${grouped}${frac !== undefined ? `,${frac}` : ''}`;
}

function buildDoc(input: CalculationPdfInput): TDocumentDefinitions {
  const { result } = input;
  const header: TableCell[] = ['№', 'Период с', 'по', 'Дней', 'Сумма долга', 'Ставка, %', 'Доля', 'Начислено', 'Примечание'].map(
    (text) => ({ text, style: 'th' }),
  );
  const body: TableCell[][] = [header];
  result.periods.forEach((p, i) => {
    body.push([
      String(i + 1),
      ru(p.from),
      ru(p.to),
      { text: String(p.days), alignment: 'right' },
      { text: formatRub(p.base), alignment: 'right' },
      { text: p.rate.replace('.', ','), alignment: 'right' },
      p.fraction === '0' ? '—' : p.fraction.replace('.', ','),
      { text: formatRub(p.amount), alignment: 'right' },
      { text: [p.note ?? '', p.rateDate ? `ставка на ${ru(p.rateDate)}` : ''].filter(Boolean).join('; '), fontSize: 7 },
    ]);
  });
  body.push([
    { text: 'Итого', colSpan: 7, style: 'th' }, '', '', '', '', '', '',
    { text: formatRub(result.total), style: 'th', alignment: 'right' },
    '',
  ]);

  const parties: Content[] = [];
  if (input.creditor) parties.push({ text: [{ text: 'Кредитор: ', bold: true }, input.creditor] });
  parties.push({ text: [{ text: 'Должник: ', bold: true }, input.debtor] });
  if (input.basis) parties.push({ text: [{ text: 'Основание: ', bold: true }, input.basis] });

  const sources = [
    ...result.sources.map((s) => `${s.ref} — ${s.source}${s.mark ? ` [${s.mark}]` : ''}${s.note ? `. ${s.note}` : ''}`),
    ...(input.extraSources ?? []),
  ];

  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 40, 36, 40],
    info: { title: input.title, subject: RULE_TITLE[result.rule], creator: 'claimflow' },
    defaultStyle: { font: 'Roboto', fontSize: 9 },
    styles: {
      h1: { fontSize: 14, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 11, bold: true, margin: [0, 10, 0, 4] },
      th: { bold: true, fillColor: '#eeeeee' },
    },
    footer: (page: number, pages: number) => ({ text: `${page} / ${pages}`, alignment: 'center', fontSize: 8 }),
    content: [
      { text: input.title, style: 'h1' },
      { text: RULE_TITLE[result.rule], margin: [0, 0, 0, 6] },
      ...parties,
      {
        text: `Расчёт по ${ru(result.calculateTo)} включительно${input.preparedOn ? `; составлен ${ru(input.preparedOn)}` : ''}.`,
        margin: [0, 4, 0, 8],
      },
      {
        table: { headerRows: 1, widths: [18, 52, 52, 30, 70, 42, 48, 64, '*'], body },
        layout: 'lightHorizontalLines',
      },
      { text: [{ text: 'Итого: ', bold: true }, `${formatRub(result.total)} руб.`], margin: [0, 8, 0, 0] },
      { text: [{ text: 'Округление: ', bold: true }, ROUNDING_TITLE[result.rounding]] },
      ...(result.rateMode
        ? [{ text: [{ text: 'Ставка: ', bold: true }, result.rateMode === 'paymentDate' ? 'на день фактической оплаты (paymentDate)' : 'одна ставка на дату расчёта (asOf)'] }]
        : []),
      ...(result.notes.length ? [{ text: 'Примечания', style: 'h2' }, { ul: result.notes }] : []),
      { text: 'Источники', style: 'h2' },
      { ul: sources },
      { text: `Версия данных правил: ${result.rulesVersion}`, fontSize: 7, margin: [0, 8, 0, 0], color: '#666666' },
    ],
  };
}

/** Renders the calculation as a PDF (A4 landscape). */
export async function renderCalculationPdf(input: CalculationPdfInput): Promise<Uint8Array> {
  configure();
  const buffer: Buffer = await pdfmake.createPdf(buildDoc(input)).getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
