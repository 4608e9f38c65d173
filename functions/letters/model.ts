/**
 * The letter model: what every renderer (email, PDF, print batch) takes. One letter per customer per
 * stage per run, listing every invoice at that stage.
 */
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import { isCalendarDate, type CalendarDate } from '../domain/dates.js';
import { add, zero, DECIMAL_RE, isCurrency, type Currency, type Money } from '../domain/money.js';
import { STAGES, type Locale, type StageName } from '../domain/policy/schema.js';
import type { DunnableInvoice, StagePlan } from '../domain/policy/decide.js';
import type { ShipmentNotice } from '../domain/credit/holds.js';
import type { InvoiceView } from '../domain/ledger/invoice-view.js';
import type { PenaltyTerms } from '../domain/penalties/basis.js';
import type { PenaltyForInvoices } from '../domain/penalties/for-invoices.js';

export interface PostalAddress {
  postalCode?: string;
  country?: string;
  city: string;
  line1: string;
  line2?: string;
}

export interface LetterCustomer {
  customerId: string;
  name: string;
  /** ИНН */
  taxId?: string;
  /** КПП */
  kpp?: string;
  address?: PostalAddress;
  locale: Locale;
  /** Usable emails (the email channel's recipients). */
  emails: string[];
}

export type LetterInvoice = Pick<InvoiceView, 'invoiceId' | 'number' | 'issueDate' | 'contractNumber' | 'contractDate' | 'dueDate' | 'amount' | 'outstanding'> & {
  /** runDate − dueDate; negative = due in N days (reminder). */
  daysOverdue: number;
};

export interface PenaltyParagraph {
  amount: Money;
  asOf: CalendarDate;
  /** In Russian, e.g. 'п. 5.2 договора № 12 (0,2 % в день)', 'ГК РФ ст. 395', 'ЖК РФ ст. 155 ч. 14'. */
  basis: string;
  /** The basis as data: the letter words it in its own language (absent only on letters stored before it existed). */
  terms?: PenaltyTerms[];
}

/** The penalty paragraph of a warning or claim letter from the penalty computed on its invoices. */
export const penaltyParagraph = (p: PenaltyForInvoices, asOf: CalendarDate): PenaltyParagraph => ({
  amount: { amount: p.total, currency: p.currency as Currency },
  asOf,
  basis: p.basis,
  terms: p.terms,
});

export interface Letter {
  customer: LetterCustomer;
  stage: StageName;
  runDate: CalendarDate;
  /** Outgoing registration number, e.g. "ИСХ-2025-000123". */
  outgoingNumber: string;
  invoices: LetterInvoice[];
  /** Outstanding per currency. */
  totals: Money[];
  /** Printed in warning and claim letters when present (computed by the penalties module). */
  penalty?: PenaltyParagraph;
  /** Template id `<family>/<stage>` (policy StageRule.templates[locale]); default `wholesale/<stage>`. */
  template?: string;
  /** Days given to pay (warning/claim texts); default 5. */
  payWithinDays?: number;
  /** What the letter says about shipments (credit control's hold dates); absent: the sentence is left out. */
  shipments?: ShipmentNotice;
}

export interface CompanyRequisites {
  name: string;
  /** ИНН */
  inn: string;
  kpp?: string;
  ogrn?: string;
  /** Legal address, one line. */
  legalAddress: string;
  /** Return address for envelopes. */
  postalAddress: PostalAddress;
  phone?: string;
  email?: string;
  bank: { name: string; bik: string; account: string; corrAccount?: string };
  signatory: { name: string; title: string };
  /**
   * The requisites in another language, for letters in it: what is given replaces the field (the
   * company name, addresses, bank name, signatory). Without it a letter in that language would carry
   * the Russian name.
   */
  locales?: Partial<Record<'ru' | 'en', LocalizedRequisites>>;
  /** Outgoing reference prefix per letter language (default: ru "ИСХ", en "REF"). */
  referencePrefix?: Partial<Record<'ru' | 'en', string>>;
}

export interface LocalizedRequisites {
  name?: string;
  legalAddress?: string;
  postalAddress?: PostalAddress;
  bank?: { name: string };
  signatory?: { name: string; title: string };
}

const DEFAULT_PREFIX: Record<'ru' | 'en', string> = { ru: 'ИСХ', en: 'REF' };

/** The requisites as a letter in `locale` shows them. */
export function requisitesFor(company: CompanyRequisites, locale: 'ru' | 'en'): CompanyRequisites {
  const l = company.locales?.[locale];
  if (!l) return company;
  return {
    ...company,
    ...(l.name ? { name: l.name } : {}),
    ...(l.legalAddress ? { legalAddress: l.legalAddress } : {}),
    ...(l.postalAddress ? { postalAddress: l.postalAddress } : {}),
    ...(l.bank ? { bank: { ...company.bank, name: l.bank.name } } : {}),
    ...(l.signatory ? { signatory: l.signatory } : {}),
  };
}

