import type { CalendarDate } from '../../../functions/domain/dates.js';
import type { CompanyRequisites, Letter } from '../../../functions/letters/index.js';

export const COMPANY: CompanyRequisites = {
  name: 'ООО «Северный опт»',
  inn: '7701234567',
  kpp: '770101001',
  ogrn: '1157746000000',
  legalAddress: '125009, г. Москва, ул. Тверская, д. 1',
  postalAddress: { postalCode: '125009', city: 'г. Москва', line1: 'ул. Тверская, д. 1, офис 5' },
  phone: '+7 495 000-00-00',
  email: 'ar@sever-opt.example',
  bank: { name: 'ПАО Сбербанк', bik: '044525225', account: '40702810938000000001', corrAccount: '30101810400000000225' },
  signatory: { name: 'И. И. Петров', title: 'Генеральный директор' },
};

export function letter(over: Partial<Letter> = {}, customer: Partial<Letter['customer']> = {}): Letter {
  return {
    customer: {
      customerId: 'C-1',
      name: 'ООО «Ромашка»',
      taxId: '7702000000',
      kpp: '770201001',
      address: { postalCode: '190000', city: 'г. Санкт-Петербург', line1: 'Невский пр., д. 10, кв. 3' },
      locale: 'ru',
      emails: ['buh@romashka.example'],
      ...customer,
    },
    stage: 'claim',
    runDate: '2025-03-11' as CalendarDate,
    outgoingNumber: 'ИСХ-2025-000123',
    invoices: [
      {
        invoiceId: 'I-1',
        number: 'ТН-101',
        issueDate: '2025-01-20' as CalendarDate,
        contractNumber: '12/2024',
        contractDate: '2024-02-01' as CalendarDate,
        dueDate: '2025-02-24' as CalendarDate,
        amount: { amount: '7300.00', currency: 'RUB' },
        outstanding: { amount: '7300.00', currency: 'RUB' },
        daysOverdue: 15,
      },
      {
        invoiceId: 'I-2',
        number: 'ТН-117',
        issueDate: '2025-01-25' as CalendarDate,
        contractNumber: '12/2024',
        contractDate: '2024-02-01' as CalendarDate,
        dueDate: '2025-02-28' as CalendarDate,
        amount: { amount: '125000.50', currency: 'RUB' },
        outstanding: { amount: '25000.50', currency: 'RUB' },
        daysOverdue: 11,
      },
    ],
    totals: [{ amount: '32300.50', currency: 'RUB' }],
    ...over,
  };
}
