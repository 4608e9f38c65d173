/**
 * The view model shared by every renderer: all values already formatted for the letter's locale, and the
 * stage body (templates/body/<family>.<stage>.<locale>.txt.hbs) split into the paragraphs before and after
 * the invoice table (the line `---table---` separates them).
 */
import { addDays } from '../domain/dates.js';
import { penaltyBasesText } from '../domain/penalties/basis.js';
import type { Locale, StageName } from '../domain/policy/schema.js';
import { formatDate, formatDays, formatMoney, pluralRu } from './format.js';
import { assertLetter, requisitesFor, type CompanyRequisites, type Letter, type PostalAddress } from './model.js';
import { readJson, renderFile, renderString, templatesDir } from './templates.js';

export interface I18n {
  titles: Record<StageName, string>;
  subjects: Record<StageName, string>;
  copyPrefix: string;
  copyNote: string;
  labels: Record<string, string>;
  families: Record<string, Record<string, string>>;
}

export interface LetterView {
  locale: Locale;
  stage: StageName;
  family: string;
  internal: boolean;
  title: string;
  subject: string;
  outgoing: string;
  runDate: string;
  outgoingNumber: string;
  payWithin: string;
  payBy: string;
  maxOverdue: string;
  showOverdue: boolean;
  tailCols: number;
  company: { name: string; ident: string; bank: string; contacts: string; signatoryName: string; signatoryTitle: string; addressLines: string[] };
  customer: { name: string; ident: string; addressLines: string[] };
  invoices: { contract: string; number: string; issueDate: string; amount: string; outstanding: string; dueDate: string; daysOverdue: string }[];
  totals: string[];
  penaltyText: string | null;
  /** The shipment sentence (credit control's hold date), or null when the letter says nothing about shipments. */
  shipmentText: string | null;
  /** Credit control gave this letter its hold dates (else the stage's fixed wording stands). */
  shipmentsKnown: boolean;
  copyNote: string | null;
  before: string[];
  after: string[];
  t: Record<string, string>;
}

export function addressLines(a: PostalAddress | undefined): string[] {
  if (!a) return [];
  const cityLine = [a.postalCode, a.city].filter(Boolean).join(', ');
  return [a.line1, a.line2, cityLine, a.country].filter((x): x is string => !!x && x.trim() !== '');
}

function paragraphs(text: string): string[] {
  return text
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join(' '),
    )
    .filter(Boolean);
}

function payWithinText(days: number, locale: Locale): string {
  return locale === 'ru' ? `${days} ${pluralRu(days, ['календарного дня', 'календарных дней', 'календарных дней'])}` : `${days} calendar ${days === 1 ? 'day' : 'days'}`;
}

/**
 * The shipment sentence: "stopped (since D)" or "will be stopped from D unless paid by D−1", from the
 * hold dates credit control computed for this letter; a letter without them (housing, or a customer
 * whose debt never holds) says nothing about shipments.
 */
function shipmentText(letter: Letter, t: Record<string, string>, locale: Locale): string | null {
  const s = letter.shipments;
  if (!s || s.state === 'none' || letter.stage === 'litigation') return null;
  // Flexible terms: a hold means shipping only against prepayment, and the letter says so.
  if (s.state === 'stopped') return renderString((s.prepaymentOnly ? t.shipmentsPrepaymentOnly : t.shipmentsStopped)!, { since: formatDate(s.since, locale) });
  return renderString((s.prepaymentOnly ? t.shipmentsWillBePrepaymentOnly : t.shipmentsWillStop)!, { from: formatDate(s.from, locale), lastDay: formatDate(s.lastDay, locale) });
}

