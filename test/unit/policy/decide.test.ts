import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { addDays, type CalendarDate } from '../../../functions/domain/dates.js';
import {
  HOUSING,
  STAGES,
  WHOLESALE,
  decideCustomer,
  recheckBeforeSend,
  stageForAge,
  stageRank,
  type DunnableInvoice,
  type Pause,
  type SentStage,
  type StageName,
} from '../../../functions/domain/policy/index.js';

const RUN = '2025-03-11' as CalendarDate; // a Tuesday
const CONTACT = { emails: ['ap@buyer.example'], hasPostalAddress: true };

function inv(id: string, daysOverdue: number, outstanding = '1000.00', extra: Partial<DunnableInvoice> = {}): DunnableInvoice {
  return { invoiceId: id, number: `N-${id}`, dueDate: addDays(RUN, -daysOverdue), outstanding: { amount: outstanding, currency: 'RUB' }, status: 'open', ...extra };
}

function decide(invoices: DunnableInvoice[], more: { history?: SentStage[]; pauses?: Pause[]; lastLetterDate?: CalendarDate; runDate?: CalendarDate } = {}) {
  return decideCustomer({
    policy: WHOLESALE,
    runDate: more.runDate ?? RUN,
    invoices,
    history: more.history ?? [],
    pauses: more.pauses ?? [],
    lastLetterDate: more.lastLetterDate,
    contact: CONTACT,
  });
}

const stageOf = (d: ReturnType<typeof decide>, id: string): StageName | undefined => d.stages.find((s) => s.invoices.some((i) => i.invoiceId === id))?.stage;

describe('default (wholesale) policy window edges', () => {
  // daysOverdue: negative = due in N days
  const cases: Array<[string, number, StageName | undefined]> = [
    ['due in 8 days', -8, undefined],
    ['due in 7 days', -7, 'reminder'],
    ['due in 3 days', -3, 'reminder'],
    ['due in 2 days', -2, undefined],
    ['due today', 0, undefined],
    ['4 days overdue', 4, undefined],
    ['5 days overdue', 5, 'warning'],
    ['10 days overdue', 10, 'warning'],
    ['11 days overdue', 11, 'claim'],
    ['15 days overdue', 15, 'claim'],
    ['16 days overdue', 16, 'litigation'],
    ['400 days overdue', 400, 'litigation'],
  ];
  it.each(cases)('%s → %s', (_label, age, expected) => {
    // Prepare
    const invoice = inv('A', age);
    // (litigation needs a claim letter sent earlier for the invoice)
    const history: SentStage[] = expected === 'litigation' ? [{ invoiceId: 'A', stage: 'claim', sentOn: addDays(RUN, -4) }] : [];
    // Act
    const d = decide([invoice], { history });
    // Assess
    expect(stageOf(d, 'A')).toBe(expected);
    expect(stageForAge(WHOLESALE, age)).toBe(expected);
    if (expected) expect(d.stages[0]!.invoices[0]!.daysOverdue).toBe(age);
    else expect(d.skipped[0]!.reason).toEqual({ code: 'not-due' });
  });
});

