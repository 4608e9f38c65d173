/**
 * Letters wholly in the reader's language (issue 16 item 6): an English letter, email (text and HTML)
 * and PDF, has no Cyrillic except the reader's own names and requisites.
 *
 * The allowance, precisely: the Cyrillic an English letter may show is exactly these values of the
 * letter's data, which the customer's own documents carry and which are not translated:
 *  - the customer's name and each field of its postal address;
 *  - the invoices' numbers and the contracts' numbers.
 * Everything else — the templates, the company's requisites (configured per language), the outgoing
 * reference, the penalty's legal basis (the statute's English name, "clause N of contract No. …") — must
 * be Latin. The test removes each allowed value from the text and then looks for any Cyrillic letter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outgoingNumber } from '../../../functions/app/process-customer.js';
import { DEFAULT_COMPANY } from '../../../functions/config.js';
import { foldLedger } from '../../../functions/domain/ledger/index.js';
import { penaltyForInvoices } from '../../../functions/domain/penalties/for-invoices.js';
import { defaultRules } from '../../../functions/domain/penalties/index.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { penaltyParagraph, referencePrefixFor, renderEmail, renderLetterPdf, renderPrintBatch, type CompanyRequisites, type Letter } from '../../../functions/letters/index.js';
import { cmd, customer } from '../ledger/builders.js';

const CYRILLIC = /[\u0400-\u04FF\u0500-\u052F]/;
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const pdfText = (pdf: Uint8Array): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cf-en-'));
  writeFileSync(join(dir, 'a.pdf'), pdf);
  return execFileSync('pdftotext', [join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
};
const oneLine = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');
const htmlText = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x2F;/g, '/')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The Cyrillic words left once the allowed values are taken out. */
function foreignWords(text: string, allowed: readonly string[]): string[] {
  let rest = oneLine(text);
  for (const a of [...allowed].sort((x, y) => y.length - x.length)) rest = rest.split(oneLine(a)).join(' ');
  return rest.split(' ').filter((w) => CYRILLIC.test(w));
}

const allowedOf = (l: Letter): string[] => {
  const a = l.customer.address;
  return [
    l.customer.name,
    ...(a ? [a.postalCode, a.country, a.city, a.line1, a.line2].filter((x): x is string => !!x) : []),
    ...l.invoices.flatMap((i) => [i.number, ...(i.contractNumber ? [i.contractNumber] : [])]),
  ];
};

// Prepare (shared): a Russian customer reading English, two contracts with Cyrillic numbers — one with a
// contractual penalty whose clause is written in Russian, one without (interest under ст. 395).
const runDate = '2026-03-10' as CalendarDate;
const state = foldLedger([
  customer('C1', { legalName: 'ООО «Ромашка»', locale: 'en' }),
  cmd({
    type: 'contract.upsert',
    customerId: 'C1',
    contractId: 'K1',
    number: 'ДП-44/2024',
    date: '2024-01-10',
    currency: 'RUB',
    penalty: { rule: 'contractual', ratePctPerDay: '0.2', capPct: '10', clause: 'п. 6.2 договора' },
  }),
  cmd({ type: 'contract.upsert', customerId: 'C1', contractId: 'K2', number: 'ПС-7', date: '2024-02-01', currency: 'RUB' }),
  cmd({
    type: 'invoice.issued',
    customerId: 'C1',
    invoiceId: 'I1',
    contractId: 'K1',
    number: 'СЧ-301',
    issueDate: '2026-01-20',
    dueDate: '2026-02-03',
    amount: { amount: '100000.00', currency: 'RUB' },
  }),
  cmd({
    type: 'invoice.issued',
    customerId: 'C1',
    invoiceId: 'I2',
    contractId: 'K2',
    number: 'СЧ-302',
    issueDate: '2026-01-25',
    dueDate: '2026-02-09',
    amount: { amount: '50000.00', currency: 'RUB' },
  }),
]);
const company = DEFAULT_COMPANY as CompanyRequisites;