/** The outgoing reference prefix for a letter language. */
export const referencePrefixFor = (company: CompanyRequisites | undefined, locale: 'ru' | 'en'): string => company?.referencePrefix?.[locale] ?? DEFAULT_PREFIX[locale];

/** Outstanding per currency, sorted by currency code. */
export function totalsOf(invoices: readonly { outstanding: Money }[]): Money[] {
  const by = new Map<Currency, Money>();
  for (const i of invoices) by.set(i.outstanding.currency, add(by.get(i.outstanding.currency) ?? zero(i.outstanding.currency), i.outstanding));
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** The invoice fields a letter needs; OpenInvoiceView satisfies it. */
export type LetterSourceInvoice = DunnableInvoice & Pick<InvoiceView, 'issueDate' | 'amount' | 'contractNumber' | 'contractDate'>;

/** Builds the letter for one stage plan of a decision (after recheckBeforeSend). */
export function letterFromPlan<T extends LetterSourceInvoice>(args: {
  plan: StagePlan<T>;
  customer: LetterCustomer;
  runDate: CalendarDate;
  outgoingNumber: string;
  penalty?: PenaltyParagraph;
  shipments?: ShipmentNotice;
}): Letter {
  const { plan, customer } = args;
  const letter: Letter = {
    customer,
    stage: plan.stage,
    runDate: args.runDate,
    outgoingNumber: args.outgoingNumber,
    invoices: plan.invoices.map((i) => ({
      invoiceId: i.invoiceId,
      number: i.number,
      issueDate: i.issueDate,
      ...(i.contractNumber !== undefined ? { contractNumber: i.contractNumber } : {}),
      ...(i.contractDate !== undefined ? { contractDate: i.contractDate } : {}),
      dueDate: i.dueDate,
      amount: i.amount,
      outstanding: i.outstanding,
      daysOverdue: i.daysOverdue,
    })),
    totals: totalsOf(plan.invoices),
    template: plan.templates[customer.locale],
    ...(plan.payWithinDays !== undefined ? { payWithinDays: plan.payWithinDays } : {}),
    ...(args.penalty ? { penalty: args.penalty } : {}),
    ...(args.shipments ? { shipments: args.shipments } : {}),
  };
  return assertLetter(letter);
}

const date = z.string().refine(isCalendarDate, 'must be YYYY-MM-DD');
const moneyS = z.object({ amount: z.string().regex(DECIMAL_RE), currency: z.string().refine(isCurrency) });
const LetterSchema = z.object({
  customer: z.object({
    customerId: z.string().min(1),
    name: z.string().min(1),
    taxId: z.string().optional(),
    kpp: z.string().optional(),
    address: z.object({ postalCode: z.string().optional(), country: z.string().optional(), city: z.string(), line1: z.string(), line2: z.string().optional() }).optional(),
    locale: z.enum(['ru', 'en']),
    emails: z.array(z.string()),
  }),
  stage: z.enum(STAGES),
  runDate: date,
  outgoingNumber: z.string().min(1),
  invoices: z
    .array(
      z.object({
        invoiceId: z.string().min(1),
        number: z.string().min(1),
        issueDate: date,
        contractNumber: z.string().optional(),
        contractDate: date.optional(),
        dueDate: date,
        amount: moneyS,
        outstanding: moneyS,
        daysOverdue: z.number().int(),
      }),
    )
    .min(1, 'a letter lists at least one invoice'),
  totals: z.array(moneyS).min(1),
  penalty: z
    .object({
      amount: moneyS,
      asOf: date,
      basis: z.string().min(1),
      terms: z
        .array(
          z.discriminatedUnion('rule', [
            z.object({
              rule: z.literal('contractual'),
              contractNumber: z.string().optional(),
              clause: z.string().optional(),
              ratePctPerDay: z.string(),
              capPct: z.string().optional(),
            }),
            z.object({ rule: z.literal('interest395') }),
            z.object({ rule: z.literal('housing') }),
          ]),
        )
        .min(1)
        .optional(),
    })
    .optional(),
  template: z
    .string()
    .regex(/^[a-z0-9-]+\/(reminder|warning|claim|litigation)$/)
    .optional(),
  payWithinDays: z.number().int().min(1).optional(),
  shipments: z
    .discriminatedUnion('state', [
      z.object({ state: z.literal('stopped'), since: date, prepaymentOnly: z.literal(true).optional() }),
      z.object({ state: z.literal('will-stop'), from: date, lastDay: date, prepaymentOnly: z.literal(true).optional() }),
      z.object({ state: z.literal('none') }),
    ])
    .optional(),
});

/** Validates a letter (renderers call it); throws ValidationError with field paths. */
export function assertLetter(letter: Letter): Letter {
  const r = LetterSchema.safeParse(letter);
  if (!r.success) {
    throw new ValidationError(
      r.error.issues.map((i) => ({ field: ['letter', ...i.path.map(String)].join('.'), message: i.message })),
      { cause: r.error },
    );
  }
  return letter;
}
