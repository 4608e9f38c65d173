import { describe, expect, it } from 'vitest';
import {
  approve,
  assess,
  basisWith,
  estimateDuty,
  openCase,
  packageFacts,
  requestApproval,
  type ClaimCase,
  type CourtType,
  type LetterProof,
} from '../../../functions/domain/claims/index.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import type { LedgerCommand } from '../../../functions/domain/ledger/commands.js';
import { defaultRules } from '../../../functions/domain/rules/index.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { cmd, ivanovLedger, smirnovLedger } from './fakes.js';

const rules = defaultRules();
const AS_OF = '2025-09-02' as CalendarDate;

function approvedCase(commands: LedgerCommand[], customerId: string, ids: string[], court: CourtType, asOf = AS_OF) {
  const state = foldLedger(commands);
  const a = assess({ caseId: `CASE-${customerId}`, state, invoices: basisWith(undefined, ids, asOf), asOf, court, rules });
  const who = { by: 'run', at: `${asOf}T09:00:00Z` };
  let c: ClaimCase = openCase({
    caseId: `CASE-${customerId}`,
    customerId,
    customer: { legalName: state.customer?.legalName, taxId: state.customer?.taxId },
    openedOn: asOf,
    stage: 'litigation',
    assessment: a,
    court,
    actor: who,
  });
  c = approve(requestApproval(c, asOf, who), { by: 'lawyer', role: 'legal', at: who.at });
  return { c, a };
}

const ALL = ['inv-501', 'inv-i1', 'near', 'past', 'fresh', 'i'];
const letter = (stage: string, runDate: string, status = 'sent', invoiceIds = ALL): LetterProof => ({
  stage,
  runDate: runDate as CalendarDate,
  status,
  documentUri: `s3://b/letters/${runDate}/${stage}/x.pdf`,
  invoiceIds,
});

describe('package facts: the demo-like ИП case (contractual penalty, arbitration)', () => {
  it('principal, contractual penalty, court order duty and total', () => {
    // Prepare
    const { c, a } = approvedCase(smirnovLedger(), 'smirnov', ['inv-501'], 'arbitration');
    // Act
    const f = packageFacts({ c, assessment: a, letters: [letter('claim', '2025-08-01')], asOf: AS_OF, rules });
    // Assess
    expect(f.principal.amount).toBe('86000.00');
    expect(f.penalty.amount).toBe('1720.00');
    expect(a.penaltyDetail?.parts[0]?.result.periods.map((p) => [p.from, p.to, p.days, p.base, p.amount])).toEqual([['2025-08-14', '2025-09-02', 20, '86000.00', '1720.00']]);
    expect(a.penaltyDetail?.basis).toBe('п. 6.2 договора № ДП-09/2023 (0,1 % в день, не более 10 %)');
    expect(f.claimPrice.amount).toBe('87720.00');
    expect(f.court).toBe('arbitration');
    expect(f.courtOrder).toMatchObject({ eligible: true, limit: '500000', price: '87720.00' });
    // 333.21 ≤ 100 000 → 10 000; court order 50 % = 5 000, not less than 8 000
    expect(f.duty).toMatchObject({ duty: '8000', courtOrder: true, court: 'arbitration', table: expect.stringContaining('333.21') });
    expect(f.total.amount).toBe('95720.00');
    expect(f.pretrialClaim).toMatchObject({ sentOn: '2025-08-01', daysSince: 32, claimPeriodDays: 30, fileFrom: '2025-08-31', readyToFile: true });
    expect(f.pretrialClaim?.statement).toBe('претензия направлена 01.08.2025, за 32 дня до 02.09.2025; срок ответа (30 дней) истек 30.08.2025; иск может быть подан с 31.08.2025');
    expect(f.readyToFile).toBe(true);
    expect(f.warnings).toEqual([]);
  });
});