export function buildView(letterIn: Letter, companyIn: CompanyRequisites, opts: { copy?: boolean; templatesDir?: string } = {}): LetterView {
  const letter = assertLetter(letterIn);
  const dir = templatesDir(opts.templatesDir);
  const locale = letter.customer.locale;
  const company = requisitesFor(companyIn, locale);
  const i18n = readJson<I18n>(dir, `i18n/${locale}.json`);
  const [family, tStage] = (letter.template ?? `wholesale/${letter.stage}`).split('/') as [string, StageName];
  const t = { ...i18n.labels, ...(i18n.families[family] ?? {}) };
  const internal = letter.stage === 'litigation';
  const payDays = letter.payWithinDays ?? 5;
  const maxOverdue = Math.max(...letter.invoices.map((i) => i.daysOverdue));

  const c = letter.customer;
  const customerIdent = c.taxId ? renderString(t.requisites!, { inn: c.taxId, kpp: c.kpp ?? null }) : '';
  const base = {
    locale,
    stage: letter.stage,
    family,
    internal,
    title: i18n.titles[letter.stage],
    runDate: formatDate(letter.runDate, locale),
    outgoingNumber: letter.outgoingNumber,
    payWithin: payWithinText(payDays, locale),
    payBy: formatDate(addDays(letter.runDate, payDays), locale),
    maxOverdue: formatDays(maxOverdue, locale),
    showOverdue: letter.stage !== 'reminder',
    tailCols: letter.stage !== 'reminder' ? 2 : 1,
    company: {
      name: company.name,
      ident: [
        renderString(t.requisites!, { inn: company.inn, kpp: company.kpp ?? null }),
        company.ogrn ? `${locale === 'ru' ? 'ОГРН' : 'OGRN'} ${company.ogrn}` : '',
        company.legalAddress,
      ]
        .filter(Boolean)
        .join(', '),
      bank: renderString(t.bank!, { ...company.bank, corrAccount: company.bank.corrAccount ?? null }),
      contacts: [company.phone, company.email].filter(Boolean).join(', '),
      signatoryName: company.signatory.name,
      signatoryTitle: company.signatory.title,
      addressLines: [company.name, ...addressLines(company.postalAddress)],
    },
    customer: { name: c.name, ident: customerIdent, addressLines: addressLines(c.address) },
    invoices: letter.invoices.map((i) => ({
      contract: i.contractNumber
        ? renderString(t.contractRef!, { number: i.contractNumber, date: i.contractDate ? formatDate(i.contractDate, locale) : '' }).replace(/\s+(от|of)\s*$/, '')
        : t.noContract!,
      number: i.number,
      issueDate: formatDate(i.issueDate, locale),
      amount: formatMoney(i.amount, locale),
      outstanding: formatMoney(i.outstanding, locale),
      dueDate: formatDate(i.dueDate, locale),
      daysOverdue: String(i.daysOverdue),
    })),
    totals: letter.totals.map((m) => formatMoney(m, locale)),
    penaltyText:
      letter.penalty && (letter.stage === 'warning' || letter.stage === 'claim')
        ? renderString(t.penalty!, {
            amount: formatMoney(letter.penalty.amount, locale),
            asOf: formatDate(letter.penalty.asOf, locale),
            // Worded in the letter's language from the terms; the Russian text only for a letter stored without them.
            basis: letter.penalty.terms?.length ? penaltyBasesText(letter.penalty.terms, locale) : letter.penalty.basis,
          })
        : null,
    copyNote: opts.copy ? i18n.copyNote : null,
    shipmentText: shipmentText(letter, t, locale),
    shipmentsKnown: letter.shipments !== undefined,
    t,
  };
  const outgoing = renderString(t.outgoing!, base);
  const subject = (opts.copy ? i18n.copyPrefix : '') + renderString(i18n.subjects[letter.stage], base);
  const body = renderFile('text', dir, `body/${family}.${tStage}.${locale}.txt.hbs`, base);
  const [beforeText, afterText = ''] = body.split(/^[ \t]*---table---[ \t]*$/m);
  return { ...base, outgoing, subject, before: paragraphs(beforeText ?? ''), after: paragraphs(afterText) };
}
