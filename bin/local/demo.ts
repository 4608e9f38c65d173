/**
 * The demo ledger, loaded into an empty local database. Everything is clearly marked as demo
 * (customer ids start with "demo-", names end with "(демо)"/"(demo)"). Dates are relative to the
 * as-of date so every stage of the default policy has a customer on any run date.
 */
import { addDays, type CalendarDate } from '../../functions/domain/dates.js';
import type { LedgerCommand } from '../../functions/domain/ledger/commands.js';

export const DEMO_MARK = 'demo-';

export function demoLedger(asOf: CalendarDate): LedgerCommand[] {
  const d = (n: number) => addDays(asOf, n);
  const rub = (amount: string) => ({ amount, currency: 'RUB' as const });
  const cmds: LedgerCommand[] = [];
  const customer = (id: string, legalName: string, opts: { email?: string; taxId?: string; locale?: 'ru' | 'en'; city?: string; street?: string; segment?: string } = {}) =>
    cmds.push({
      type: 'customer.upsert',
      customerId: `${DEMO_MARK}${id}`,
      legalName,
      taxId: opts.taxId,
      emails: opts.email ? [opts.email] : [],
      locale: opts.locale ?? 'ru',
      segment: opts.segment ?? 'wholesale',
      manager: 'Анна Петрова',
      paymentTermsDays: 14,
      postalAddress: { postalCode: '190000', country: 'Россия', city: opts.city ?? 'Санкт-Петербург', line1: opts.street ?? 'Невский пр., д. 1, оф. 10' },
    });
  const contract = (cust: string, id: string, number: string, ratePctPerDay?: string) =>
    cmds.push({
      type: 'contract.upsert',
      customerId: `${DEMO_MARK}${cust}`,
      contractId: `${DEMO_MARK}${id}`,
      number,
      date: d(-400),
      currency: 'RUB',
      paymentTermsDays: 14,
      penalty: ratePctPerDay ? { rule: 'contractual', ratePctPerDay, capPct: '10', clause: 'п. 6.2 договора' } : { rule: 'interest395' },
    });
  const invoice = (cust: string, contractId: string, id: string, number: string, dueIn: number, amount: string) =>
    cmds.push({
      type: 'invoice.issued',
      customerId: `${DEMO_MARK}${cust}`,
      contractId: `${DEMO_MARK}${contractId}`,
      invoiceId: `${DEMO_MARK}${id}`,
      number,
      issueDate: d(dueIn - 14),
      dueDate: d(dueIn),
      amount: rub(amount),
    });

  // Reminder: due in 5 days.
  customer('romashka', 'ООО «Ромашка» (демо)', { email: 'buh@romashka.example', taxId: '7801000001' });
  contract('romashka', 'c-romashka', 'ДП-17/2025', '0.1');
  invoice('romashka', 'c-romashka', 'inv-r-101', 'СЧ-101', 5, '125000.00');

  // Reminder, English-speaking customer: due in 3 days.
  customer('greenleaf', 'Green Leaf Trading LLC (demo)', { email: 'ap@greenleaf.example', locale: 'en', taxId: '7801000002' });
  contract('greenleaf', 'c-greenleaf', 'GL-2025-04');
  invoice('greenleaf', 'c-greenleaf', 'inv-g-201', 'INV-201', 3, '48900.50');

  // Warning: 7 days overdue.
  customer('vector', 'ООО «Вектор» (демо)', { email: 'finance@vector.example', taxId: '7801000003', city: 'Москва', street: 'ул. Тверская, д. 7' });
  contract('vector', 'c-vector', 'ДП-03/2024', '0.1');
  invoice('vector', 'c-vector', 'inv-v-301', 'СЧ-301', -7, '310500.00');

  // Claim: 12 days overdue, partly paid.
  customer('sever', 'АО «Северный ветер» (демо)', { email: 'office@sever.example', taxId: '7801000004', city: 'Мурманск', street: 'пр. Ленина, д. 45' });
  contract('sever', 'c-sever', 'ДП-44/2024', '0.2');
  invoice('sever', 'c-sever', 'inv-s-401', 'СЧ-401', -12, '540000.00');
  cmds.push({
    type: 'payment.received',
    customerId: `${DEMO_MARK}sever`,
    paymentId: `${DEMO_MARK}pay-s-1`,
    date: d(-3),
    amount: rub('140000.00'),
    invoiceIds: [`${DEMO_MARK}inv-s-401`],
    channel: 'bank',
  });

  // Litigation: 45 days overdue; the pre-trial claim went out 33 days ago (demoSentLetters), so the claim
  // period of 30 days has run and the case may go to court.
  customer('smirnov', 'ИП Смирнов А. В. (демо)', { email: 'smirnov@mail.example', taxId: '780100000512', city: 'Псков', street: 'ул. Советская, д. 12' });
  contract('smirnov', 'c-smirnov', 'ДП-09/2023', '0.1');
  invoice('smirnov', 'c-smirnov', 'inv-sm-501', 'СЧ-501', -45, '86000.00');

  // Warning by print only: no email on file.
  customer('nomail', 'ООО «Тихий склад» (демо)', { taxId: '7801000006', city: 'Тверь', street: 'ул. Складская, д. 3' });
  contract('nomail', 'c-nomail', 'ДП-21/2025');
  invoice('nomail', 'c-nomail', 'inv-n-601', 'СЧ-601', -8, '27300.00');

  // Paid on time: nothing to send.
  customer('accurate', 'ООО «Аккуратный плательщик» (демо)', { email: 'pay@accurate.example', taxId: '7801000007' });
  contract('accurate', 'c-accurate', 'ДП-01/2025');
  invoice('accurate', 'c-accurate', 'inv-a-701', 'СЧ-701', -2, '15000.00');
  cmds.push({ type: 'payment.received', customerId: `${DEMO_MARK}accurate`, paymentId: `${DEMO_MARK}pay-a-1`, date: d(-3), amount: rub('15000.00'), channel: 'bank' });

  return cmds;
}

/** Letters the demo customers already had before the demo's first run (the outbox and stage history hold them). */
export function demoSentLetters(asOf: CalendarDate): { customerId: string; runDate: CalendarDate; stage: 'claim'; invoiceIds: string[]; channels: string[] }[] {
  return [{ customerId: `${DEMO_MARK}smirnov`, runDate: addDays(asOf, -33), stage: 'claim', invoiceIds: [`${DEMO_MARK}inv-sm-501`], channels: ['print', 'email'] }];
}
