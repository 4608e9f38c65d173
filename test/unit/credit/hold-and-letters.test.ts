/**
 * The hold and the letters tell one story: one invoice walks through reminder, warning and claim on
 * the Tuesday/Friday runs, with a credit check on every day in between, under both hold-start rules
 * and for a due date on each weekday. Whatever a letter said about shipments ("stopped", or "stopped
 * from D unless paid") is what the check answers on every day until the next letter.
 */
import { describe, expect, it } from 'vitest';
import {
  decideCredit,
  shipmentNotice,
  DEFAULT_CREDIT_POLICY,
  HOLD_START_RULES,
  type CreditInvoice,
  type HoldStartRule,
  type CreditTerms,
  type ShipmentNotice,
} from '../../../functions/domain/credit/index.js';
import { decideCustomer, WHOLESALE, type StageName } from '../../../functions/domain/policy/index.js';
import { addDays, weekday, type CalendarDate } from '../../../functions/domain/dates.js';
import { ctx, rub, TERMS } from './support.js';

const isRunDay = (d: CalendarDate) => weekday(d) === 2 || weekday(d) === 5;

function walk(rule: HoldStartRule, due: CalendarDate, terms: CreditTerms = TERMS) {
  const letters: { stage: StageName; runDate: CalendarDate }[] = [];
  const notices: { stage: StageName; runDate: CalendarDate; notice: ShipmentNotice }[] = [];
  const days: { day: CalendarDate; held: boolean; reasons: string[]; decision: string; prepayment?: string }[] = [];
  const holdRules = { holdStart: rule, warningPayWithinDays: WHOLESALE.stages.warning!.payWithinDays! };
  const invoice = (): CreditInvoice => ({ invoiceId: 'i-1', number: 'СЧ-1', dueDate: due, outstanding: rub('250000.00'), letters: [...letters] });
  let claimOpenedOn: CalendarDate | undefined;
  for (let day = addDays(due, -10); day <= addDays(due, 25); day = addDays(day, 1)) {
    if (isRunDay(day)) {
      const decision = decideCustomer({
        policy: WHOLESALE,
        runDate: day,
        invoices: [{ ...invoice(), status: 'open' as const }],
        history: letters.map((l) => ({ invoiceId: 'i-1', stage: l.stage, sentOn: l.runDate })),
        pauses: [],
        ...(letters.length ? { lastLetterDate: letters[letters.length - 1]!.runDate } : {}),
        contact: { emails: ['a@b.example'], hasPostalAddress: true },
      });
      for (const plan of decision.stages) {
        letters.push({ stage: plan.stage, runDate: day });
        const opensCase = plan.stage === 'claim' || plan.stage === 'litigation';
        if (opensCase && !claimOpenedOn) claimOpenedOn = day;
        // The letter's wording, computed with the letter itself in the history (as the run does).
        const notice = shipmentNotice({
          invoices: [invoice()],
          termsFor: () => terms,
          customerTerms: terms,
          rules: holdRules,
          runDate: day,
          ...(claimOpenedOn ? { claimHoldsFrom: claimOpenedOn } : {}),
        });
        notices.push({ stage: plan.stage, runDate: day, notice });
      }
    }
    const d = decideCredit(
      { customerId: 'c', invoices: [invoice()], unappliedCredit: [], reservations: [], ...(claimOpenedOn ? { openClaim: { caseId: 'case-1', openedOn: claimOpenedOn } } : {}) },
      { orderId: 'o', amount: rub('1000.00') },
      ctx({ today: day, holdRules, policy: DEFAULT_CREDIT_POLICY, terms }),
    );
    days.push({ day, held: d.decision === 'HOLD', reasons: d.reasons.map((r) => r.code), decision: d.decision, ...(d.prepayment ? { prepayment: d.prepayment.amount } : {}) });
  }
  return { letters, notices, days };
}

describe.each(HOLD_START_RULES)('hold start "%s": letters and daily checks agree', (rule) => {
  // Due dates on each weekday: the runs meet the invoice at different ages.
  it.each([0, 1, 2, 3, 4, 5, 6])('due date shifted by %i days', (shift) => {
    // Prepare
    const due = addDays('2026-11-02' as CalendarDate, shift);
    // Act
    const { notices, days, letters } = walk(rule, due);
    // Assess: reminder, warning and claim went out
    expect(letters.map((l) => l.stage)).toEqual(expect.arrayContaining(['reminder', 'warning', 'claim']));
    // Reminders state the hold date only when it does not depend on a later letter (days-overdue).
    const reminder = notices.find((n) => n.stage === 'reminder')!;
    expect(reminder.notice.state).toBe(rule === 'days-overdue' ? 'will-stop' : 'none');
    const stated = notices.filter((n) => n.notice.state !== 'none');
    expect(stated.length).toBeGreaterThanOrEqual(2);
    for (const [i, n] of stated.entries()) {
      const until = stated[i + 1]?.runDate ?? addDays(due, 26);
      const span = days.filter((d) => d.day >= n.runDate && d.day < until);
      if (n.notice.state === 'stopped') {
        expect(
          span.every((d) => d.held),
          `${n.stage} of ${n.runDate} says stopped`,
        ).toBe(true);
      } else if (n.notice.state === 'will-stop') {
        const from = n.notice.from;
        expect(
          span.filter((d) => d.day < from).every((d) => !d.held),
          `${n.stage} of ${n.runDate}: not before ${from}`,
        ).toBe(true);
        expect(
          span.filter((d) => d.day >= from).every((d) => d.held),
          `${n.stage} of ${n.runDate}: from ${from}`,
        ).toBe(true);
      } else {
        throw new Error(`${n.stage} of ${n.runDate} says nothing about shipments`);
      }
    }
    // The claim letter always says "stopped" (the claim case holds at the latest from then).
    expect(stated.find((n) => n.stage === 'claim')?.notice.state).toBe('stopped');
    // No check holds before a letter has told the customer when shipments stop.
    expect(days.filter((d) => d.day < stated[0]!.runDate).every((d) => !d.held)).toBe(true);
  });
});

