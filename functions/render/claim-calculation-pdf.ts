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
  /** Extra citations (contract clause etc.), in Russian. */
  extraSources?: string[];
  /** The pre-trial claim sentence (claim date, claim period, first filing day), in Russian. */
  pretrialClaim?: string;
}

const RULE_TITLE: Record<PenaltyResult['rule'], string> = {
  contractual: 'Договорная неустойка',
  interest395: 'Проценты за пользование чужими денежными средствами (ст. 395 ГК РФ)',
  housing: 'Пени за несвоевременную оплату ЖКУ (ч. 14 ст. 155 ЖК РФ)',
};
const ROUNDING_TITLE: Record<PenaltyResult['rounding'], string> = {
  perPeriod: 'сумма за каждый период округлена до копеек, итог — сумма округленных значений',
  total: 'итог — точная сумма за все периоды, округленная до копеек',
};

/**
 * A court document cites the law and the contract only: the statute of the rule, the Bank of Russia
 * key rates, the moratoria and rate caps by their acts, in Russian (never product files or marks).
 */
const STATUTE_RU: Record<PenaltyResult['rule'], string> = {
  contractual: 'ГК РФ ст. 330, 331 (неустойка, установленная договором)',
  interest395: 'ГК РФ ст. 395',
  housing: 'ЖК РФ ст. 155 ч. 14',
};
const ACTS_RU: [RegExp, string][] = [
  [/№\s*424/, 'постановление Правительства РФ от 02.04.2020 № 424'],
  [/№\s*497/, 'постановление Правительства РФ от 28.03.2022 № 497 (мораторий на возбуждение дел о банкротстве)'],
  [/№\s*474/, 'постановление Правительства РФ от 26.03.2022 № 474'],
  [/№\s*329/, 'постановление Правительства РФ от 18.03.2025 № 329'],
];
/** The act of a moratorium or cap in Russian; unknown acts keep their Cyrillic text without Latin asides. */
export function actRu(act: string): string {
  for (const [re, ru] of ACTS_RU) if (re.test(act)) return ru;
  return act
    .replace(/\s*\([^)]*[A-Za-z][^)]*\)/g, '')
    .replace(/:.*$/, '')
    .trim();
}
const decimalRu = (s: string) => s.replace('.', ',');
/** "0.2%/day" → "0,2 % в день"; "1/300" → "1/300 ставки"; "1/365" stays. */
function fractionRu(f: string): string {
  const m = /^([\d.]+)%\/day$/.exec(f);
  if (m) return `${decimalRu(m[1]!)} % в день`;
  if (f === '1/300' || f === '1/130') return `${f} ставки`;
  return f;
}
/** The note of one period, in Russian, from the period's own data. */
function periodNoteRu(p: PenaltyResult['periods'][number]): string {
  const n = p.note ?? '';
  const parts: string[] = [];
  if (n.startsWith('moratorium')) {
    const act = /ПП РФ\s*№\s*\d+/.exec(n)?.[0];
    parts.push(`мораторий${act ? ` (${actRu(act)})` : ''}: не начисляется`);
  } else if (n.startsWith('grace')) parts.push('дни просрочки 1–30: не начисляется (ЖК РФ ст. 155 ч. 14)');
  else if (n.startsWith('rate cap')) {
    const act = /ПП РФ\s*№\s*\d+/.exec(n)?.[0];
    parts.push(`ставка ограничена${act ? ` (${actRu(act)})` : ''}`);
  }
  if (p.capped) parts.push('ограничено предельным размером неустойки');
  if (p.rateDate) parts.push(`ставка на ${ru(p.rateDate)}`);
  return parts.join('; ');
}