describe('package facts: ГК 395 interest when the contract has no penalty terms', () => {
  it('an individual in a general court', () => {
    // Prepare
    const { c, a } = approvedCase(ivanovLedger(), 'ivanov', ['inv-i1'], 'general');
    // Act
    const f = packageFacts({ c, assessment: a, letters: [letter('claim', '2025-08-20')], asOf: AS_OF, rules });
    // Assess: 200 000 × 18 % × 33 / 365 = 3 254.79 (key rate 18 % from 28.07.2025)
    expect(a.penaltyDetail?.parts[0]?.result.rule).toBe('interest395');
    expect(a.penaltyDetail?.basis).toBe('ГК РФ ст. 395');
    expect(f.penalty.amount).toBe('3254.79');
    expect(f.claimPrice.amount).toBe('203254.79');
    // 333.19: 4 000 + 3 % × 103 254.79 = 7 097.6437; court order 50 % = 3 548.82 → 3 549
    expect(f.duty).toMatchObject({ duty: '3549', court: 'general', courtOrder: true });
    expect(f.total.amount).toBe('206803.79');
    // the claim period (30 days by default) applies in a general court too: 2025-08-20 + 30 = 2025-09-19
    expect(f.warnings.map((w) => w.code)).toEqual(['pretrial-wait']);
    expect(f.readyToFile).toBe(false);
  });
});

describe('court-order eligibility at 500 000', () => {
  const one = (amount: string) => [
    cmd({ type: 'customer.upsert', customerId: 'k', legalName: 'Петров Петр', taxId: '780100000777' }),
    cmd({ type: 'invoice.issued', customerId: 'k', invoiceId: 'i', number: 'N', issueDate: '2025-08-01', dueDate: AS_OF, amount: { amount, currency: 'RUB' } }),
  ];

  it('500 000.00 goes the court-order way; 500 000.01 does not', () => {
    // Prepare: due today, so no penalty: the price is the invoice
    const at = approvedCase(one('500000.00'), 'k', ['i'], 'general');
    const over = approvedCase(one('500000.01'), 'k', ['i'], 'general');
    // Act
    const fAt = packageFacts({ c: at.c, assessment: at.a, letters: [], asOf: AS_OF, rules });
    const fOver = packageFacts({ c: over.c, assessment: over.a, letters: [], asOf: AS_OF, rules });
    // Assess: 333.19 500 000 → 15 000 (court order 7 500); 500 000.01 → 15 000.0002 → 15 000
    expect([fAt.claimPrice.amount, fAt.courtOrder.eligible, fAt.duty?.duty]).toEqual(['500000.00', true, '7500']);
    expect([fOver.claimPrice.amount, fOver.courtOrder.eligible, fOver.duty?.duty]).toEqual(['500000.01', false, '15000']);
    expect(fOver.courtOrder.note).toMatch(/исковое заявление/);
  });

  it('the case estimate uses the same rule (arbitration: 500 000 → 8 000 court order; 500 000.01 → 30 000)', () => {
    // Act
    const a = estimateDuty({ amount: '500000.00', currency: 'RUB' }, 'arbitration', AS_OF, rules);
    const b = estimateDuty({ amount: '500000.01', currency: 'RUB' }, 'arbitration', AS_OF, rules);
    // Assess: 10 000 + 5 % × 400 000 = 30 000; court order 15 000
    expect([a.courtOrder, a.amount.amount]).toEqual([true, '15000.00']);
    expect([b.courtOrder, b.amount.amount]).toEqual([false, '30000.00']);
  });
});