describe('what the two rules mean for one invoice', () => {
  it('days-overdue holds from day 6; warning-deadline from the day after the warning’s deadline', () => {
    // Prepare: due Monday 2026-11-02; warning on Tuesday 2026-11-10 (8 days overdue), claim on Friday 2026-11-13 (11 days)
    const due = '2026-11-02' as CalendarDate;
    // Act
    const a = walk('days-overdue', due);
    const b = walk('warning-deadline', due);
    // Assess
    const firstHeld = (w: ReturnType<typeof walk>) => w.days.find((d) => d.held)?.day;
    expect(a.notices.find((n) => n.stage === 'warning')).toMatchObject({ runDate: '2026-11-10', notice: { state: 'stopped', since: '2026-11-08' } });
    expect(firstHeld(a)).toBe('2026-11-08');
    // Warning of 2026-11-10 states "by 2026-11-15 inclusive"; the claim of 2026-11-13 stops shipments first.
    expect(b.notices.find((n) => n.stage === 'warning')).toMatchObject({ runDate: '2026-11-10', notice: { state: 'will-stop', from: '2026-11-16', lastDay: '2026-11-15' } });
    expect(b.notices.find((n) => n.stage === 'claim')).toMatchObject({ runDate: '2026-11-13', notice: { state: 'stopped', since: '2026-11-13' } });
    expect(firstHeld(b)).toBe('2026-11-13');
  });
});

describe.each(HOLD_START_RULES)('flexible terms, hold start "%s": the letters say "only against prepayment" exactly when the check asks for it', (rule) => {
  it.each([0, 3, 5])('due date shifted by %i days', (shift) => {
    // Prepare
    const flexible: CreditTerms = { ...TERMS, mode: 'flexible' };
    const due = addDays('2026-11-02' as CalendarDate, shift);
    // Act
    const { notices, days } = walk(rule, due, flexible);
    // Assess: never "stopped" (the check never holds); every stated notice is prepayment-only, and the
    // check asks for the whole order's prepayment exactly from the date the letter names.
    const stated = notices.filter((n) => n.notice.state !== 'none');
    expect(stated.length).toBeGreaterThanOrEqual(2);
    expect(stated.every((n) => 'prepaymentOnly' in n.notice && n.notice.prepaymentOnly === true)).toBe(true);
    expect(days.some((d) => d.held)).toBe(false);
    const onPrepayment = (d: (typeof days)[number]) => d.decision === 'ALLOW_WITH_PREPAYMENT' && d.prepayment === '1000.00';
    for (const [i, n] of stated.entries()) {
      const until = stated[i + 1]?.runDate ?? addDays(due, 26);
      const span = days.filter((d) => d.day >= n.runDate && d.day < until);
      const from = n.notice.state === 'stopped' ? n.notice.since : n.notice.state === 'will-stop' ? n.notice.from : n.runDate;
      expect(span.filter((d) => d.day < from).every((d) => d.decision === 'ALLOW')).toBe(true);
      expect(span.filter((d) => d.day >= from).every(onPrepayment)).toBe(true);
    }
  });

  it('renders the prepayment-only sentence in both languages', async () => {
    // Prepare
    const { buildView } = await import('../../../functions/letters/view.js');
    const { letter, COMPANY } = await import('../letters/fixtures.js');
    // Act
    const ru = buildView(letter({ stage: 'warning', shipments: { state: 'stopped', since: '2026-11-08' as CalendarDate, prepaymentOnly: true } }), COMPANY);
    const en = buildView(
      letter(
        { stage: 'warning', shipments: { state: 'will-stop', from: '2026-11-16' as CalendarDate, lastDay: '2026-11-15' as CalendarDate, prepaymentOnly: true } },
        { locale: 'en' },
      ),
      COMPANY,
    );
    // Assess
    expect(ru.shipmentText).toBe('С 08.11.2026 отгрузки в Ваш адрес производятся только по предоплате до полного погашения просроченной задолженности.');
    expect(en.shipmentText).toMatch(/^Unless the overdue debt is paid by .* inclusive, from .* goods will be shipped to you only against prepayment\.$/);
  });
});
