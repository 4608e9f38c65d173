/**
 * What goes into a litigation package besides the documents themselves: court type and court-order
 * eligibility (price ≤ 500 000), the state duty for filing on `asOf`, the letters that prove the
 * pre-trial claim, and warnings (arbitration's 30-day wait after the claim, АПК 4 ч. 5; the 3-year
 * limitation period, ГК 196, per invoice). Pure.
 */
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, type CalendarDate } from '../dates.js';
import { COURT_ORDER_LIMIT, courtOrderEligible, limitationStatus, stateDuty, type DutyResult, type LimitationStatus } from '../duty/index.js';
import type { RuleData } from '../rules/index.js';
import type { Money } from '../money.js';
import type { Assessment } from './assess.js';
import type { ClaimCase, CourtType } from './model.js';

/** Arbitration: the claim may be filed 30 calendar days after the pre-trial claim was sent (АПК ст. 4 ч. 5). */
export const ARBITRATION_PRETRIAL_DAYS = 30;

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
  }[];
  /** Letters sent to the customer, oldest first (proof of the pre-trial claim). */
  letters: LetterProof[];
  /** The first claim letter sent (претензия), if any, and the first day an arbitration claim may be filed. */
  pretrialClaim?: { sentOn: CalendarDate; daysSince: number; fileFrom: CalendarDate };
  warnings: PackageWarning[];
}

export function packageFacts(input: {
  c: ClaimCase;
  assessment: Assessment;
  letters: readonly LetterProof[];
  asOf: CalendarDate;
  rules: RuleData;
}): PackageFacts {
  const { c, assessment: a, asOf, rules } = input;
  const warnings: PackageWarning[] = [];
  const price = a.claimPrice.amount;
  const positive = new Decimal(price).gt(0);
  const eligible = positive && courtOrderEligible(price);
  const duty = positive ? stateDuty({ court: c.court, price, filedOn: asOf, courtOrder: eligible }, rules) : undefined;
  if (!positive) warnings.push({ code: 'nothing-to-claim', message: `nothing to claim as of ${asOf}: principal and penalty are zero` });

  const sent = input.letters
    .filter((l) => l.status === 'sent')
    .slice()
    .sort((x, y) => (x.runDate < y.runDate ? -1 : x.runDate > y.runDate ? 1 : x.stage < y.stage ? -1 : 1));
  const claimLetter = sent.find((l) => l.stage === 'claim');
  let pretrialClaim: PackageFacts['pretrialClaim'];
  if (claimLetter) {
    const daysSince = daysBetween(claimLetter.runDate, asOf);
    const fileFrom = addDays(claimLetter.runDate, ARBITRATION_PRETRIAL_DAYS);
    pretrialClaim = { sentOn: claimLetter.runDate, daysSince, fileFrom };
    if (c.court === 'arbitration' && daysSince < ARBITRATION_PRETRIAL_DAYS) {
      warnings.push({
        code: 'pretrial-wait',
        message:
          `the pre-trial claim was sent on ${claimLetter.runDate}, ${daysSince} days before ${asOf}: ` +
          `an arbitration claim may be filed from ${fileFrom} (${ARBITRATION_PRETRIAL_DAYS} calendar days, АПК РФ ст. 4 ч. 5)`,
      });
    }
  } else {
    warnings.push({
      code: 'no-claim-letter',
      message:
        c.court === 'arbitration'
          ? 'no sent claim letter (претензия) on record: an arbitration court needs proof of the pre-trial claim and of the 30-day wait (АПК РФ ст. 4 ч. 5)'
          : 'no sent claim letter (претензия) on record: attach other proof of the pre-trial claim if the contract requires one',
    });
  }

  const invoices = a.basis.map((i) => {
    const limitation = limitationStatus(i.dueDate, asOf);
    if (new Decimal(i.outstanding.amount).gt(0) && limitation.status !== 'ok') {
      warnings.push({
        code: limitation.status === 'past' ? 'limitation-past' : 'limitation-near',
        invoiceId: i.invoiceId,
        message:
          limitation.status === 'past'
            ? `invoice ${i.number} (due ${i.dueDate}): the 3-year limitation period (ГК РФ ст. 196) expired on ${limitation.expiresOn}`
            : `invoice ${i.number} (due ${i.dueDate}): the 3-year limitation period (ГК РФ ст. 196) expires on ${limitation.expiresOn}, in ${limitation.daysLeft} days`,
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
        ? `price ${price} ≤ ${COURT_ORDER_LIMIT}: court order first (${c.court === 'arbitration' ? 'АПК РФ ст. 229.2' : 'ГПК РФ ст. 121'})`
        : `price ${price} > ${COURT_ORDER_LIMIT}: statement of claim (исковое заявление)`,
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
    warnings,
  };
}
