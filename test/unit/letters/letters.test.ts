import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { WHOLESALE, decideCustomer } from '../../../functions/domain/policy/index.js';
import { formatDate, formatMoney, letterDocDefinition, letterFromPlan, renderEmail, renderLetterPdf, renderPrintBatch } from '../../../functions/letters/index.js';
import { COMPANY, letter } from './fixtures.js';
import { clearShapingCache, fontCacheStatus } from '../../../functions/letters/font-cache.js';

const sp = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');
const EVIL = '<script>alert(1)</script> {{x}} {{{y}}}';
const pdfPages = (pdf: Uint8Array): number =>
  (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type \/Page\b(?!s)/g) ?? []
  ).length;
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-pdf-'));
  writeFileSync(join(dir, 'a.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
}

describe('locale formatting (Intl on the decimal string)', () => {
  it.each([
    ['ru', '7300.00', 'RUB', '7 300,00 ₽'],
    ['en', '7300.00', 'RUB', 'RUB 7,300.00'],
    ['ru', '12345678901234.56', 'RUB', '12 345 678 901 234,56 ₽'],
    ['en', '0.10', 'USD', 'USD 0.10'],
    ['ru', '5', 'JPY', '5 ¥'],
  ] as const)('%s %s %s → %s', (locale, amount, currency, expected) => {
    // Prepare / Act
    const s = formatMoney({ amount, currency }, locale);
    // Assess
    expect(sp(s)).toBe(expected);
  });

  it('formats dates per locale', () => {
    // Prepare
    const d = '2025-03-10' as CalendarDate;
    // Act / Assess
    expect(formatDate(d, 'ru')).toBe('10.03.2025');
    expect(formatDate(d, 'en')).toBe('10 Mar 2025');
  });
});

describe('renderEmail', () => {
  it('reminder (ru): contract, invoice, amount, due date; no days overdue, no penalty even if given', () => {
    // Prepare
    const l = letter({ stage: 'reminder', penalty: { amount: { amount: '1.00', currency: 'RUB' }, asOf: '2025-03-11' as CalendarDate, basis: 'x' } });
    // Act
    const e = renderEmail(l, { company: COMPANY });
    // Assess
    expect(e.subject).toBe('Напоминание о сроке оплаты счетов, ООО «Северный опт»');
    const text = sp(e.text);
    expect(text).toContain('Договор: № 12/2024 от 01.02.2024; Счёт / накладная: ТН-101 / 20.01.2025; Сумма: 7 300,00 ₽; Остаток долга: 7 300,00 ₽; Срок оплаты: 24.02.2025\n');
    expect(text).not.toContain('Дней просрочки');
    expect(text).not.toContain('неустойка');
    expect(e.html).toContain('<th>Договор</th>');
  });

  it('warning (ru): days overdue, 5 calendar days, shipments stop; penalty paragraph printed', () => {
    // Prepare
    const l = letter({ stage: 'warning', penalty: { amount: { amount: '1234.56', currency: 'RUB' }, asOf: '2025-03-11' as CalendarDate, basis: 'ГК РФ ст. 395' } });
    // Act
    const e = renderEmail(l, { company: COMPANY });
    // Assess
    const text = sp(e.text);
    expect(text).toContain('Дней просрочки: 15');
    expect(text).toContain('в течение 5 календарных дней (до 16.03.2025 включительно), отгрузки в Ваш адрес будут приостановлены');
    expect(text).toContain('неустойка в размере 1 234,56 ₽ по состоянию на 11.03.2025 (ГК РФ ст. 395)');
    expect(text).toContain('Итого задолженность: 32 300,50 ₽');
    expect(e.subject).toBe('Предупреждение о просроченной задолженности, исх. № ИСХ-2025-000123 от 11.03.2025');
  });

  it('claim (ru): shipments stopped until paid in full, forced collection after 5 days; email copy marked', () => {
    // Prepare
    const l = letter({ stage: 'claim' });
    // Act
    const e = renderEmail(l, { company: COMPANY, copy: true });
    // Assess
    expect(e.subject.startsWith('Копия письма, направленного почтой: Претензия')).toBe(true);
    expect(e.text).toContain('отгрузки в Ваш адрес приостановлены до полного погашения просроченной задолженности');
    expect(e.text).toContain('принудительного взыскания задолженности, пени и штрафных санкций в соответствии с договором');
    expect(e.text).toContain('Это электронная копия письма');
  });

  it('claim (en): English wording and formatting', () => {
    // Prepare
    const l = letter({ stage: 'claim' }, { locale: 'en', name: 'Acme Trading Ltd' });
    // Act
    const e = renderEmail(l, { company: COMPANY });
    // Assess
    const text = sp(e.text);
    expect(e.subject).toBe('Formal claim for payment, ref. ИСХ-2025-000123 of 11 Mar 2025');
    expect(text).toContain(
      'Contract: No. 12/2024 of 1 Feb 2024; Invoice: ТН-117 / 25 Jan 2025; Amount: RUB 125,000.50; Outstanding: RUB 25,000.50; Due date: 28 Feb 2025; Days overdue: 11',
    );
    expect(text).toContain('Shipments to you are stopped until the overdue debt is paid in full.');
    expect(text).toContain('within 5 calendar days (by 16 Mar 2025 inclusive)');
  });

  it('litigation: an internal notice to the legal team, no customer signature', () => {
    // Prepare
    const l = letter({ stage: 'litigation', invoices: letter().invoices.map((i) => ({ ...i, daysOverdue: i.daysOverdue + 5 })) });
    // Act
    const e = renderEmail(l, { company: COMPANY });
    // Assess
    expect(e.subject).toBe('В юридический отдел: ООО «Ромашка», просрочка 20 дней');
    expect(e.text).toContain('Юридическому отделу.');
    expect(e.text).toContain('ИНН 7702000000, КПП 770201001');
    expect(e.text).not.toContain('С уважением');
  });

  it('housing family uses its own wording and labels', () => {
    // Prepare
    const l = letter({ stage: 'claim', template: 'housing/claim', payWithinDays: 30 }, { name: 'Иванова А. П.' });
    // Act
    const e = renderEmail(l, { company: COMPANY });
    // Assess
    expect(e.text).toContain('Уважаемый(ая) Иванова А. П.!');
    expect(e.text).toContain('Лицевой счёт: № 12/2024');
    expect(e.text).toContain('в течение 30 календарных дней (до 10.04.2025 включительно)');
  });

  it('escapes template fields in HTML: a customer name cannot inject markup or template syntax', () => {
    // Prepare
    const l = letter({ stage: 'claim', invoices: letter().invoices.map((i) => ({ ...i, number: '"><img src=x onerror=alert(1)>' })) }, { name: EVIL });
    // Act
    const e = renderEmail(l, { company: COMPANY });
    // Assess
    expect(e.html).not.toContain('<script>');
    expect(e.html).not.toContain('<img');
    expect(e.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; {{x}} {{{y}}}');
    expect(e.html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(e.text).toContain(`${EVIL} не исполнены обязательства`);
  });

  it('strips line breaks from the subject (no header injection)', () => {
    // Prepare
    const l = letter({ stage: 'litigation' }, { name: 'Evil\r\nBcc: all@example.com' });
    // Act
    const e = renderEmail(l, { company: COMPANY });
    // Assess
    expect(e.subject).not.toMatch(/[\r\n]/);
    expect(e.subject).toContain('Evil Bcc: all@example.com');
  });

  it('refuses a letter without invoices', () => {
    // Prepare
    const l = letter({ invoices: [] });
    // Act / Assess
    expect(() => renderEmail(l, { company: COMPANY })).toThrow(ValidationError);
  });
});

describe('letterFromPlan', () => {
  it('builds one letter per stage plan with totals and the locale template', () => {
    // Prepare
    const runDate = '2025-03-11' as CalendarDate;
    const base = letter().invoices[0]!;
    const invoices = [
      { ...base, invoiceId: 'A', number: 'A', status: 'open' as const, dueDate: '2025-02-27' as CalendarDate },
      { ...base, invoiceId: 'B', number: 'B', status: 'open' as const, dueDate: '2025-02-26' as CalendarDate, outstanding: { amount: '0.50', currency: 'RUB' as const } },
    ];
    const d = decideCustomer({ policy: WHOLESALE, runDate, invoices, history: [], pauses: [], contact: { emails: ['x@y.example'], hasPostalAddress: true } });
    // Act
    const l = letterFromPlan({ plan: d.stages[0]!, customer: letter().customer, runDate, outgoingNumber: 'N-1' });
    // Assess
    expect(l.stage).toBe('claim');
    expect(l.template).toBe('wholesale/claim');
    expect(l.invoices.map((i) => [i.number, i.daysOverdue])).toEqual([
      ['B', 13],
      ['A', 12],
    ]);
    expect(l.totals).toEqual([{ amount: '7300.50', currency: 'RUB' }]);
  });
});

describe('PDF letters and the print batch', () => {
  it('a single letter is one A4 page PDF; the name is a literal text node', async () => {
    // Prepare
    const l = letter({}, { name: EVIL });
    // Act
    const pdf = await renderLetterPdf(l, COMPANY);
    const def = letterDocDefinition(l, COMPANY);
    // Assess
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdfPages(pdf)).toBe(1);
    expect(def.pageSize).toBe('A4');
    expect(JSON.stringify(def.content)).toContain(JSON.stringify({ text: EVIL, bold: true }));
  });

  it.skipIf(!hasPdftotext)('the PDF prints the hostile name as plain text (pdftotext)', async () => {
    // Prepare
    const l = letter({}, { name: EVIL });
    // Act
    const text = pdfText(await renderLetterPdf(l, COMPANY));
    // Assess
    expect(text).toContain('<script>alert(1)</script> {{x}} {{{y}}}');
    expect(text).toContain('ПРЕТЕНЗИЯ');
    expect(sp(text)).toContain('32 300,50 ₽');
  });

  it('the shared-font cache is in effect when pdfkit runs from node_modules (the local stack, the bench)', () => {
    // Prepare: importing the renderer installed it
    // Act
    const status = { ...fontCacheStatus };
    // Assess
    expect(status).toEqual({ installed: true });
  });

  it('text shaped once and shared between documents gives the same PDF as shaping afresh', async () => {
    // Prepare: the variable parts (dates, document id) are masked
    const mask = (pdf: Uint8Array) =>
      Buffer.from(pdf)
        .toString('latin1')
        .replace(/\/(CreationDate|ModDate) \(D:[^)]*\)/g, '/$1 ()')
        // pdfkit may write the info dates as separate objects: "(D:20261205014346Z)" on its own line
        .replace(/\(D:\d{14}[^)]*\)/g, '(D:)')
        .replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/gi, '/ID []');
    const l = letter();
    clearShapingCache();
    // Act
    const cold = mask(await renderLetterPdf(l, COMPANY));
    await renderLetterPdf(letter({}, { name: 'ООО «Другой покупатель»' }), COMPANY);
    const warm = mask(await renderLetterPdf(l, COMPANY));
    // Assess
    expect(warm.length).toBe(cold.length);
    expect(warm).toBe(cold);
  });

  it('a long letter flows onto more pages', async () => {
    // Prepare
    const one = letter().invoices[0]!;
    const invoices = Array.from({ length: 80 }, (_, k) => ({ ...one, invoiceId: `I-${k}`, number: `ТН-${1000 + k}` }));
    const l = letter({ invoices, totals: [{ amount: '584000.00', currency: 'RUB' }] });
    // Act
    const pdf = await renderLetterPdf(l, COMPANY);
    // Assess
    expect(pdfPages(pdf)).toBe(4); // pdfinfo agrees; the header row repeats on every page
  });

  it('the print batch is ONE PDF: every letter, then one envelope per letter in the chosen size', async () => {
    // Prepare
    const letters = [letter({}, { name: EVIL }), letter({ stage: 'warning' }, { locale: 'en', name: 'Acme Trading Ltd' }), letter({ stage: 'reminder' }, { customerId: 'C-3' })];
    // Act
    const dl = await renderPrintBatch(letters, COMPANY, { envelope: 'DL' });
    const c5 = await renderPrintBatch(letters, COMPANY, { envelope: 'C5' });
    // Assess
    expect(Buffer.from(dl.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(pdfPages(dl)).toBe(6);
    const boxes = (pdf: Uint8Array) =>
      Buffer.from(pdf)
        .toString('latin1')
        .match(/\/MediaBox \[[^\]]+\]/g) ?? [];
    expect(boxes(dl).filter((b) => b.includes('595.28')).length).toBe(3);
    expect(boxes(dl).filter((b) => b.includes('623.62')).length).toBe(3); // 220 mm
    expect(boxes(c5).filter((b) => b.includes('649.13')).length).toBe(3); // 229 mm
  });

  it.skipIf(!hasPdftotext)('envelopes carry sender and recipient addresses', async () => {
    // Prepare
    const letters = [letter({}, { name: EVIL })];
    // Act
    const text = pdfText(await renderPrintBatch(letters, COMPANY, { envelope: 'DL' }));
    // Assess
    const envelope = text.split('\f')[1]!;
    expect(envelope).toContain('ООО «Северный опт»');
    expect(envelope).toContain('ул. Тверская, д. 1, офис 5');
    expect(envelope).toContain(EVIL);
    expect(envelope).toContain('Невский пр., д. 10, кв. 3');
    expect(envelope).toContain('190000, г. Санкт-Петербург');
  });

  it('refuses an empty batch and letters without a postal address', async () => {
    // Prepare
    const noAddress = letter({}, { address: undefined });
    // Act / Assess
    await expect(renderPrintBatch([], COMPANY, { envelope: 'DL' })).rejects.toThrow(ValidationError);
    await expect(renderPrintBatch([noAddress], COMPANY, { envelope: 'C5' })).rejects.toThrow(/no postal address for C-1/);
  });
});
