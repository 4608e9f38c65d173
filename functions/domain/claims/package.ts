/**
 * What goes into a litigation package besides the documents themselves: court type and court-order
 * eligibility (price ≤ 500 000), the state duty for filing on `asOf`, the letters that prove the
 * pre-trial claim, and warnings (arbitration's 30-day wait after the claim, АПК 4 ч. 5; the 3-year
 * limitation period, ГК 196, per invoice). Pure.
 */
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, formatRu, type CalendarDate } from '../dates.js';
import { COURT_ORDER_LIMIT, courtOrderEligible, limitationStatus, stateDuty, type DutyResult, type LimitationStatus } from '../duty/index.js';
import type { RuleData } from '../rules/index.js';
import type { Money } from '../money.js';
import type { Assessment } from './assess.js';
import type { ClaimCase, CourtType } from './model.js';

/**
 * The claim period by default: a suit may be filed 30 calendar days after the pre-trial claim was sent
 * (АПК РФ ст. 4 ч. 5), unless the contract sets another term (contract.upsert `claimPeriodDays`).
 */
export const ARBITRATION_PRETRIAL_DAYS = 30;
export const DEFAULT_CLAIM_PERIOD_DAYS = ARBITRATION_PRETRIAL_DAYS;

/** "1 день", "3 дня", "11 дней". */
export function ruDays(n: number): string {
  const a = Math.abs(n) % 100;
  const b = a % 10;
  const w = a >= 11 && a <= 14 ? 'дней' : b === 1 ? 'день' : b >= 2 && b <= 4 ? 'дня' : 'дней';
  return `${n} ${w}`;
}

/**
 * The sentence about the claim period, true for any dates: the claim sent before, on or after `asOf`,
 * and the filing date before, on or after it.
 */
export function claimPeriodSentence(sentOn: CalendarDate, periodDays: number, asOf: CalendarDate): string {
  const fileFrom = addDays(sentOn, periodDays);
  const d = daysBetween(sentOn, asOf);
  const when =
    d > 0
      ? `претензия направлена ${formatRu(sentOn)}, за ${ruDays(d)} до ${formatRu(asOf)}`
      : d === 0
        ? `претензия направлена ${formatRu(sentOn)}, в день расчета`
        : `претензия датирована ${formatRu(sentOn)}, позже даты расчета ${formatRu(asOf)}`;
  const may =
    asOf >= fileFrom
      ? `срок ответа (${ruDays(periodDays)}) истек ${formatRu(addDays(fileFrom, -1))}; иск может быть подан с ${formatRu(fileFrom)}`
      : `срок ответа на претензию — ${ruDays(periodDays)}; иск может быть подан не ранее ${formatRu(fileFrom)}`;
  return `${when}; ${may}`;
}

export interface LetterProof {
  stage: string;
  runDate: CalendarDate;
  status: string;
  documentUri?: string;
  messageId?: string;
  channels?: string[];
  invoiceIds?: string[];
}

export type PackageWarningCode = 'pretrial-wait' | 'no-claim-letter' | 'limitation-near' | 'limitation-past' | 'nothing-to-claim';

export interface PackageWarning {
  code: PackageWarningCode;
  message: string;
  invoiceId?: string;
}

export interface PackageFacts {
  caseId: string;
  customerId: string;
  customerName?: string;
  taxId?: string;
  asOf: CalendarDate;
  court: CourtType;
  courtOrder: { eligible: boolean; limit: string; price: string; note: string };
  duty: DutyResult | undefined;
  principal: Money;
  penalty: Money;
  claimPrice: Money;
  total: Money;
  daysOverdue: number;
  invoices: {
    invoiceId: string;
    number: string;
    contractId?: string;
    issueDate: CalendarDate;
    dueDate: CalendarDate;
    amount: string;
    outstanding: string;
    daysOverdue: number;
    limitation: LimitationStatus;
    /** The first sent claim letter that listed the invoice, the claim period of its contract, the first filing day. */
    claim?: { sentOn: CalendarDate; claimPeriodDays: number; fileFrom: CalendarDate };
  }[];
  /** Letters sent to the customer, oldest first (proof of the pre-trial claim). */
  letters: LetterProof[];
  /**
   * The pre-trial claim over the invoices still owed: the latest of their first claim dates (`sentOn`),
   * days from it to asOf (negative when the claim is dated after asOf), the claim period, and the first
   * day a suit on all of them may be filed. `readyToFile`: every owed invoice had a claim and asOf ≥ fileFrom.
   */
  pretrialClaim?: { sentOn: CalendarDate; daysSince: number; claimPeriodDays: number; fileFrom: CalendarDate; readyToFile: boolean; statement: string };
  /** True when a suit may be filed on asOf: a claim covered every owed invoice and its period has run. */
  readyToFile: boolean;
  warnings: PackageWarning[];
}

