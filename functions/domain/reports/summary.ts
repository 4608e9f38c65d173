/**
 * The weekly management summary (for the meeting on receivables): as of the summary date and the same
 * day a week before — receivables and overdue with the week-on-week change, the top 10 debtors, DSO
 * against its target, CEI, the stage funnel (customers and amounts at each dunning stage) and the
 * letters sent in the week, promises broken in the week, claim cases opened and won in the week,
 * credit overrides granted in the week and expiring in the next (credit control's records). Pure.
 */
import { Decimal } from 'decimal.js';
import { addDays, type CalendarDate } from '../dates.js';
import { foldLedger } from '../ledger/fold.js';
import { STAGES, type StageName } from '../policy/schema.js';
import { customerAsOf, outstandingOn, timeline } from './as-of.js';
import { efficiencyMeasures } from './efficiency.js';
import type { CustomerBook, Targets } from './model.js';
import { safeFmt } from './table.js';

export interface SummaryMoney {
  currency: string;
  receivables: string;
  receivablesWeekAgo: string;
  receivablesChange: string;
  overdue: string;
  overdueWeekAgo: string;
  overdueChange: string;
}

export interface SummaryOverride {
  customerId: string;
  name: string;
  overrideId: string;
  scope: 'customer' | 'order';
  orderId?: string;
  maxAmount: string;
  currency: string;
  grantedBy: string;
  grantedOn: CalendarDate;
  expiresOn: CalendarDate;
  reason: string;
}

export interface WeeklySummary {
  asOf: CalendarDate;
  weekStart: CalendarDate;
  money: SummaryMoney[];
  /** Receivables and overdue at the end of each of the last 8 weeks (chart), per currency. */
  trend: { weekEnd: CalendarDate; currency: string; receivables: string; overdue: string }[];
  topDebtors: { customerId: string; name: string; manager: string; currency: string; outstanding: string; overdue: string; oldestDaysPastDue: number; stage: StageName | null }[];
  efficiency: { currency: string; dso: number | null; dsoTarget: number | null; cei: number | null; ceiTarget: number | null; bestPossibleDso: number | null }[];
  funnel: { stage: StageName; customers: number; invoices: number; amount: { currency: string; amount: string }[]; lettersThisWeek: number }[];
  promisesBroken: { customerId: string; name: string; promisedOn: CalendarDate; amount: string; currency: string; paid: string }[];
  cases: { opened: number; won: number; openedIds: string[]; wonIds: string[] };
  /** Credit overrides granted in the week (credit control's records). */
  overridesGranted: number;
  /** The overrides granted in the week, and those still active at the end of the as-of date that expire within the next 7 days. */
  overrides: { granted: SummaryOverride[]; expiring: SummaryOverride[]; revokedThisWeek: number };
  notes: string[];
}

const sumMap = (m: Map<string, Decimal>, k: string, x: Decimal.Value) => m.set(k, (m.get(k) ?? new Decimal(0)).plus(x));