describe('warnings', () => {
  it('limitation period: near (29 days left) and past, per invoice with debt', () => {
    // Prepare
    const commands = [
      cmd({ type: 'customer.upsert', customerId: 'old', legalName: 'ООО «Старый долг»', taxId: '7801000005' }),
      cmd({
        type: 'invoice.issued',
        customerId: 'old',
        invoiceId: 'near',
        number: 'N-1',
        issueDate: '2022-09-01',
        dueDate: '2022-10-01',
        amount: { amount: '1000.00', currency: 'RUB' },
      }),
      cmd({
        type: 'invoice.issued',
        customerId: 'old',
        invoiceId: 'past',
        number: 'N-2',
        issueDate: '2022-05-01',
        dueDate: '2022-06-01',
        amount: { amount: '2000.00', currency: 'RUB' },
      }),
      cmd({
        type: 'invoice.issued',
        customerId: 'old',
        invoiceId: 'fresh',
        number: 'N-3',
        issueDate: '2025-07-01',
        dueDate: '2025-08-01',
        amount: { amount: '3000.00', currency: 'RUB' },
      }),
    ];
    const { c, a } = approvedCase(commands, 'old', ['near', 'past', 'fresh'], 'arbitration');
    // Act
    const f = packageFacts({ c, assessment: a, letters: [letter('claim', '2025-07-15')], asOf: AS_OF, rules });
    // Assess
    expect(f.warnings.map((w) => [w.code, w.invoiceId])).toEqual([
      ['limitation-past', 'past'],
      ['limitation-near', 'near'],
    ]);
    expect(f.warnings[1]?.message).toMatch(/истекает 01\.10\.2025, через 29 дней/);
    expect(f.invoices.find((i) => i.invoiceId === 'fresh')?.limitation.status).toBe('ok');
  });

  it('arbitration: fewer than 30 days since the claim letter; none at all', () => {
    // Prepare
    const { c, a } = approvedCase(smirnovLedger(), 'smirnov', ['inv-501'], 'arbitration');
    // Act
    const early = packageFacts({
      c,
      assessment: a,
      letters: [letter('warning', '2025-08-15'), letter('claim', '2025-08-22'), letter('claim', '2025-08-29', 'failed')],
      asOf: AS_OF,
      rules,
    });
    const none = packageFacts({ c, assessment: a, letters: [letter('claim', '2025-08-22', 'ambiguous')], asOf: AS_OF, rules });
    const day30 = packageFacts({ c, assessment: a, letters: [letter('claim', '2025-08-03')], asOf: AS_OF, rules });
    // Assess
    expect(early.warnings.map((w) => w.code)).toEqual(['pretrial-wait']);
    expect(early.warnings[0]?.message).toBe(
      'претензия направлена 22.08.2025, за 11 дней до 02.09.2025; срок ответа на претензию — 30 дней; иск может быть подан не ранее 21.09.2025',
    );
    expect(early.readyToFile).toBe(false);
    expect(early.letters.map((l) => `${l.stage}@${l.runDate}`)).toEqual(['warning@2025-08-15', 'claim@2025-08-22']);
    expect(none.warnings.map((w) => w.code)).toEqual(['no-claim-letter']);
    expect(day30.pretrialClaim?.daysSince).toBe(30);
    expect(day30.warnings).toEqual([]);
    expect(day30.readyToFile).toBe(true);
  });

  it('the claim period is per contract; a claim that did not list an invoice does not cover it', () => {
    // Prepare: contract c-smirnov sets 10 days: claim 2025-08-22 + 10 = 2025-09-01 ≤ 2025-09-02.
    const { c, a } = approvedCase(smirnovLedger(), 'smirnov', ['inv-501'], 'arbitration');
    // Act
    const tenDays = packageFacts({ c, assessment: a, letters: [letter('claim', '2025-08-22')], asOf: AS_OF, rules, contracts: { 'c-smirnov': { claimPeriodDays: 10 } } });
    const other = packageFacts({ c, assessment: a, letters: [letter('claim', '2025-07-01', 'sent', ['inv-999'])], asOf: AS_OF, rules });
    // Assess
    expect(tenDays.pretrialClaim).toMatchObject({ claimPeriodDays: 10, fileFrom: '2025-09-01', readyToFile: true });
    expect(tenDays.invoices[0]?.claim).toEqual({ sentOn: '2025-08-22', claimPeriodDays: 10, fileFrom: '2025-09-01' });
    expect(other.warnings.map((w) => [w.code, w.invoiceId])).toEqual([['no-claim-letter', 'inv-501']]);
    expect(other.readyToFile).toBe(false);
  });

  it('the filing sentence is true for a claim sent before, on and after the as-of date', () => {
    // Prepare
    const { c, a } = approvedCase(smirnovLedger(), 'smirnov', ['inv-501'], 'arbitration');
    const at = (sent: string) => packageFacts({ c, assessment: a, letters: [letter('claim', sent)], asOf: AS_OF, rules }).pretrialClaim!;
    // Act
    const before = at('2025-08-29');
    const same = at('2025-09-02');
    const after = at('2025-09-05');
    // Assess
    expect(before.statement).toBe('претензия направлена 29.08.2025, за 4 дня до 02.09.2025; срок ответа на претензию — 30 дней; иск может быть подан не ранее 28.09.2025');
    expect(same.statement).toBe('претензия направлена 02.09.2025, в день расчета; срок ответа на претензию — 30 дней; иск может быть подан не ранее 02.10.2025');
    expect(after.statement).toBe('претензия датирована 05.09.2025, позже даты расчета 02.09.2025; срок ответа на претензию — 30 дней; иск может быть подан не ранее 05.10.2025');
    for (const x of [before, same, after]) expect(x.statement).not.toMatch(/-\d|\d{4}-\d{2}-\d{2}/);
  });
});
