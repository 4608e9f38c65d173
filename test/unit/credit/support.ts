import type { CalendarDate } from '../../../functions/domain/dates.js';
import { DEFAULT_CREDIT_POLICY, type CheckContext, type CreditFacts, type CreditInvoice, type CreditTerms } from '../../../functions/domain/credit/index.js';
import { addDays } from '../../../functions/domain/dates.js';

export const TODAY = '2026-11-24' as CalendarDate; // a Tuesday
export const NOW = '2026-11-24T09:00:00.000Z';
export const END = '2026-11-24T21:00:00.000Z';
export const rub = (amount: string) => ({ amount, currency: 'RUB' as const });

export const TERMS: CreditTerms = {
  limit: rub('1000000.00'),
  deferralDays: 14,
  prepaymentPct: '0',
  maxDaysOverdue: 5,
  materialityFloor: rub('100.00'),
  mode: 'hard',
};

export function inv(id: string, daysOverdue: number, outstanding = '10000.00', extra: Partial<CreditInvoice> = {}): CreditInvoice {
  return { invoiceId: id, number: `СЧ-${id}`, dueDate: addDays(TODAY, -daysOverdue), outstanding: rub(outstanding), ...extra };
}

export function facts(invoices: CreditInvoice[], more: Partial<CreditFacts> = {}): CreditFacts {
  return { customerId: 'c-1', invoices, unappliedCredit: [], reservations: [], ...more };
}

export function ctx(more: Partial<CheckContext> = {}): CheckContext {
  return {
    policy: DEFAULT_CREDIT_POLICY,
    terms: TERMS,
    overrides: [],
    holdRules: { holdStart: 'days-overdue', warningPayWithinDays: 5 },
    today: TODAY,
    now: NOW,
    endOfDay: END,
    ...more,
  };
}