export function weeklySummary(books: readonly CustomerBook[], p: { asOf: CalendarDate; targets?: Targets; recoveryWindowDays?: number }): WeeklySummary {
  const asOf = p.asOf;
  const weekStart = addDays(asOf, -6);
  const weekAgo = addDays(asOf, -7);
  const weekEnds = Array.from({ length: 8 }, (_, i) => addDays(asOf, -7 * (7 - i)));
  const recv = new Map<string, Decimal>();
  const overdue = new Map<string, Decimal>();
  const trendR = new Map<string, Decimal>();
  const trendO = new Map<string, Decimal>();
  const debtors: WeeklySummary['topDebtors'] = [];
  const funnel = new Map<StageName, { customers: Set<string>; invoices: number; amount: Map<string, Decimal>; letters: number }>(
    STAGES.map((s) => [s, { customers: new Set(), invoices: 0, amount: new Map(), letters: 0 }]),
  );
  const broken: WeeklySummary['promisesBroken'] = [];
  const opened: string[] = [];
  const won: string[] = [];
  const granted: SummaryOverride[] = [];
  const expiring: SummaryOverride[] = [];
  let revokedThisWeek = 0;
  const nextWeek = addDays(asOf, 7);
  for (const book of books) {
    const state = foldLedger(book.entries, { through: asOf });
    const c = customerAsOf(book, asOf, state);
    const lines = timeline(state);
    const perCur = new Map<string, { out: Decimal; over: Decimal; oldest: number }>();
    for (const l of lines) {
      for (const [day, tag] of [
        [asOf, 'now'],
        [weekAgo, 'ago'],
      ] as const) {
        const o = outstandingOn(l, day);
        if (o.isZero()) continue;
        sumMap(recv, `${tag}\u0000${l.currency}`, o);
        if (l.dueDate < day) sumMap(overdue, `${tag}\u0000${l.currency}`, o);
      }
      for (const we of weekEnds) {
        const o = outstandingOn(l, we);
        if (o.isZero()) continue;
        sumMap(trendR, `${we}\u0000${l.currency}`, o);
        if (l.dueDate < we) sumMap(trendO, `${we}\u0000${l.currency}`, o);
      }
      const o = outstandingOn(l, asOf);
      if (o.gt(0)) {
        const x = perCur.get(l.currency) ?? { out: new Decimal(0), over: new Decimal(0), oldest: Number.NEGATIVE_INFINITY };
        x.out = x.out.plus(o);
        if (l.dueDate < asOf) x.over = x.over.plus(o);
        const days = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${l.dueDate}T00:00:00Z`)) / 86_400_000);
        x.oldest = Math.max(x.oldest, days);
        perCur.set(l.currency, x);
      }
    }
    let topStage = -1;
    for (const inv of state.invoices) {
      if (inv.status !== 'open') continue;
      const s = c.stageOf.get(inv.invoiceId);
      if (!s) continue;
      topStage = Math.max(topStage, STAGES.indexOf(s));
      const f = funnel.get(s)!;
      f.customers.add(c.customerId);
      f.invoices += 1;
      sumMap(f.amount, inv.outstanding.currency, inv.outstanding.amount);
    }
    for (const [cur, x] of perCur) {
      debtors.push({
        customerId: c.customerId,
        name: c.name,
        manager: c.manager,
        currency: cur,
        outstanding: safeFmt(x.out, cur),
        overdue: safeFmt(x.over, cur),
        oldestDaysPastDue: x.oldest,
        stage: topStage >= 0 ? STAGES[topStage]! : null,
      });
    }
    for (const l of book.letters) if (l.runDate >= weekStart && l.runDate <= asOf) funnel.get(l.stage)!.letters += 1;
    // A promise is broken when its date fell in the week and the payments since it was given fall short of it.
    for (const pr of c.promises) {
      if (pr.kind !== 'promise' || !pr.amount || pr.until < weekStart || pr.until > asOf) continue;
      if (pr.resolvedOn && pr.resolvedOn < pr.until) continue;
      const paid = state.payments
        .filter((x) => x.amount.currency === pr.amount!.currency && x.date >= pr.madeOn && x.date <= pr.until && !x.reversed)
        .reduce((s, x) => s.plus(x.amount.amount), new Decimal(0));
      if (paid.lt(pr.amount.amount))
        broken.push({
          customerId: c.customerId,
          name: c.name,
          promisedOn: pr.until,
          amount: pr.amount.amount,
          currency: pr.amount.currency,
          paid: safeFmt(paid, pr.amount.currency),
        });
    }
    for (const o of book.credit?.overrides ?? []) {
      if (o.grantedOn > asOf) continue;
      const line: SummaryOverride = {
        customerId: c.customerId,
        name: c.name,
        overrideId: o.overrideId,
        scope: o.scope,
        ...(o.orderId ? { orderId: o.orderId } : {}),
        maxAmount: o.maxAmount.amount,
        currency: o.maxAmount.currency,
        grantedBy: o.grantedBy,
        grantedOn: o.grantedOn,
        expiresOn: o.expiresOn,
        reason: o.reason,
      };
      if (o.grantedOn >= weekStart) granted.push(line);
      const revoked = o.revokedOn !== undefined && o.revokedOn <= asOf;
      if (revoked && o.revokedOn! >= weekStart) revokedThisWeek += 1;
      if (!revoked && o.expiresOn > asOf && o.expiresOn <= nextWeek) expiring.push(line);
    }
    for (const cs of book.cases) {
      if (cs.openedOn >= weekStart && cs.openedOn <= asOf) opened.push(cs.caseId);
      if (cs.closedOn && cs.closedOn >= weekStart && cs.closedOn <= asOf && /^paid/.test(cs.closedReason ?? '')) won.push(cs.caseId);
    }
  }
  const currencies = [...new Set([...recv.keys()].map((k) => k.split('\u0000')[1]!))].sort();
  const get = (m: Map<string, Decimal>, k: string) => m.get(k) ?? new Decimal(0);
  const money: SummaryMoney[] = currencies.map((cur) => {
    const r = get(recv, `now\u0000${cur}`);
    const ra = get(recv, `ago\u0000${cur}`);
    const o = get(overdue, `now\u0000${cur}`);
    const oa = get(overdue, `ago\u0000${cur}`);
    return {
      currency: cur,
      receivables: safeFmt(r, cur),
      receivablesWeekAgo: safeFmt(ra, cur),
      receivablesChange: safeFmt(r.minus(ra), cur),
      overdue: safeFmt(o, cur),
      overdueWeekAgo: safeFmt(oa, cur),
      overdueChange: safeFmt(o.minus(oa), cur),
    };
  });
  // Company-wide DSO and CEI: every customer in one group (segment relabelled "all" for this call only).
  const all = efficiencyMeasures(
    books.map((b) => ({ ...b, entries: b.entries.map((e) => (e.type === 'customer.upsert' ? { ...e, segment: 'all' } : e)) })),
    { asOf, groupBy: 'segment', recoveryWindowDays: p.recoveryWindowDays ?? 14 },
  );
  debtors.sort((a, b) => new Decimal(b.outstanding).cmp(a.outstanding) || a.customerId.localeCompare(b.customerId));
  return {
    asOf,
    weekStart,
    money,
    trend: weekEnds.flatMap((we) =>
      currencies.map((cur) => ({
        weekEnd: we,
        currency: cur,
        receivables: safeFmt(get(trendR, `${we}\u0000${cur}`), cur),
        overdue: safeFmt(get(trendO, `${we}\u0000${cur}`), cur),
      })),
    ),
    topDebtors: debtors.slice(0, 10),
    efficiency: all.measures.map((m) => ({
      currency: m.currency,
      dso: m.dso,
      dsoTarget: p.targets?.dsoDays ?? null,
      cei: m.cei,
      ceiTarget: p.targets?.ceiPct ?? null,
      bestPossibleDso: m.bestPossibleDso,
    })),
    funnel: STAGES.map((s) => {
      const f = funnel.get(s)!;
      return {
        stage: s,
        customers: f.customers.size,
        invoices: f.invoices,
        amount: [...f.amount].sort((a, b) => a[0].localeCompare(b[0])).map(([currency, a]) => ({ currency, amount: safeFmt(a, currency) })),
        lettersThisWeek: f.letters,
      };
    }),
    promisesBroken: broken.sort((a, b) => a.promisedOn.localeCompare(b.promisedOn) || a.customerId.localeCompare(b.customerId)),
    cases: { opened: opened.length, won: won.length, openedIds: opened.sort(), wonIds: won.sort() },
    overridesGranted: granted.length,
    overrides: {
      granted: granted.sort((a, b) => a.grantedOn.localeCompare(b.grantedOn) || a.overrideId.localeCompare(b.overrideId)),
      expiring: expiring.sort((a, b) => a.expiresOn.localeCompare(b.expiresOn) || a.overrideId.localeCompare(b.overrideId)),
      revokedThisWeek,
    },
    notes: [
      `Week ${weekStart} – ${asOf}; week-on-week change against ${weekAgo}.`,
      `DSO and CEI over the 90 days ending ${asOf}, all customers.`,
      'Promise broken: its date fell in the week and the payments from the day it was given to its date fall short of it.',
      'Claim case won: closed in the week because the debt was paid.',
      'Credit overrides (credit control): granted in the week (company-zone date of the grant); expiring = still active at the end of the date and expiring within 7 days.',
    ],
  };
}
