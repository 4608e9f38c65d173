import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ApprovalRequiredError,
  CaseStatusError,
  RoleNotAllowedError,
  applyAssessment,
  approve,
  assertApproved,
  assess,
  basisWith,
  closeIfPaid,
  defaultCourt,
  markPackaged,
  openCase,
  reachStage,
  recordWaitingToken,
  reject,
  requestApproval,
  setCourt,
  setStrategy,
  type ClaimCase,
} from '../../../functions/domain/claims/index.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { foldLedger } from '../../../functions/domain/ledger/fold.js';
import { defaultRules } from '../../../functions/domain/rules/index.js';
import type { CalendarDate } from '../../../functions/domain/dates.js';
import { cmd, smirnovLedger } from './fakes.js';

const rules = defaultRules();
const at = (d: string) => `${d}T09:00:00.000Z`;
const ON = '2025-09-02' as CalendarDate;

function smirnovCase(stage: 'claim' | 'litigation' = 'claim', on: CalendarDate = ON): ClaimCase {
  const state = foldLedger(smirnovLedger());
  const a = assess({ caseId: 'CASE-1', state, invoices: basisWith(undefined, ['inv-501'], on), asOf: on, court: 'arbitration', rules });
  return openCase({
    caseId: 'CASE-1',
    customerId: 'smirnov',
    customer: { legalName: 'ИП Смирнов А. В.', taxId: '780100000512' },
    openedOn: on,
    stage,
    assessment: a,
    court: 'arbitration',
    actor: { by: 'dunning-run', at: at(on) },
  });
}

describe('default court type', () => {
  it('is arbitration for a 10-digit INN and for an ИП, general for an individual', () => {
    // Prepare
    const entity = { legalName: 'ООО «Бета»', taxId: '7801000001' };
    const ip = { legalName: 'ИП Смирнов А. В.', taxId: '780100000512' };
    const ipLong = { legalName: 'Индивидуальный предприниматель Петров П. П.', taxId: '780100000513' };
    const person = { legalName: 'Иванов Иван Иванович', taxId: '780100000999' };
    // Act
    const courts = [entity, ip, ipLong, person, {}].map(defaultCourt);
    // Assess
    expect(courts).toEqual(['arbitration', 'arbitration', 'arbitration', 'general', 'general']);
  });
});

describe('opening a case', () => {
  it('records basis, figures, the claim stage and the default strategy', () => {
    // Act
    const c = smirnovCase();
    // Assess
    expect(c.status).toBe('pre-trial');
    expect(c.basis.map((i) => [i.invoiceId, i.outstanding.amount, i.daysOverdue])).toEqual([['inv-501', '86000.00', 20]]);
    expect(c.daysOverdue).toBe(20);
    expect(c.principal).toEqual({ amount: '86000.00', currency: 'RUB' });
    expect(c.penalty.amount.amount).toBe('1720.00'); // 86 000 × 0.1 % × 20 days
    expect(c.penalty.parts[0]).toMatchObject({ rule: 'contractual', ratePctPerDay: '0.1', capPct: '10', invoiceIds: ['inv-501'] });
    expect(c.penalty.reference).toBe('cases/CASE-1/calculation.json');
    expect(c.claimPrice.amount).toBe('87720.00');
    expect(c.estimatedDuty).toMatchObject({ court: 'arbitration', courtOrder: true, amount: { amount: '8000.00', currency: 'RUB' } });
    expect(c.total.amount).toBe('95720.00');
    expect(c.strategy).toBe('wait');
    expect(c.stageHistory).toEqual([{ stage: 'claim', on: ON, by: 'dunning-run' }]);
    expect(c.events.map((e) => e.kind)).toEqual(['opened', 'stage-reached']);
  });

  it('adds invoices to the basis once, keeping the date each joined', () => {
    // Prepare
    const c = smirnovCase();
    const later = '2025-09-05' as CalendarDate;
    const state = foldLedger([
      ...smirnovLedger(),
      cmd({
        type: 'invoice.issued',
        customerId: 'smirnov',
        contractId: 'c-smirnov',
        invoiceId: 'inv-502',
        number: 'СЧ-502',
        issueDate: '2025-08-01',
        dueDate: '2025-08-20',
        amount: { amount: '14000.00', currency: 'RUB' },
      }),
    ]);
    // Act
    const ids = basisWith(c, ['inv-501', 'inv-502'], later);
    const next = applyAssessment(c, assess({ caseId: c.caseId, state, invoices: ids, asOf: later, court: c.court, rules }), later, { by: 'run', at: at(later) });
    // Assess
    expect(ids).toEqual([
      { invoiceId: 'inv-501', addedOn: ON },
      { invoiceId: 'inv-502', addedOn: later },
    ]);
    expect(next.principal.amount).toBe('100000.00');
    expect(next.daysOverdue).toBe(23);
    expect(next.events.slice(-2).map((e) => e.kind)).toEqual(['invoices-added', 'reassessed']);
  });
});

