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

/**
 * The ledger's shape:
 * - `stress` (default): every invoice falls due between 40 days before and 20 days after `asOf`, and
 *   none is paid in full (30 % partly): two thirds are overdue, nearly every customer gets letters.
 * - `typical`: one invoice a month for the last `invoices` months (14-day terms), each customer on
 *   its own billing day. Nine customers in ten pay each invoice within 5 days of its due date; one in
 *   ten is a slow payer: per invoice, half paid 10–40 days late, a fifth half-paid, the rest unpaid.
 *   On a run date most customers owe nothing overdue; the slow payers' debts age through the stages.
 */
export type LedgerMix = 'stress' | 'typical';

/** One customer's history: profile, contract, invoices and payments (see LedgerMix). */
export function customerHistory(i: number, invoices: number, asOf: CalendarDate, r: () => number, mix: LedgerMix = 'stress'): LedgerCommand[] {
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
  if (mix === 'typical') return [...cmds, ...typicalInvoices(customerId, invoices, asOf, r)];
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

function typicalInvoices(customerId: string, invoices: number, asOf: CalendarDate, r: () => number): LedgerCommand[] {
  const cmds: LedgerCommand[] = [];
  const offset = Math.floor(r() * 30); // each customer is billed on its own day of the month
  const slow = r() < 0.1; // one customer in ten pays late, partly or not at all
  for (let k = 0; k < invoices; k++) {
    const issuedIn = -offset - 30 * k; // days relative to asOf, newest first
    const dueIn = issuedIn + 14;
    const a = amount(r);
    cmds.push({
      type: 'invoice.issued',
      customerId,
      contractId: `${customerId}-k`,
      invoiceId: `${customerId}-i${k}`,
      number: `СЧ-${customerId}-${k}`,
      issueDate: addDays(asOf, issuedIn),
      dueDate: addDays(asOf, dueIn),
      amount: { amount: a, currency: 'RUB' },
    });
    const p = r();
    let paidIn: number | undefined; // day of payment relative to asOf
    let part = false;
    if (!slow)
      paidIn = dueIn + Math.floor(r() * 9) - 5; // around the due date
    else if (p < 0.5)
      paidIn = dueIn + 10 + Math.floor(r() * 31); // 10–40 days late
    else if (p < 0.7) {
      paidIn = dueIn + Math.floor(r() * 20);
      part = true;
    }
    if (paidIn === undefined || paidIn > -1) continue; // not paid (yet)
    cmds.push({
      type: 'payment.received',
      customerId,
      paymentId: `${customerId}-p${k}`,
      date: addDays(asOf, Math.max(issuedIn, paidIn)),
      amount: { amount: part ? `${Math.floor(Number(a.split('.')[0]) / 2)}.00` : a, currency: 'RUB' },
      invoiceIds: [`${customerId}-i${k}`],
      channel: 'bank',
    });
  }
  return cmds;
}
