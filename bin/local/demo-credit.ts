/**
 * Credit control's part of the demo: a year of paid invoices for some demo customers (so payment
 * discipline has something to grade; all paid, so no letter changes) and individual credit terms that
 * differ from the matrix. Dates relative to the demo's as-of date. Figures by hand (asOf = A):
 *
 *   customer          invoices counted (due in A−365…A)                    on time   avg days late  score  category
 *   demo-accurate     4 × paid on or before due (3 × 20 000, 15 000)        1.0000    0.00           100.0  A
 *   demo-greenleaf    5 × 40 000, one paid 3 days late                      0.8000    0.60            79.1  B
 *   demo-vector       100 000 on time, 100 000 20 days late,                0.1959    8.18             7.3  D
 *                     310 500 unpaid 7 days
 *   demo-sever        200 000 5 days late, 200 000 on time,                 0.2128    7.51            10.0  D
 *                     540 000: 140 000 paid 9 days late, 400 000 unpaid 12 days
 *   demo-romashka, demo-smirnov, demo-nomail: fewer than 3 invoices due → new
 *
 * Individual terms: demo-vector has a 1 000 000 limit; demo-nomail ships in flexible mode (against
 * prepayment); demo-romashka a 500 000 limit.
 */
import { addDays, type CalendarDate } from '../../functions/domain/dates.js';
import type { LedgerCommand } from '../../functions/domain/ledger/commands.js';
import type { CreditProfile } from '../../functions/ports/credit.js';
import { DEMO_MARK } from './demo.js';

export function demoCreditHistory(asOf: CalendarDate): LedgerCommand[] {
  const d = (n: number) => addDays(asOf, n);
  const cmds: LedgerCommand[] = [];
  const paid = (cust: string, id: string, due: number, amount: string, paidAt: number, part?: string) => {
    const c = `${DEMO_MARK}${cust}`;
    cmds.push({
      type: 'invoice.issued',
      customerId: c,
      contractId: `${DEMO_MARK}c-${cust}`,
      invoiceId: `${DEMO_MARK}${id}`,
      number: id.toUpperCase(),
      issueDate: d(due - 14),
      dueDate: d(due),
      amount: { amount, currency: 'RUB' },
    });
    cmds.push({
      type: 'payment.received',
      customerId: c,
      paymentId: `${DEMO_MARK}pay-${id}`,
      date: d(paidAt),
      amount: { amount: part ?? amount, currency: 'RUB' },
      invoiceIds: [`${DEMO_MARK}${id}`],
      channel: 'bank',
    });
  };
  paid('accurate', 'h-a-1', -300, '20000.00', -302);
  paid('accurate', 'h-a-2', -200, '20000.00', -200);
  paid('accurate', 'h-a-3', -100, '20000.00', -101);
  paid('greenleaf', 'h-g-1', -330, '40000.00', -331);
  paid('greenleaf', 'h-g-2', -270, '40000.00', -271);
  paid('greenleaf', 'h-g-3', -210, '40000.00', -211);
  paid('greenleaf', 'h-g-4', -150, '40000.00', -147);
  paid('greenleaf', 'h-g-5', -80, '40000.00', -81);
  paid('vector', 'h-v-1', -250, '100000.00', -251);
  paid('vector', 'h-v-2', -150, '100000.00', -130);
  paid('sever', 'h-s-1', -200, '200000.00', -195);
  paid('sever', 'h-s-2', -100, '200000.00', -100);
  return cmds;
}

export const DEMO_CREDIT_PROFILES: Record<string, CreditProfile> = {
  [`${DEMO_MARK}vector`]: { terms: { limit: { amount: '1000000.00', currency: 'RUB' } }, updatedBy: 'demo' },
  [`${DEMO_MARK}nomail`]: { terms: { mode: 'flexible' }, updatedBy: 'demo' },
  [`${DEMO_MARK}romashka`]: { terms: { limit: { amount: '500000.00', currency: 'RUB' } }, updatedBy: 'demo' },
};