describe('stage history', () => {
  it('records each stage once and never goes backwards', () => {
    // Prepare
    const c = smirnovCase();
    const who = { by: 'run', at: at('2025-09-05') };
    // Act
    const lit = reachStage(c, 'litigation', '2025-09-05' as CalendarDate, who);
    const again = reachStage(lit, 'litigation', '2025-09-09' as CalendarDate, who);
    const back = reachStage(again, 'claim', '2025-09-12' as CalendarDate, who);
    // Assess
    expect(back.stageHistory.map((s) => `${s.stage}@${s.on}`)).toEqual(['claim@2025-09-02', 'litigation@2025-09-05']);
    expect(again).toBe(lit);
  });
});

describe('approval', () => {
  const who = { by: 'run', at: at('2025-09-05') };

  it('reaching litigation asks the legal team, once, and points the strategy at court', () => {
    // Act
    const asked = requestApproval(smirnovCase(), '2025-09-05' as CalendarDate, who);
    const twice = requestApproval(asked, '2025-09-09' as CalendarDate, who);
    // Assess
    expect(asked.status).toBe('awaiting-approval');
    expect(asked.approvalRequest).toMatchObject({ round: 1, requestedOn: '2025-09-05' });
    expect(asked.strategy).toBe('collect');
    expect(twice).toBe(asked);
  });

  it('refuses an approval by an operator without the legal role', () => {
    // Prepare
    const asked = requestApproval(smirnovCase(), '2025-09-05' as CalendarDate, who);
    // Act
    const attempt = () => approve(asked, { by: 'anna', role: 'collections', at: at('2025-09-06') });
    // Assess
    expect(attempt).toThrow(RoleNotAllowedError);
    expect(attempt).toThrow(/only role "legal"/);
    expect(asked.status).toBe('awaiting-approval');
  });

  it('a lawyer approves; the approval is recorded on the case and its request', () => {
    // Prepare
    const asked = recordWaitingToken(requestApproval(smirnovCase(), '2025-09-05' as CalendarDate, who), 'tok-1', 'CASE-1-r1', at('2025-09-05'));
    // Act
    const ok = approve(asked, { by: 'lawyer', role: 'legal', at: at('2025-09-06'), note: 'в суд' });
    // Assess
    expect(ok.status).toBe('approved');
    expect(ok.approval).toEqual({ by: 'lawyer', role: 'legal', at: at('2025-09-06'), note: 'в суд' });
    expect(ok.approvalRequest).toMatchObject({ round: 1, token: 'tok-1', decision: { decision: 'approved', by: 'lawyer' } });
    expect(() => approve(ok, { by: 'lawyer', role: 'legal', at: at('2025-09-07') })).toThrow(CaseStatusError);
  });

  it('a rejection needs the legal role and a reason, and returns the case to pre-trial work', () => {
    // Prepare
    const asked = requestApproval(smirnovCase(), '2025-09-05' as CalendarDate, who);
    // Act
    const noReason = () => reject(asked, { by: 'lawyer', role: 'legal', at: at('2025-09-06'), note: ' ' });
    const notLegal = () => reject(asked, { by: 'anna', role: 'sales-head', at: at('2025-09-06'), note: 'нет' });
    const back = reject(asked, { by: 'lawyer', role: 'legal', at: at('2025-09-06'), note: 'ждем график платежей' });
    // Assess
    expect(noReason).toThrow(ValidationError);
    expect(notLegal).toThrow(RoleNotAllowedError);
    expect(back.status).toBe('pre-trial');
    expect(back.approvalRequest?.decision).toMatchObject({ decision: 'rejected', note: 'ждем график платежей' });
    expect(requestApproval(back, '2025-09-12' as CalendarDate, who).approvalRequest?.round).toBe(2);
  });

  it('no package and no litigation without an approval', () => {
    // Prepare
    const preTrial = smirnovCase();
    const awaiting = requestApproval(preTrial, '2025-09-05' as CalendarDate, who);
    const pkg = { ...who, manifestKey: 'cases/CASE-1/manifest.json', manifestUri: 'mem://m', asOf: ON };
    // Act / Assess
    expect(() => markPackaged(preTrial, pkg)).toThrow(ApprovalRequiredError);
    expect(() => markPackaged(awaiting, pkg)).toThrow(ApprovalRequiredError);
    expect(() => assertApproved(awaiting)).toThrow(/needs approval by the legal team/);
    const approved = approve(awaiting, { by: 'lawyer', role: 'legal', at: at('2025-09-06') });
    expect(markPackaged(approved, pkg).status).toBe('litigation');
  });
});

