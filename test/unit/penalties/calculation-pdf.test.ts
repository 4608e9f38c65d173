import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { calculatePenalty, defaultRules } from '../../../functions/domain/penalties/index.js';
import { formatRub, renderCalculationPdf } from '../../../functions/render/claim-calculation-pdf.js';

/** Text of all FlateDecode streams of a PDF (content streams and the fonts' ToUnicode CMaps). */
function inflatedStreams(pdf: Uint8Array): string {
  const raw = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  const re = /stream\r?\n/g;
  for (const m of raw.matchAll(re)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      out.push(inflateSync(Buffer.from(raw.slice(start, end), 'latin1')).toString('latin1'));
    } catch {
      // not a deflated stream (e.g. a font program): skip
    }
  }
  return out.join('\n');
}

describe('claim calculation PDF', () => {
  it('renders a valid A4 PDF with the periods, the total and Cyrillic text', async () => {
    // Prepare: the housing example (total 420.85, hand-checked in housing.test.ts).
    const result = calculatePenalty(
      {
        rule: 'housing',
        charges: [{ amount: '7300.00', lastDayToPay: '2025-03-10' }],
        payments: [{ date: '2025-05-05', amount: '2300.00' }],
        calculateTo: '2025-08-31',
      },
      defaultRules(),
    );

    // Act
    const pdf = await renderCalculationPdf({
      title: 'Расчёт пени',
      creditor: 'ООО «Бетотек-сервис»',
      debtor: 'Иванов Иван Иванович, кв. 12',
      preparedOn: '2025-09-01',
      result,
    });

    // Assess
    const head = Buffer.from(pdf.subarray(0, 5)).toString('latin1');
    expect(head).toBe('%PDF-');
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    const tail = Buffer.from(pdf.subarray(pdf.byteLength - 32)).toString('latin1');
    expect(tail).toContain('%%EOF');
    const streams = inflatedStreams(pdf);
    // A4 landscape media box: 841.89 × 595.28 pt
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    // The embedded Roboto subset maps glyphs back to Cyrillic code points (ToUnicode CMap):
    // U+0420 "Р", U+0430 "а", U+0441 "с", U+0447 "ч".
    for (const cp of ['0420', '0430', '0441', '0447']) expect(streams.toLowerCase()).toContain(`<${cp.toLowerCase()}>`);
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/FontFile2/);
  });

  it('formats rubles without floats', () => {
    // Prepare / Act / Assess
    expect(formatRub('1234567.89')).toBe('1\u00a0234\u00a0567,89');
    expect(formatRub('420.85')).toBe('420,85');
    expect(formatRub('0.00')).toBe('0,00');
  });
});

describe('claim calculation PDF: a court document wholly in Russian, citing law and contract', () => {
  it('contractual penalty with a cap and the ПП 497 moratorium: no English, no product files or evidence marks', async () => {
    // Prepare: 0.2 %/day, cap 10 %, 100 000.00 due 2022-03-10 (before 01.04.2022: the moratorium applies), to 2022-12-31.
    const { calculationDocDefinition } = await import('../../../functions/render/claim-calculation-pdf.js');
    const result = calculatePenalty(
      { rule: 'contractual', ratePctPerDay: '0.2', capPct: '10', charges: [{ amount: '100000.00', lastDayToPay: '2022-03-10' }], calculateTo: '2022-12-31' },
      defaultRules(),
    );
    // Act
    const def = calculationDocDefinition({
      title: 'Расчет неустойки по делу CASE-1',
      creditor: 'ООО «Пример Поставки»',
      debtor: 'ИП Смирнов А. В., ИНН 780100000512',
      basis: 'п. 6.2 договора № ДП-09/2023 (0,2 % в день, не более 10 %)',
      preparedOn: '2022-12-31',
      result,
      extraSources: ['основной долг 100 000,00 руб.; государственная пошлина 4 000 — НК РФ ст. 333.21 (в редакции, действующей с 09.09.2024)'],
      pretrialClaim: 'претензия направлена 01.12.2022, за 30 дней до 31.12.2022; срок ответа (30 дней) истек 30.12.2022; иск может быть подан с 31.12.2022',
    });
    const text = JSON.stringify(def.content);
    // Assess
    expect(text).toContain('ГК РФ ст. 330, 331');
    expect(text).toContain('договор: п. 6.2 договора № ДП-09/2023');
    expect(text).toContain('постановление Правительства РФ от 28.03.2022 № 497');
    expect(text).toContain('0,2 % в день');
    expect(text).toContain('ограничено предельным размером неустойки');
    expect(text).toContain('Претензионный порядок: претензия направлена 01.12.2022');
    for (const bad of ['docs/law.md', '[S]', '[V]', '[U]', '%/day', 'perPeriod', 'Contractual', 'moratorium', 'from 20', 'bankruptcy']) expect(text).not.toContain(bad);
    // No Latin words at all (the case id is the only Latin token we allow: it names the file).
    const latin = text
      .replace(/CASE-1/g, '')
      .replace(/"(text|style|bold|alignment|fontSize|margin|table|headerRows|widths|body|layout|ul|colSpan|th|h1|h2|right|lightHorizontalLines)"/g, '')
      .replace(/\btrue\b/g, '')
      .match(/[A-Za-z]{3,}/g);
    expect(latin).toBeNull();
  });
});