function englishLetter(stage: Letter['stage'], family: 'wholesale' | 'housing'): Letter {
  const p = penaltyForInvoices(state, ['I1', 'I2'], runDate, defaultRules());
  const contracts: Record<string, { number: string; date: CalendarDate }> = {
    K1: { number: 'ДП-44/2024', date: '2024-01-10' as CalendarDate },
    K2: { number: 'ПС-7', date: '2024-02-01' as CalendarDate },
  };
  const invoices = state.invoices.map((i) => ({
    invoiceId: i.invoiceId,
    number: i.number,
    issueDate: i.issueDate,
    contractNumber: contracts[i.contractId!]!.number,
    contractDate: contracts[i.contractId!]!.date,
    dueDate: i.dueDate,
    amount: i.amount,
    outstanding: i.amount,
    daysOverdue: 30,
  }));
  return {
    customer: {
      customerId: 'C1',
      name: 'ООО «Ромашка»',
      taxId: '7702000000',
      kpp: '770201001',
      address: { postalCode: '190000', country: 'Россия', city: 'г. Санкт-Петербург', line1: 'Невский пр., д. 10, кв. 3' },
      locale: 'en',
      emails: ['buh@romashka.example'],
    },
    stage,
    runDate,
    outgoingNumber: outgoingNumber(runDate, 'C1', stage, referencePrefixFor(company, 'en')),
    invoices: invoices.map((i) => ({ ...i, amount: { amount: i.amount.amount, currency: 'RUB' }, outstanding: { amount: i.outstanding.amount, currency: 'RUB' } })),
    totals: [{ amount: '150000.00', currency: 'RUB' }],
    ...(p ? { penalty: penaltyParagraph(p, runDate) } : {}),
    template: `${family}/${stage}`,
  } as Letter;
}

const CASES = (['reminder', 'warning', 'claim', 'litigation'] as const).flatMap((stage) => (['wholesale', 'housing'] as const).map((family) => [stage, family] as const));

describe('English letters have no Cyrillic but the reader’s own names and requisites', () => {
  it('the penalty paragraph words its legal basis in English (both contracts: the clause and ст. 395)', () => {
    // Act
    const e = renderEmail(englishLetter('claim', 'wholesale'), { company });
    // Assess: 0.2 %/day on 100 000.00 for 35 days (2026-02-04…03-10) = 7 000.00, and interest on 50 000.00.
    expect(oneLine(e.text)).toContain('(clause 6.2 of contract No. ДП-44/2024 (0.2 % per day, at most 10 %); Article 395 of the Civil Code of the Russian Federation)');
  });

  it.each(CASES)('%s (%s): email text and HTML', (stage, family) => {
    // Prepare
    const l = englishLetter(stage, family);
    // Act
    const e = renderEmail(l, { company });
    // Assess
    expect(foreignWords(`${e.subject} ${e.text}`, allowedOf(l))).toEqual([]);
    expect(foreignWords(htmlText(e.html), allowedOf(l))).toEqual([]);
    expect(CYRILLIC.test(e.text)).toBe(true); // the allowance is used: the customer's name is Cyrillic
  });

  it.skipIf(!hasPdftotext).each(CASES)('%s (%s): the PDF read back as text', async (stage, family) => {
    // Prepare
    const l = englishLetter(stage, family);
    // Act
    const text = pdfText(await renderLetterPdf(l, company));
    // Assess
    expect(foreignWords(text, allowedOf(l))).toEqual([]);
    if (stage === 'warning' || stage === 'claim') expect(oneLine(text)).toContain('clause 6.2 of contract No. ДП-44/2024');
  });

  it.skipIf(!hasPdftotext)('the print batch: the letter and its envelope (return address in English)', async () => {
    // Prepare
    const l = englishLetter('claim', 'wholesale');
    // Act
    const text = pdfText(await renderPrintBatch([l], company, { envelope: 'DL' }));
    // Assess
    expect(foreignWords(text, allowedOf(l))).toEqual([]);
    expect(text).toContain('Primer Postavki LLC');
  });
});