export function packageFacts(input: {
  c: ClaimCase;
  assessment: Assessment;
  letters: readonly LetterProof[];
  asOf: CalendarDate;
  rules: RuleData;
  /** The customer's contracts (their claim period, `claimPeriodDays`; absent = 30 days). */
  contracts?: Record<string, { claimPeriodDays?: number }>;
}): PackageFacts {
  const { c, assessment: a, asOf, rules } = input;
  const warnings: PackageWarning[] = [];
  const price = a.claimPrice.amount;
  const positive = new Decimal(price).gt(0);
  const eligible = positive && courtOrderEligible(price);
  const duty = positive ? stateDuty({ court: c.court, price, filedOn: asOf, courtOrder: eligible }, rules) : undefined;
  if (!positive) warnings.push({ code: 'nothing-to-claim', message: `на ${formatRu(asOf)} взыскивать нечего: основной долг и неустойка равны нулю` });

  const sent = input.letters
    .filter((l) => l.status === 'sent')
    .slice()
    .sort((x, y) => (x.runDate < y.runDate ? -1 : x.runDate > y.runDate ? 1 : x.stage < y.stage ? -1 : 1));
  // Per invoice: the first sent claim letter that listed it, and its contract's claim period.
  const claims = sent.filter((l) => l.stage === 'claim');
  const periodOf = (contractId?: string): number => (contractId ? input.contracts?.[contractId]?.claimPeriodDays : undefined) ?? DEFAULT_CLAIM_PERIOD_DAYS;
  const claimOf = (invoiceId: string, contractId?: string) => {
    const l = claims.find((x) => x.invoiceIds?.includes(invoiceId));
    if (!l) return undefined;
    const claimPeriodDays = periodOf(contractId);
    return { sentOn: l.runDate, claimPeriodDays, fileFrom: addDays(l.runDate, claimPeriodDays) };
  };
  const owed = a.basis.filter((i) => new Decimal(i.outstanding.amount).gt(0));
  let pretrialClaim: PackageFacts['pretrialClaim'];
  const unclaimed = owed.filter((i) => !claimOf(i.invoiceId, i.contractId));
  for (const i of unclaimed) {
    warnings.push({
      code: 'no-claim-letter',
      invoiceId: i.invoiceId,
      message:
        c.court === 'arbitration'
          ? `по счету № ${i.number} претензия не направлялась: без претензии и истечения срока ответа на нее иск будет возвращен (АПК РФ ст. 4 ч. 5, ст. 129 ч. 1 п. 5)`
          : `по счету № ${i.number} претензия не направлялась: если договор предусматривает претензионный порядок, иск будет возвращен (ГПК РФ ст. 135 ч. 1 п. 1)`,
    });
  }
  const covered = owed.map((i) => claimOf(i.invoiceId, i.contractId)).filter((x): x is NonNullable<typeof x> => !!x);
  if (covered.length) {
    const last = covered.reduce((m, x) => (x.fileFrom > m.fileFrom ? x : m));
    const readyToFile = unclaimed.length === 0 && asOf >= last.fileFrom;
    const statement = claimPeriodSentence(last.sentOn, last.claimPeriodDays, asOf);
    pretrialClaim = { sentOn: last.sentOn, daysSince: daysBetween(last.sentOn, asOf), claimPeriodDays: last.claimPeriodDays, fileFrom: last.fileFrom, readyToFile, statement };
    if (asOf < last.fileFrom) warnings.push({ code: 'pretrial-wait', message: statement });
  }

  const invoices = a.basis.map((i) => {
    const limitation = limitationStatus(i.dueDate, asOf);
    if (new Decimal(i.outstanding.amount).gt(0) && limitation.status !== 'ok') {
      warnings.push({
        code: limitation.status === 'past' ? 'limitation-past' : 'limitation-near',
        invoiceId: i.invoiceId,
        message:
          limitation.status === 'past'
            ? `счет № ${i.number} (срок оплаты ${formatRu(i.dueDate)}): трехлетний срок исковой давности (ГК РФ ст. 196) истек ${formatRu(limitation.expiresOn)}`
            : `счет № ${i.number} (срок оплаты ${formatRu(i.dueDate)}): трехлетний срок исковой давности (ГК РФ ст. 196) истекает ${formatRu(limitation.expiresOn)}, через ${ruDays(limitation.daysLeft)}`,
      });
    }
    return {
      invoiceId: i.invoiceId,
      number: i.number,
      ...(i.contractId ? { contractId: i.contractId } : {}),
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      amount: i.amount.amount,
      outstanding: i.outstanding.amount,
      daysOverdue: i.daysOverdue,
      limitation,
      ...(claimOf(i.invoiceId, i.contractId) ? { claim: claimOf(i.invoiceId, i.contractId)! } : {}),
    };
  });

  return {
    caseId: c.caseId,
    customerId: c.customerId,
    ...(c.customerName ? { customerName: c.customerName } : {}),
    ...(c.taxId ? { taxId: c.taxId } : {}),
    asOf,
    court: c.court,
    courtOrder: {
      eligible,
      limit: COURT_ORDER_LIMIT,
      price,
      note: eligible
        ? `цена иска ${price} не превышает ${COURT_ORDER_LIMIT}: заявление о выдаче судебного приказа (${c.court === 'arbitration' ? 'АПК РФ ст. 229.2' : 'ГПК РФ ст. 121, 122'})`
        : `цена иска ${price} превышает ${COURT_ORDER_LIMIT}: исковое заявление`,
    },
    duty,
    principal: a.principal,
    penalty: a.penalty.amount,
    claimPrice: a.claimPrice,
    total: a.total,
    daysOverdue: a.daysOverdue,
    invoices,
    letters: sent,
    ...(pretrialClaim ? { pretrialClaim } : {}),
    readyToFile: !!pretrialClaim?.readyToFile,
    warnings,
  };
}