describe('stage history', () => {
  it('never repeats a stage for an invoice', () => {
    // Prepare
    const history: SentStage[] = [{ invoiceId: 'A', stage: 'warning', sentOn: '2025-03-07' as CalendarDate }];
    // Act
    const d = decide([inv('A', 8)], { history });
    // Assess
    expect(d.stages).toEqual([]);
    expect(d.skipped).toMatchObject([{ invoiceId: 'A', stage: 'warning', reason: { code: 'already-sent', stage: 'warning' } }]);
  });

  it('never goes backwards (due date moved later after a claim)', () => {
    // Prepare
    const history: SentStage[] = [{ invoiceId: 'A', stage: 'claim' }];
    // Act
    const d = decide([inv('A', 6)], { history });
    // Assess
    expect(d.stages).toEqual([]);
    expect(d.skipped[0]!.reason).toEqual({ code: 'backwards', sent: 'claim' });
  });

  it('moves forward: claim after warning', () => {
    // Prepare
    const history: SentStage[] = [
      { invoiceId: 'A', stage: 'reminder' },
      { invoiceId: 'A', stage: 'warning' },
    ];
    // Act
    const d = decide([inv('A', 12)], { history });
    // Assess
    expect(stageOf(d, 'A')).toBe('claim');
  });

  it('late entry: an invoice first eligible at 12 days gets the claim only, not the lower stages', () => {
    // Prepare
    const invoices = [inv('A', 12)];
    // Act
    const d = decide(invoices);
    // Assess
    expect(d.stages.map((s) => s.stage)).toEqual(['claim']);
  });

  it('property: over any Tuesday/Friday run sequence, stages per invoice strictly increase and never repeat', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 30 }), fc.integer({ min: 1, max: 30 }), (firstAge, runs) => {
        // Prepare
        let date = RUN;
        const dueDate = addDays(RUN, -firstAge);
        const history: SentStage[] = [];
        // Act
        for (let k = 0; k < runs; k++) {
          const d = decideCustomer({
            policy: WHOLESALE,
            runDate: date,
            invoices: [{ invoiceId: 'X', number: 'X', dueDate, outstanding: { amount: '10.00', currency: 'RUB' }, status: 'open' }],
            history,
            pauses: [],
            contact: CONTACT,
            lastLetterDate: history.at(-1)?.sentOn,
          });
          for (const s of d.stages) history.push({ invoiceId: 'X', stage: s.stage, sentOn: date });
          date = addDays(date, k % 2 === 0 ? 3 : 4);
        }
        // Assess
        const ranks = history.map((h) => stageRank(h.stage));
        for (let i = 1; i < ranks.length; i++) expect(ranks[i]!).toBeGreaterThan(ranks[i - 1]!);
        // Tue/Fri cadence never misses a stage when the invoice starts before the reminder window
        if (firstAge < -7 && runs >= 12) expect(history.map((h) => h.stage)).toEqual([...STAGES]);
      }),
    );
  });
});

describe('pauses (until is inclusive)', () => {
  const kinds: Pause['kind'][] = ['dispute', 'promise', 'schedule', 'manual'];
  it.each(kinds)('%s pause on the invoice holds through its until date and releases the day after', (kind) => {
    // Prepare
    const pauses: Pause[] = [{ scope: 'invoice', invoiceId: 'A', kind, until: RUN }];
    // Act
    const invoices = [inv('A', 12), inv('B', 12)];
    const onUntil = decide(invoices, { pauses });
    const dayAfter = decide(invoices, { pauses, runDate: addDays(RUN, 1) });
    // Assess
    expect(onUntil.stages[0]!.invoices.map((i) => i.invoiceId)).toEqual(['B']);
    expect(onUntil.skipped).toMatchObject([{ invoiceId: 'A', stage: 'claim', reason: { code: 'paused', kind, until: RUN, scope: 'invoice' } }]);
    expect(dayAfter.stages[0]!.invoices.map((i) => [i.invoiceId, i.daysOverdue])).toEqual([
      ['A', 13],
      ['B', 13],
    ]);
  });

  it('a customer-wide pause holds every invoice, and after it the invoice enters at its current stage', () => {
    // Prepare
    const pauses: Pause[] = [{ scope: 'customer', kind: 'schedule', until: addDays(RUN, 10) }];
    // Act
    const invoices = [inv('A', -5), inv('B', 8)];
    const during = decide(invoices, { pauses });
    const after = decide(invoices, { pauses, runDate: addDays(RUN, 11) });
    // Assess
    expect(during.stages).toEqual([]);
    expect(during.skipped.map((s) => s.reason.code)).toEqual(['paused', 'paused']);
    expect(during.skipped[0]!.message).toContain('payment schedule');
    // B's age (19) calls for litigation, but no claim covered it yet: it gets the claim first.
    expect(after.stages.map((s) => [s.stage, s.invoices.map((i) => i.invoiceId)])).toEqual([
      ['warning', ['A']],
      ['claim', ['B']],
    ]);
  });
});

