import { describe, expect, it } from 'vitest';
import { decideCredit, parseCreditPolicy, DEFAULT_CREDIT_POLICY, validateGrant, type Override } from '../../../functions/domain/credit/index.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { ctx, END, facts, inv, NOW, rub, TERMS } from './support.js';

const order = (amount = '50000.00', more = {}) => ({ orderId: 'o-1', amount: rub(amount), ...more });

describe('credit decision rules', () => {
  it('a customer within terms ships: ALLOW, valid until the end of the day, with the policy version', () => {
    // Prepare
    const f = facts([inv('1', 3)]);
    // Act
    const d = decideCredit(f, order(), ctx());
    // Assess
    expect(d.decision).toBe('ALLOW');
    expect(d.reasons).toEqual([]);
    expect(d.validUntil).toBe(END);
    expect(d.policyVersion).toBe('wholesale-credit@1');
    expect(d.exposure.RUB?.total).toBe('10000.00');
  });

  it('5 days overdue does not hold; 6 days does, with OVERDUE naming the invoice and the hold date', () => {
    // Prepare / Act
    const at5 = decideCredit(facts([inv('1', 5)]), order(), ctx());
    const at6 = decideCredit(facts([inv('1', 6, '10000.00', { letters: [{ stage: 'warning', runDate: '2026-11-20' as never }] })]), order(), ctx());
    // Assess
    expect(at5.decision).toBe('ALLOW');
    expect(at6.decision).toBe('HOLD');
    expect(at6.reasons).toEqual([
      expect.objectContaining({
        code: 'OVERDUE',
        value: '10000.00',
        threshold: '100.00',
        documents: ['СЧ-1'],
        since: '2026-11-24',
        maxDaysOverdue: 5,
        daysOverdue: 6,
        letters: [{ invoice: 'СЧ-1', stage: 'warning', runDate: '2026-11-20' }],
      }),
    ]);
  });

  it('overdue below the materiality floor never holds (a kopeck residue does not stop a truck)', () => {
    // Prepare
    const f = facts([inv('1', 40, '0.01'), inv('2', 30, '99.98')]);
    // Act
    const d = decideCredit(f, order(), ctx());
    // Assess
    expect(d.decision).toBe('ALLOW');
    // … but together at the floor they do
    expect(decideCredit(facts([inv('1', 40, '0.02'), inv('2', 30, '99.98')]), order(), ctx()).decision).toBe('HOLD');
  });

  it('over the limit → OVER_LIMIT with exposure after the order and the limit; reservations count, the own one does not', () => {
    // Prepare
    const f = facts([inv('1', -10, '900000.00')], {
      reservations: [
        { orderId: 'o-other', amount: rub('60000.00'), createdAt: NOW, expiresAt: '2026-11-25T09:00:00.000Z' },
        { orderId: 'o-1', amount: rub('50000.00'), createdAt: NOW, expiresAt: '2026-11-25T09:00:00.000Z' },
        { orderId: 'o-expired', amount: rub('999999.00'), createdAt: NOW, expiresAt: '2026-11-24T08:00:00.000Z' },
      ],
    });
    // Act
    const d = decideCredit(f, order(), ctx());
    // Assess
    expect(d.decision).toBe('HOLD');
    expect(d.reasons).toEqual([expect.objectContaining({ code: 'OVER_LIMIT', value: '1010000.00', threshold: '1000000.00', scope: 'customer' })]);
    expect(d.exposure.RUB?.reservations).toBe('60000.00');
  });

  it('unapplied credit lowers exposure', () => {
    // Prepare
    const f = facts([inv('1', -10, '990000.00')], { unappliedCredit: [rub('50000.00')] });
    // Act / Assess
    expect(decideCredit(f, order(), ctx()).decision).toBe('ALLOW');
  });

  it('an open claim case holds (CLAIM_OPEN)', () => {
    // Act
    const d = decideCredit(facts([], { openClaim: { caseId: 'case-7' } }), order(), ctx());
    // Assess
    expect(d.decision).toBe('HOLD');
    expect(d.reasons[0]).toMatchObject({ code: 'CLAIM_OPEN', value: 'case-7' });
  });

  it('no terms → HOLD with NO_TERMS; a limit in another currency → NO_TERMS for that currency', () => {
    // Act
    const none = decideCredit(facts([]), order(), ctx({ terms: undefined }));
    const usd = decideCredit(facts([]), { orderId: 'o-2', amount: { amount: '10.00', currency: 'USD' } }, ctx());
    // Assess
    expect(none).toMatchObject({ decision: 'HOLD', reasons: [{ code: 'NO_TERMS' }] });
    expect(usd).toMatchObject({ decision: 'HOLD', reasons: [{ code: 'NO_TERMS', value: 'USD', threshold: 'RUB' }] });
  });

  it('flexible mode ships against prepayment: the whole order when overdue, the excess over the limit when only over it', () => {
    // Prepare
    const flexible = { ...TERMS, mode: 'flexible' as const };
    // Act
    const overdue = decideCredit(facts([inv('1', 20)]), order(), ctx({ terms: flexible }));
    const overLimit = decideCredit(facts([inv('1', -5, '980000.00')]), order(), ctx({ terms: flexible }));
    const prepaid = decideCredit(facts([inv('1', 20)]), order('50000.00', { prepaid: rub('50000.00') }), ctx({ terms: flexible }));
    // Assess
    expect(overdue).toMatchObject({ decision: 'ALLOW_WITH_PREPAYMENT', prepayment: rub('50000.00') });
    expect(overLimit).toMatchObject({ decision: 'ALLOW_WITH_PREPAYMENT', prepayment: rub('30000.00') });
    expect(prepaid.decision).toBe('ALLOW');
  });

  it("the terms' prepayment share applies to every order", () => {
    // Act
    const d = decideCredit(facts([]), order('50000.00', { prepaid: rub('5000.00') }), ctx({ terms: { ...TERMS, prepaymentPct: '30' } }));
    // Assess
    expect(d).toMatchObject({ decision: 'ALLOW_WITH_PREPAYMENT', prepayment: rub('10000.00') });
  });

  it('a contract limit applies to that contract’s exposure', () => {
    // Prepare
    const f = facts([inv('1', -5, '90000.00', { contractId: 'k-1' }), inv('2', -5, '500000.00', { contractId: 'k-2' })]);
    // Act
    const d = decideCredit(f, order('20000.00', { contractId: 'k-1' }), ctx({ contractTerms: { 'k-1': { ...TERMS, limit: rub('100000.00') } } }));
    // Assess
    expect(d.reasons).toEqual([expect.objectContaining({ code: 'OVER_LIMIT', scope: 'contract', value: '110000.00', threshold: '100000.00' })]);
  });

  it('a group limit applies to the exposure of all related customers', () => {
    // Act
    const d = decideCredit(
      facts([inv('1', -5, '100000.00')], { groupId: 'g' }),
      order(),
      ctx({ group: { groupId: 'g', limit: rub('500000.00'), others: [{ RUB: { invoices: '400000.00', reservations: '0.00', unappliedCredit: '0.00', total: '400000.00' } }] } }),
    );
    // Assess
    expect(d.reasons).toEqual([expect.objectContaining({ code: 'OVER_LIMIT', scope: 'group', value: '550000.00' })]);
  });
});