const ru = (d: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? formatRu(d as CalendarDate) : d);
/** "1234567.89" → "1 234 567,89" (string manipulation only: no float conversion). */
export function formatRub(amount: string): string {
  const neg = amount.startsWith('-');
  const [int = '0', frac] = (neg ? amount.slice(1) : amount).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${neg ? '−' : ''}${grouped}${frac !== undefined ? `,${frac}` : ''}`;
}

/** The document definition (exported for tests of its wording). */
export function calculationDocDefinition(input: CalculationPdfInput): TDocumentDefinitions {
  const { result } = input;
  const header: TableCell[] = ['№', 'Период с', 'по', 'Дней', 'Сумма долга', 'Ставка, %', 'Доля', 'Начислено', 'Примечание'].map((text) => ({ text, style: 'th' }));
  const body: TableCell[][] = [header];
  result.periods.forEach((p, i) => {
    body.push([
      String(i + 1),
      ru(p.from),
      ru(p.to),
      { text: String(p.days), alignment: 'right' },
      { text: formatRub(p.base), alignment: 'right' },
      { text: decimalRu(p.rate), alignment: 'right' },
      p.fraction === '0' ? '—' : fractionRu(p.fraction),
      { text: formatRub(p.amount), alignment: 'right' },
      { text: periodNoteRu(p), fontSize: 7 },
    ]);
  });
  body.push([{ text: 'Итого', colSpan: 7, style: 'th' }, '', '', '', '', '', '', { text: formatRub(result.total), style: 'th', alignment: 'right' }, '']);

  const parties: Content[] = [];
  if (input.creditor) parties.push({ text: [{ text: 'Кредитор: ', bold: true }, input.creditor] });
  parties.push({ text: [{ text: 'Должник: ', bold: true }, input.debtor] });
  if (input.basis) parties.push({ text: [{ text: 'Основание: ', bold: true }, input.basis] });

  const sources: string[] = [STATUTE_RU[result.rule]];
  if (input.basis && result.rule === 'contractual') sources.push(`договор: ${input.basis}`);
  for (const src of result.sources) {
    if (src.kind === 'keyRate') {
      const m = /key rate ([\d.]+) % from (\d{4}-\d{2}-\d{2})/.exec(src.ref);
      if (m) sources.push(`ключевая ставка Банка России ${decimalRu(m[1]!)} % с ${ru(m[2]!)}`);
    } else if (src.kind === 'moratorium' || src.kind === 'cap') {
      const act = actRu(src.ref);
      if (!sources.includes(act)) sources.push(act);
    }
  }
  sources.push(...(input.extraSources ?? []));
  // Notes from the periods' own data (the engine's notes are for operators and stay out of a court document).
  const notes: string[] = [];
  const cappedCharges = new Set(result.periods.filter((p) => p.capped).map((p) => p.charge));
  if (cappedCharges.size) notes.push('Начисление прекращено по достижении предельного размера неустойки, установленного договором.');
  if (result.periods.some((p) => p.note?.startsWith('moratorium')))
    notes.push('Периоды действия моратория исключены из расчета; дни просрочки в эти периоды продолжают считаться.');
  if (result.rateMode) {
    notes.push(
      result.rateMode === 'paymentDate'
        ? 'Ставка: ключевая ставка Банка России на день фактической оплаты каждой части долга; для неоплаченного остатка — на дату расчета (ЖК РФ ст. 155 ч. 14).'
        : 'Ставка: ключевая ставка Банка России на дату расчета для всех дней просрочки.',
    );
  }
  if (input.pretrialClaim) notes.push(`Претензионный порядок: ${input.pretrialClaim}.`);

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
      ...(notes.length ? [{ text: 'Примечания', style: 'h2' }, { ul: notes }] : []),
      { text: 'Нормы права и договор', style: 'h2' },
      { ul: sources },
    ],
  };
}

/** Renders the calculation as a PDF (A4 landscape). */
export async function renderCalculationPdf(input: CalculationPdfInput): Promise<Uint8Array> {
  configure();
  const buffer: Buffer = await pdfmake.createPdf(calculationDocDefinition(input)).getBuffer();
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