describe('no litigation without a pre-trial claim', () => {
  it('an invoice entering more than 15 days overdue gets the claim; litigation comes on a later run', () => {
    // Prepare: 20 days overdue, never dunned (imported late).
    const first = decide([inv('L', 20)]);
    // Act: the Friday run after the claim went out on Tuesday.
    const later = decide([inv('L', 23)], { runDate: addDays(RUN, 3), history: [{ invoiceId: 'L', stage: 'claim', sentOn: RUN }], lastLetterDate: RUN });
    // Assess
    expect(first.stages.map((s) => [s.stage, s.invoices.map((i) => i.invoiceId)])).toEqual([['claim', ['L']]]);
    expect(later.stages.map((s) => [s.stage, s.invoices.map((i) => i.invoiceId)])).toEqual([['litigation', ['L']]]);
  });

  it('a warning alone does not open litigation; a policy without claims never litigates', () => {
    // Prepare
    const noClaims = { ...WHOLESALE, stages: { ...WHOLESALE.stages, claim: { ...WHOLESALE.stages.claim!, enabled: false } } };
    // Act
    const warned = decide([inv('W', 16)], { history: [{ invoiceId: 'W', stage: 'warning', sentOn: addDays(RUN, -8) }] });
    const never = decideCustomer({ policy: noClaims, runDate: RUN, invoices: [inv('N', 30)], history: [], pauses: [], contact: CONTACT });
    // Assess
    expect(warned.stages.map((s) => s.stage)).toEqual(['claim']);
    expect(never.stages).toEqual([]);
    expect(never.skipped).toMatchObject([{ invoiceId: 'N', stage: 'litigation', reason: { code: 'no-claim' } }]);
  });
});

describe('paid and void invoices are never dunned', () => {
  it('skips outstanding 0, status paid and status void', () => {
    // Prepare
    const invoices = [inv('A', 12, '0.00'), inv('B', 12, '5.00', { status: 'paid' }), inv('C', 12, '5.00', { status: 'void' }), inv('D', 12, '5.00')];
    // Act
    const d = decide(invoices);
    // Assess
    expect(d.stages[0]!.invoices.map((i) => i.invoiceId)).toEqual(['D']);
    expect(d.skipped.map((s) => [s.invoiceId, s.reason.code])).toEqual([
      ['A', 'paid'],
      ['B', 'paid'],
      ['C', 'void'],
    ]);
  });
});

describe('minimum gap between letters to one customer', () => {
  it('blocks customer letters within minGapDays, not the internal litigation notice, not the same run date', () => {
    // Prepare
    const invoices = [inv('A', 12), inv('L', 20)];
    // Act
    const history: SentStage[] = [{ invoiceId: 'L', stage: 'claim', sentOn: addDays(RUN, -7) }];
    const blocked = decide(invoices, { lastLetterDate: addDays(RUN, -2), history });
    const allowed = decide(invoices, { lastLetterDate: addDays(RUN, -3), history });
    const sameRun = decide(invoices, { lastLetterDate: RUN, history });
    // Assess
    expect(blocked.stages.map((s) => s.stage)).toEqual(['litigation']);
    expect(blocked.skipped).toMatchObject([{ invoiceId: 'A', reason: { code: 'gap', nextAllowed: addDays(RUN, 1) } }]);
    expect(allowed.stages.map((s) => s.stage)).toEqual(['claim', 'litigation']);
    expect(sameRun.stages.map((s) => s.stage)).toEqual(['claim', 'litigation']);
  });
});