describe('overrides', () => {
  const ov = (more: Partial<Override> = {}): Override => ({
    overrideId: 'ov-1',
    customerId: 'c-1',
    scope: 'customer',
    maxAmount: rub('100000.00'),
    reason: 'director agreed',
    grantedBy: 'head',
    grantedAt: '2026-11-24T08:00:00.000Z',
    expiresAt: '2026-11-24T12:00:00.000Z',
    ...more,
  });

  it('an active override turns HOLD into ALLOW, names itself and shortens validUntil to its expiry', () => {
    // Act
    const d = decideCredit(facts([inv('1', 20)]), order(), ctx({ overrides: [ov()] }));
    // Assess
    expect(d).toMatchObject({ decision: 'ALLOW', override: { overrideId: 'ov-1', grantedBy: 'head' }, validUntil: '2026-11-24T12:00:00.000Z' });
    expect(d.reasons.map((r) => r.code)).toEqual(['OVERDUE']);
  });

  it('an expired, revoked, too small or other-order override does not apply', () => {
    // Prepare
    const hold = (o: Override) => decideCredit(facts([inv('1', 20)]), order(), ctx({ overrides: [o] })).decision;
    // Act / Assess
    expect(hold(ov({ expiresAt: NOW }))).toBe('HOLD');
    expect(hold(ov({ revokedAt: '2026-11-24T08:30:00.000Z', revokedBy: 'head' }))).toBe('HOLD');
    expect(hold(ov({ maxAmount: rub('40000.00') }))).toBe('HOLD');
    expect(hold(ov({ used: rub('60000.00') }))).toBe('HOLD');
    expect(hold(ov({ scope: 'order', orderId: 'o-9' }))).toBe('HOLD');
    expect(hold(ov({ scope: 'order', orderId: 'o-1' }))).toBe('ALLOW');
  });

  it('a grant longer than the maximum is refused naming hours', () => {
    // Act / Assess
    expect(() => validateGrant({ scope: 'customer', hours: 73, reason: 'x' }, 72)).toThrow(ValidationError);
    expect(() => validateGrant({ scope: 'customer', hours: 72, reason: 'x' }, 72)).not.toThrow();
    expect(() => validateGrant({ scope: 'order', hours: 2, reason: 'x' }, 72)).toThrow(/orderId/);
  });
});

describe('credit policy validation', () => {
  it('names the bad field', () => {
    // Act / Assess
    expect(() => parseCreditPolicy({ ...DEFAULT_CREDIT_POLICY, maxOverrideHours: 0 })).toThrow(/maxOverrideHours/);
    expect(() => parseCreditPolicy({ ...DEFAULT_CREDIT_POLICY, matrix: [...DEFAULT_CREDIT_POLICY.matrix, DEFAULT_CREDIT_POLICY.matrix[0]] })).toThrow(/duplicate row wholesale\/A/);
    expect(() =>
      parseCreditPolicy({
        ...DEFAULT_CREDIT_POLICY,
        discipline: {
          ...DEFAULT_CREDIT_POLICY.discipline,
          thresholds: [
            { category: 'A', minScore: 50 },
            { category: 'B', minScore: 60 },
          ],
        },
      }),
    ).toThrow(/thresholds/);
  });
});
