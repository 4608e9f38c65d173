/** Deterministic generated ledgers for the bench (seeded PRNG; no clock). */
import { addDays, type CalendarDate } from '../functions/domain/dates.js';
import type { LedgerCommand } from '../functions/domain/ledger/commands.js';

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const amount = (r: () => number) => `${1000 + Math.floor(r() * 499_000)}.${String(Math.floor(r() * 100)).padStart(2, '0')}`;

/** One customer's history: profile, contract, invoices due around `asOf`, some partial payments. */
export function customerHistory(i: number, invoices: number, asOf: CalendarDate, r: () => number): LedgerCommand[] {
  const customerId = `bench-${String(i).padStart(6, '0')}`;
  const cmds: LedgerCommand[] = [
    {
      type: 'customer.upsert',
      customerId,
      legalName: `ООО «Покупатель ${i}»`,
      taxId: String(7700000000 + i),
      emails: [`ap${i}@buyer.example`],
      locale: i % 10 === 0 ? 'en' : 'ru',
      segment: 'wholesale',
      postalAddress: { postalCode: '190000', city: 'Санкт-Петербург', line1: `ул. Тестовая, д. ${i}` },
    },
    {
      type: 'contract.upsert',
      customerId,
      contractId: `${customerId}-k`,
      number: `ДП-${i}`,
      date: addDays(asOf, -500),
      currency: 'RUB',
      paymentTermsDays: 14,
      penalty: { rule: 'contractual', ratePctPerDay: '0.1', capPct: '10', clause: 'п. 6.2 договора' },
    },
  ];
  for (let k = 0; k < invoices; k++) {
    const dueIn = Math.floor(r() * 60) - 40; // from 40 days overdue to 20 days ahead
    const a = amount(r);
    cmds.push({
      type: 'invoice.issued',
      customerId,
      contractId: `${customerId}-k`,
      invoiceId: `${customerId}-i${k}`,
      number: `СЧ-${i}-${k}`,
      issueDate: addDays(asOf, dueIn - 14),
      dueDate: addDays(asOf, dueIn),
      amount: { amount: a, currency: 'RUB' },
    });
    if (r() < 0.3) {
      cmds.push({
        type: 'payment.received',
        customerId,
        paymentId: `${customerId}-p${k}`,
        date: addDays(asOf, Math.min(-1, dueIn - 5)),
        amount: { amount: `${Math.floor(Number(a.split('.')[0]) / 3)}.00`, currency: 'RUB' },
        invoiceIds: [`${customerId}-i${k}`],
        channel: 'bank',
      });
    }
  }
  return cmds;
}