describe('grouping and channels', () => {
  it('one plan per stage listing every invoice at that stage, totals per currency', () => {
    // Prepare
    const invoices = [inv('A', 12, '100.10'), inv('B', 14, '0.20'), inv('C', 11, '7.00', { outstanding: { amount: '7.00', currency: 'USD' } }), inv('R', -5, '3.00')];
    // Act
    const d = decide(invoices);
    // Assess
    expect(d.stages.map((s) => s.stage)).toEqual(['reminder', 'claim']);
    const claim = d.stages[1]!;
    expect(claim.invoices.map((i) => i.invoiceId)).toEqual(['B', 'A', 'C']);
    expect(claim.totals).toEqual([
      { amount: '100.30', currency: 'RUB' },
      { amount: '7.00', currency: 'USD' },
    ]);
    expect(claim.channels).toEqual(['print', 'email']);
    expect(claim.payWithinDays).toBe(5);
    expect(d.stages[0]!.channels).toEqual(['email']);
    expect(d.policy).toEqual({ name: 'wholesale', version: 1, overrides: [] });
  });

  it('a customer with no email and no address: reminder skipped as no-contact', () => {
    // Prepare
    const input = { policy: WHOLESALE, runDate: RUN, invoices: [inv('A', -4)], history: [], pauses: [], contact: { emails: [], hasPostalAddress: false } };
    // Act
    const d = decideCustomer(input);
    // Assess
    expect(d.stages).toEqual([]);
    expect(d.skipped[0]).toMatchObject({ stage: 'reminder', reason: { code: 'no-contact', note: 'no usable email and no postal address' } });
  });
});

describe('recheckBeforeSend', () => {
  it('drops an invoice paid during the run and the letter when nothing is left', () => {
    // Prepare
    const d = decide([inv('A', 12), inv('B', 13), inv('R', -4)]);
    const fresh = [inv('B', 13), { ...inv('R', -4), outstanding: { amount: '0.00', currency: 'RUB' as const } }];
    // Act
    const r = recheckBeforeSend(d, fresh);
    // Assess
    expect(r.stages.map((s) => [s.stage, s.invoices.map((i) => i.invoiceId)])).toEqual([['claim', ['B']]]);
    expect(r.cancelled.map((c) => [c.invoiceId, c.stage, c.reason.code])).toEqual([
      ['R', 'reminder', 'paid'],
      ['A', 'claim', 'paid'],
    ]);
    expect(r.stages[0]!.totals).toEqual([{ amount: '1000.00', currency: 'RUB' }]);
  });

  it('a partial payment updates the outstanding amount and the totals', () => {
    // Prepare
    const d = decide([inv('A', 12, '7300.00'), inv('B', 13, '100.00')]);
    const fresh = [inv('A', 12, '2300.50'), inv('B', 13, '100.00')];
    // Act
    const r = recheckBeforeSend(d, fresh);
    // Assess
    expect(r.stages[0]!.invoices.find((i) => i.invoiceId === 'A')!.outstanding).toEqual({ amount: '2300.50', currency: 'RUB' });
    expect(r.stages[0]!.totals).toEqual([{ amount: '2400.50', currency: 'RUB' }]);
    expect(r.updated).toEqual([{ stage: 'claim', invoiceId: 'A', before: { amount: '7300.00', currency: 'RUB' }, now: { amount: '2300.50', currency: 'RUB' } }]);
  });

  it('a void during the run cancels as void', () => {
    // Prepare
    const d = decide([inv('A', 12)]);
    // Act
    const r = recheckBeforeSend(d, [inv('A', 12, '1000.00', { status: 'void' })]);
    // Assess
    expect(r.stages).toEqual([]);
    expect(r.cancelled[0]!.reason).toEqual({ code: 'void' });
  });
});