describe('strategy, court and closing', () => {
  const who = { by: 'anna', at: at('2025-09-03') };

  it('sets strategy with expected recovery and validates it', () => {
    // Prepare
    const c = smirnovCase();
    // Act
    const sold = setStrategy(c, { ...who, strategy: 'sell', expectedRecoveryPct: '65.5', expectedRecoveryDate: '2025-10-01' });
    // Assess
    expect(sold).toMatchObject({ strategy: 'sell', expectedRecoveryPct: '65.5', expectedRecoveryDate: '2025-10-01', strategySetBy: 'anna' });
    expect(() => setStrategy(c, { ...who, strategy: 'wait', expectedRecoveryPct: '101' })).toThrow(ValidationError);
    expect(() => setStrategy(c, { ...who, strategy: 'wait', expectedRecoveryDate: '2025-08-01' })).toThrow(/expectedRecoveryDate/);
    expect(() => setStrategy(c, { ...who, strategy: 'bribe' as never })).toThrow(/strategy/);
    // an operator's strategy is kept when litigation asks for approval
    expect(requestApproval(sold, '2025-09-05' as CalendarDate, who).strategy).toBe('sell');
  });

  it('changing the court recomputes the duty', () => {
    // Act
    const general = setCourt(smirnovCase(), { ...who, court: 'general' }, rules);
    // Assess: 333.19 ≤ 100 000 → 4 000; court order 50 % → 2 000
    expect(general.estimatedDuty).toMatchObject({ court: 'general', courtOrder: true, amount: { amount: '2000.00' } });
    expect(general.total.amount).toBe('89720.00');
    expect(general.courtSetBy).toBe('anna');
  });

  it('closes when the principal is paid, not before', () => {
    // Prepare
    const c = smirnovCase();
    const paid = foldLedger([
      ...smirnovLedger(),
      cmd({ type: 'payment.received', customerId: 'smirnov', paymentId: 'p1', date: '2025-09-04', amount: { amount: '86000.00', currency: 'RUB' } }),
    ]);
    const on = '2025-09-05' as CalendarDate;
    const re = applyAssessment(c, assess({ caseId: c.caseId, state: paid, invoices: basisWith(c, [], on), asOf: on, court: c.court, rules }), on, who);
    // Act
    const open = closeIfPaid(c, on, who);
    const closed = closeIfPaid(re, on, who);
    // Assess
    expect(open.status).toBe('pre-trial');
    expect(re.principal.amount).toBe('0.00');
    expect(closed.status).toBe('closed');
    expect(closed.closed?.reason).toMatch(/^paid: no principal outstanding on 2025-09-05 \(accrued penalty 1892.00 RUB/);
    expect(() => setStrategy(closed, { ...who, strategy: 'wait' })).toThrow(CaseStatusError);
  });
});

describe('invariants (property)', () => {
  type Op = { kind: 'stage' | 'request' | 'approve' | 'reject' | 'package' | 'strategy'; role: string };
  const op = fc.record({
    kind: fc.constantFrom<Op['kind']>('stage', 'request', 'approve', 'reject', 'package', 'strategy'),
    role: fc.constantFrom('legal', 'collections', 'sales-head'),
  });

  it('litigation always has a legal approval; stage history never goes back', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), fc.array(fc.constantFrom<'claim' | 'litigation'>('claim', 'litigation'), { minLength: 25, maxLength: 25 }), (ops, stages) => {
        // Prepare
        let c = smirnovCase();
        // Act
        ops.forEach((o, i) => {
          const who = { by: `op${i}`, at: at('2025-09-10') };
          try {
            if (o.kind === 'stage') c = reachStage(c, stages[i]!, '2025-09-10' as CalendarDate, who);
            if (o.kind === 'request') c = requestApproval(c, '2025-09-10' as CalendarDate, who);
            if (o.kind === 'approve') c = approve(c, { ...who, role: o.role });
            if (o.kind === 'reject') c = reject(c, { ...who, role: o.role, note: 'нет' });
            if (o.kind === 'package') c = markPackaged(c, { ...who, manifestKey: 'k', manifestUri: 'u', asOf: '2025-09-10' as CalendarDate });
            if (o.kind === 'strategy') c = setStrategy(c, { ...who, strategy: 'collect' });
          } catch (err) {
            if (!(err instanceof RoleNotAllowedError || err instanceof CaseStatusError || err instanceof ApprovalRequiredError)) throw err;
          }
          // Assess
          if (c.status === 'litigation' || c.status === 'approved') expect(c.approval?.role).toBe('legal');
          const order = c.stageHistory.map((s) => (s.stage === 'claim' ? 1 : 2));
          expect(order).toEqual([...order].sort());
          expect(new Set(c.stageHistory.map((s) => s.stage)).size).toBe(c.stageHistory.length);
        });
      }),
      { numRuns: 200 },
    );
  });
});