describe('housing preset', () => {
  const hc = { emails: [], hasPostalAddress: true };
  const cases: Array<[number, StageName | undefined]> = [
    [-6, undefined],
    [-5, 'reminder'],
    [-1, 'reminder'],
    [0, undefined],
    [9, undefined],
    [10, 'warning'],
    [29, 'warning'],
    [30, 'claim'],
    [89, 'claim'],
    [90, 'litigation'],
  ];
  it.each(cases)('age %i → %s', (age, expected) => {
    // Prepare / Act
    const s = stageForAge(HOUSING, age);
    // Assess
    expect(s).toBe(expected);
  });

  it('litigation needs at least 5 000,00 RUB; below it the invoices stay eligible (skipped below-threshold)', () => {
    // Prepare
    const claimed: SentStage[] = [
      { invoiceId: 'A', stage: 'claim' },
      { invoiceId: 'B', stage: 'claim' },
    ];
    const base = { policy: HOUSING, runDate: RUN, history: claimed, pauses: [], contact: hc };
    // Act
    const below = decideCustomer({ ...base, invoices: [inv('A', 95, '2500.00'), inv('B', 125, '2499.99')] });
    const at = decideCustomer({ ...base, invoices: [inv('A', 95, '2500.00'), inv('B', 125, '2500.00')] });
    // Assess
    expect(below.stages).toEqual([]);
    expect(below.skipped.map((s) => s.reason)).toEqual([
      { code: 'below-threshold', total: { amount: '4999.99', currency: 'RUB' }, minTotal: { amount: '5000.00', currency: 'RUB' } },
      { code: 'below-threshold', total: { amount: '4999.99', currency: 'RUB' }, minTotal: { amount: '5000.00', currency: 'RUB' } },
    ]);
    expect(at.stages.map((s) => [s.stage, s.channels])).toEqual([['litigation', ['legal-notice', 'legal-task']]]);
  });

  it('reminder is email only (no print fallback) and the warning falls back to print', () => {
    // Prepare
    const base = { policy: HOUSING, runDate: RUN, history: [], pauses: [], contact: hc };
    // Act
    const d = decideCustomer({ ...base, invoices: [inv('R', -3), inv('W', 12)] });
    // Assess
    expect(d.stages.map((s) => [s.stage, s.channels])).toEqual([['warning', ['print']]]);
    expect(d.stages[0]!.channelNote).toBe('no usable email: printed letter instead');
    expect(d.skipped[0]).toMatchObject({ invoiceId: 'R', reason: { code: 'no-contact', note: 'no usable email (this stage is email only)' } });
  });
});

describe('recheckBeforeSend property', () => {
  it('keeps exactly the decided invoices still open, with fresh amounts, and totals that add up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ age: fc.integer({ min: -8, max: 40 }), cents: fc.integer({ min: 1, max: 10_000_000 }), fresh: fc.constantFrom('same', 'paid', 'partial', 'gone') }), {
          minLength: 1,
          maxLength: 12,
        }),
        (rows) => {
          // Prepare
          const amt = (cents: number): string => new Decimal(cents).div(100).toFixed(2);
          const invoices = rows.map((r, k) => inv(`I${k}`, r.age, amt(r.cents)));
          const d = decide(invoices);
          const fresh = rows.flatMap((r, k) =>
            r.fresh === 'gone'
              ? []
              : r.fresh === 'paid'
                ? [inv(`I${k}`, r.age, '0.00')]
                : r.fresh === 'partial'
                  ? [inv(`I${k}`, r.age, amt(Math.ceil(r.cents / 2)))]
                  : [invoices[k]!],
          );
          // Act
          const r = recheckBeforeSend(d, fresh);
          // Assess
          const decided = new Set(d.stages.flatMap((s) => s.invoices.map((i) => i.invoiceId)));
          const stillOpen = new Set(fresh.filter((f) => f.outstanding.amount !== '0.00').map((f) => f.invoiceId));
          const kept = r.stages.flatMap((s) => s.invoices.map((i) => i.invoiceId));
          expect(new Set(kept)).toEqual(new Set([...decided].filter((id) => stillOpen.has(id))));
          for (const s of r.stages) {
            for (const i of s.invoices) expect(i.outstanding).toEqual(fresh.find((f) => f.invoiceId === i.invoiceId)!.outstanding);
            const total = s.invoices.reduce((a, i) => a.plus(i.outstanding.amount), new Decimal(0));
            expect(s.totals).toEqual([{ amount: total.toFixed(2), currency: 'RUB' }]);
          }
        },
      ),
    );
  });
});
