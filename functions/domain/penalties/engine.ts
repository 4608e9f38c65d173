/**
 * Penalty / interest engine: contractual penalty, ГК РФ ст. 395 interest, ЖК РФ ст. 155 ч. 14
 * housing penalty. Exact decimal arithmetic; itemized periods; rule data passed in. Pure.
 *
 * Exactness: every period amount is base × rate × days / denominator, where the denominators
 * (100, 36 500, 36 600, 30 000, 13 000 × the decimals of the inputs) are bounded, so any exact sum
 * lies either exactly on a half-kopeck or at least ~1e-20 away from it. We compute with 60
 * significant digits (error < 1e-40), snap to 30 decimals, then round half-up to kopecks: this gives
 * the same result as exact rational arithmetic.
 */
import { Decimal } from 'decimal.js';
import { addDays, daysBetween, daysInYear, yearOf, type CalendarDate } from '../dates.js';
import { ValidationError } from '../errors.js';
import { chooseReadings, type HousingCapEntry, type KeyRateEntry, type ReadingId, type RuleData } from '../rules/index.js';
import { splitUnnamed } from '../ledger/unnamed.js';
import { parsePenaltyInput, type PenaltyInput, type PenaltyRule, type RateMode, type RoundingMode } from './input.js';

const X = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
type Dx = InstanceType<typeof X>;

const kopecks = (d: Dx): Dx => d.toDecimalPlaces(30, X.ROUND_HALF_UP).toDecimalPlaces(2, X.ROUND_HALF_UP);
const money = (d: Dx): string => kopecks(d).toFixed(2);
const exact = (d: Dx): string => d.toDecimalPlaces(10, X.ROUND_HALF_UP).toFixed(10);
const pct = (d: Dx): string => d.toString();

export interface PenaltyPeriod {
  /** Index of the charge in the input `charges` array. */
  charge: number;
  from: CalendarDate;
  to: CalendarDate;
  days: number;
  /** Outstanding amount the period is charged on. */
  base: string;
  /** Percent, as a decimal string: annual key rate (395, housing) or percent per day (contractual). */
  rate: string;
  /** "1/365", "1/366", "1/300", "1/130", "0.5%/day", or "0" for grace / moratorium periods. */
  fraction: string;
  /** Period amount rounded half-up to kopecks. */
  amount: string;
  /** Period amount before rounding, 10 decimals. */
  exactAmount: string;
  /** Housing: the date whose key rate was used. */
  rateDate?: CalendarDate;
  /** Contractual: the period was cut by the cap. */
  capped?: boolean;
  note?: string;
}

export interface SourceRef {
  kind: 'statute' | 'keyRate' | 'moratorium' | 'cap' | 'input';
  ref: string;
  source: string;
  mark?: 'V' | 'S' | 'U';
  note?: string;
}

export interface PenaltyResult {
  rule: PenaltyRule;
  calculateTo: CalendarDate;
  total: string;
  /** "perPeriod": each period rounded to kopecks, then summed; "total": exact sum, then rounded. */
  rounding: RoundingMode;
  rateMode?: RateMode;
  periods: PenaltyPeriod[];
  notes: string[];
  sources: SourceRef[];
  /** The readings of the law this calculation depended on (rule data `readings`), with their defaults. */
  readings: UsedReading[];
  rulesVersion: string;
}

export interface UsedReading {
  id: ReadingId;
  label: string;
  value: string;
  default: string;
  source: string;
}

interface Tranche {
  amount: Dx;
  /** Payment date that settled this part of the charge; null = unpaid at calculateTo. */
  settledOn: CalendarDate | null;
}

interface ActiveMoratorium {
  id: string;
  from: CalendarDate;
  to: CalendarDate;
  onlyBefore?: CalendarDate;
  label: string;
  source: SourceRef;
}

const STATUTE: Record<PenaltyRule, SourceRef> = {
  contractual: { kind: 'statute', ref: 'Contractual penalty (ГК РФ ст. 330)', source: 'contract clause; docs/law.md §3', mark: 'S' },
  interest395: { kind: 'statute', ref: 'ГК РФ ст. 395', source: 'docs/law.md §2', mark: 'S' },
  housing: { kind: 'statute', ref: 'ЖК РФ ст. 155 ч. 14', source: 'docs/law.md §1', mark: 'V' },
};

function keyRateEntryOn(rates: readonly KeyRateEntry[], d: CalendarDate, field: string): KeyRateEntry {
  let found: KeyRateEntry | undefined;
  for (const k of rates) {
    if (k.from <= d) found = k;
    else break;
  }
  if (!found) {
    throw new ValidationError([{ field, message: `no key rate known on ${d} (the table starts ${rates[0]?.from}); add earlier rates in a rules file` }]);
  }
  return found;
}

/** Calculates a penalty or interest, itemized by period. Throws ValidationError on bad input. */
export function calculatePenalty(rawInput: PenaltyInput | unknown, rules: RuleData): PenaltyResult {
  const input = parsePenaltyInput(rawInput);
  const { rule, calculateTo, rounding, rateMode } = input;
  const R = chooseReadings(rules.readings, input.readings);
  const usedReadings = new Set<ReadingId>();
  const notes: string[] = [];
  const sources: SourceRef[] = [STATUTE[rule]];
  const usedKeyRates = new Map<string, KeyRateEntry>();
  const usedCaps = new Map<string, HousingCapEntry>();
  const usedMoratoria = new Map<string, ActiveMoratorium>();

  const fixedRate = rule !== 'contractual' && input.fixedRatePct !== undefined ? new X(input.fixedRatePct) : null;
  if (rule === 'contractual' && input.fixedRatePct !== undefined) notes.push('fixedRatePct is ignored for rule "contractual" (use ratePctPerDay).');
  if (rule !== 'contractual' && input.capPct !== undefined) notes.push(`capPct is ignored for rule "${rule}"; it applies to contractual penalties only.`);
  if (rule !== 'contractual' && input.ratePctPerDay !== undefined) notes.push(`ratePctPerDay is ignored for rule "${rule}".`);
  if (fixedRate) {
    notes.push(`Fixed rate ${pct(fixedRate)} % used for every day instead of the key-rate table${rule === 'housing' ? ' and the rate caps' : ''}.`);
    sources.push({ kind: 'input', ref: `fixedRatePct ${pct(fixedRate)} %`, source: 'calculation input' });
  }

  // Charges oldest first (stable by input order); remember the input index.
  const charges = input.charges
    .map((c, index) => ({ ...c, index, balance: new X(c.amount), tranches: [] as Tranche[] }))
    .sort((a, b) => (a.lastDayToPay < b.lastDayToPay ? -1 : a.lastDayToPay > b.lastDayToPay ? 1 : a.index - b.index));

  // Payments in date order. A payment that names a charge pays that charge first (as the ledger applies
  // money named by the payer); money that names no debt, or is left over, goes to the earliest-due charges
  // still owing, and charges due the same day share it in proportion to what they owe (ГК РФ ст. 319.1
  // п. 3, ст. 522 п. 3) — the ledger's rule for money that names no debt (ledger/unnamed.ts).
  const payments = input.payments.map((p, index) => ({ ...p, index })).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.index - b.index));
  for (const p of payments) {
    if (p.date > calculateTo) {
      notes.push(`Payment payments[${p.index}] of ${p.amount} on ${p.date} is after calculateTo and is not taken into account.`);
      continue;
    }
    let left = new X(p.amount);
    const named = p.charge !== undefined ? charges.find((c) => c.index === p.charge) : undefined;
    if (named?.balance.gt(0)) {
      const take = X.min(left, named.balance);
      named.tranches.push({ amount: take, settledOn: p.date });
      named.balance = named.balance.minus(take);
      left = left.minus(take);
    }
    if (left.isZero()) continue;
    const owing = charges.filter((c) => c.balance.gt(0));
    const shares = splitUnnamed(
      new Decimal(left.toString()),
      owing.map((c) => ({
        due: c.lastDayToPay,
        open: new Decimal(c.balance.toString()),
        tie: `${c.arisenOn ?? c.lastDayToPay}|${c.label ?? ''}|${String(c.index).padStart(6, '0')}`,
      })),
      2,
    );
    owing.forEach((c, i) => {
      const take = new X(shares[i]!.toString());
      if (take.isZero()) return;
      c.tranches.push({ amount: take, settledOn: p.date });
      c.balance = c.balance.minus(take);
      left = left.minus(take);
    });
    if (left.gt(0)) notes.push(`Payment payments[${p.index}] on ${p.date} exceeds the charges by ${left.toFixed(2)}; the excess is not applied.`);
  }
  for (const c of charges) if (c.balance.gt(0)) c.tranches.push({ amount: c.balance, settledOn: null });

  // Moratoria in effect for this calculation.
  let moratoria: ActiveMoratorium[];
  if (input.moratoria === 'none') moratoria = [];
  else if (input.moratoria === 'default') {
    moratoria = rules.moratoria
      .filter((m) => m.appliesTo.includes(rule))
      .map((m) => ({
        id: m.id,
        from: m.from,
        to: m.to,
        ...(m.onlyObligationsArisenBefore ? { onlyBefore: m.onlyObligationsArisenBefore } : {}),
        label: `${m.act} (${m.id})`,
        source: { kind: 'moratorium' as const, ref: `${m.act}: ${m.from}–${m.to}`, source: m.source, mark: m.mark, ...(m.note ? { note: m.note } : {}) },
      }));
  } else {
    moratoria = input.moratoria.map((m, i) => ({
      id: `moratoria[${i}]`,
      from: m.from,
      to: m.to,
      ...(m.onlyObligationsArisenBefore ? { onlyBefore: m.onlyObligationsArisenBefore } : {}),
      label: `moratorium given in input (moratoria[${i}])`,
      source: {
        kind: 'input' as const,
        ref: `moratorium ${m.from}–${m.to}${m.onlyObligationsArisenBefore ? `, obligations arisen before ${m.onlyObligationsArisenBefore}` : ''}`,
        source: 'calculation input',
        ...(m.note ? { note: m.note } : {}),
      },
    }));
  }

  // ПП 329's first day is a reading of the law (rule data readings.pp329From).
  const caps =
    rule === 'housing' && !fixedRate
      ? rules.housingCaps.map((cp): HousingCapEntry => (cp.id === 'pp329-2025' ? { ...cp, from: R.pp329From.value as CalendarDate } : cp)).filter((cp) => cp.from <= cp.to)
      : [];
  if (caps.length) {
    usedReadings.add('housingCapBy');
    if (rules.housingCaps.some((cp) => cp.id === 'pp329-2025')) usedReadings.add('pp329From');
  }
  const capByPayment = R.housingCapBy.value === 'paymentDate';
  const rateDays = rule === 'interest395' && !fixedRate;
  const periods: Array<PenaltyPeriod & { x: Dx }> = [];
  const capNotes: string[] = [];

  for (const c of charges) {
    const T = c.lastDayToPay;
    const start = addDays(T, 1);
    const live = c.tranches.filter((t) => t.settledOn === null || t.settledOn >= start);
    if (live.length === 0) continue;
    const end: CalendarDate = live.some((t) => t.settledOn === null) ? calculateTo : live.reduce<CalendarDate>((m, t) => (t.settledOn! > m ? t.settledOn! : m), start);
    if (end < start) continue;
    const providedReading = R.pp497ArisenOn.value === 'providedOn';
    if (!c.arisenOn && moratoria.some((m) => m.onlyBefore)) usedReadings.add('pp497ArisenOn');
    const arisenOn = c.arisenOn ?? (providedReading && c.providedOn ? c.providedOn : T);
    const myMoratoria = moratoria.filter((m) => !m.onlyBefore || arisenOn < m.onlyBefore);

    const cuts = new Set<string>([start]);
    const cut = (d: CalendarDate) => {
      if (d > start && d <= end) cuts.add(d);
    };
    for (const t of live) if (t.settledOn) cut(addDays(t.settledOn, 1));
    if (rateDays) for (const k of rules.keyRates) cut(k.from);
    if (rule === 'interest395') for (let y = yearOf(start) + 1; y <= yearOf(end); y++) cut(`${y}-01-01` as CalendarDate);
    if (rule === 'housing') {
      cut(addDays(T, 31));
      cut(addDays(T, 91));
    }
    if (!capByPayment) {
      for (const cp of caps) {
        cut(cp.from);
        cut(addDays(cp.to, 1));
      }
    }
    for (const m of myMoratoria) {
      cut(m.from);
      cut(addDays(m.to, 1));
    }
    const starts = [...cuts].sort() as CalendarDate[];

    const chargeRows: Array<PenaltyPeriod & { x: Dx }> = [];
    starts.forEach((a, i) => {
      const b = i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : end;
      const days = daysBetween(a, b) + 1;
      const out = live.filter((t) => t.settledOn === null || t.settledOn >= a);
      if (out.length === 0) return;
      const baseAll = out.reduce((s, t) => s.plus(t.amount), new X(0));
      const zeroRow = (note: string) =>
        chargeRows.push({
          charge: c.index,
          from: a,
          to: b,
          days,
          base: baseAll.toFixed(2),
          rate: '0',
          fraction: '0',
          amount: '0.00',
          exactAmount: exact(new X(0)),
          note,
          x: new X(0),
        });

      const mor = myMoratoria.find((m) => m.from <= a && a <= m.to);
      if (mor) {
        usedMoratoria.set(mor.id, mor);
        zeroRow(`moratorium: ${mor.label}; ${days} day(s) excluded`);
        return;
      }
      const delayDay = daysBetween(T, a);
      if (rule === 'housing' && delayDay <= 30) {
        zeroRow('grace period: delay days 1–30, no penalty (ЖК РФ ст. 155 ч. 14)');
        return;
      }

      if (rule === 'contractual') {
        const p = new X(input.ratePctPerDay!);
        const x = baseAll.times(p).times(days).div(100);
        chargeRows.push({ charge: c.index, from: a, to: b, days, base: baseAll.toFixed(2), rate: pct(p), fraction: `${pct(p)}%/day`, amount: money(x), exactAmount: exact(x), x });
        return;
      }
      if (rule === 'interest395') {
        let r: Dx;
        if (fixedRate) r = fixedRate;
        else {
          const k = keyRateEntryOn(rules.keyRates, a, `charges[${c.index}].lastDayToPay`);
          usedKeyRates.set(k.from, k);
          r = new X(k.ratePct);
        }
        const year = daysInYear(yearOf(a));
        const x = baseAll
          .times(r)
          .times(days)
          .div(100 * year);
        chargeRows.push({ charge: c.index, from: a, to: b, days, base: baseAll.toFixed(2), rate: pct(r), fraction: `1/${year}`, amount: money(x), exactAmount: exact(x), x });
        return;
      }
      // housing: group the outstanding parts by the rate that applies to them
      const denom = delayDay <= 90 ? 300 : 130;
      const capOnDay = caps.find((cp) => cp.from <= a && a <= cp.to);
      let rowCap: HousingCapEntry | undefined;
      const groups = new Map<string, { r: Dx; base: Dx; rateDate: CalendarDate | undefined }>();
      for (const t of out) {
        // "accrualDay": the cap of this day of delay; "paymentDate": the cap in force on the part's rate date.
        const capDate = rateMode === 'paymentDate' ? (t.settledOn ?? calculateTo) : calculateTo;
        const cap = capByPayment ? caps.find((cp) => cp.from <= capDate && capDate <= cp.to) : capOnDay;
        if (cap) rowCap = cap;
        let r: Dx;
        let rateDate: CalendarDate | undefined;
        if (fixedRate) r = fixedRate;
        else if (cap?.mode === 'fixed') {
          // A fixed cap does not depend on any date's key rate.
          usedCaps.set(cap.id, cap);
          r = new X(cap.ratePct);
        } else {
          rateDate = rateMode === 'paymentDate' ? (t.settledOn ?? calculateTo) : calculateTo;
          const k = keyRateEntryOn(rules.keyRates, rateDate, rateMode === 'paymentDate' && t.settledOn ? 'payments' : 'calculateTo');
          usedKeyRates.set(k.from, k);
          r = new X(k.ratePct);
          if (cap) {
            usedCaps.set(cap.id, cap);
            r = X.min(r, new X(cap.ratePct));
          }
        }
        // One row per effective rate; the rate date is shown when all parts in the row share it.
        const key = r.toString();
        const g = groups.get(key);
        if (g) {
          g.base = g.base.plus(t.amount);
          if (g.rateDate !== rateDate) g.rateDate = undefined;
        } else groups.set(key, { r, base: t.amount, rateDate });
      }
      for (const g of groups.values()) {
        const x = g.base
          .times(g.r)
          .times(days)
          .div(100 * denom);
        chargeRows.push({
          charge: c.index,
          from: a,
          to: b,
          days,
          base: g.base.toFixed(2),
          rate: pct(g.r),
          fraction: `1/${denom}`,
          amount: money(x),
          exactAmount: exact(x),
          x,
          ...(g.rateDate ? { rateDate: g.rateDate } : {}),
          ...(rowCap ? { note: `rate cap ${rowCap.act}: ${rowCap.mode === 'fixed' ? `r = ${rowCap.ratePct} %` : `r = min(${rowCap.ratePct} %, key rate)`}` } : {}),
        });
      }
    });

    // Contractual cap: the penalty on one charge may not exceed capPct % of that charge.
    if (rule === 'contractual' && input.capPct !== undefined) {
      const capExact = new X(c.amount).times(input.capPct).div(100);
      const capKop = kopecks(capExact);
      let cumExact = new X(0);
      let cumKop = new X(0);
      let hit = false;
      for (const row of chargeRows) {
        const rowKop = kopecks(row.x);
        const overExact = cumExact.plus(row.x).gt(capExact);
        const overKop = cumKop.plus(rowKop).gt(capKop);
        if (overExact || overKop) {
          hit = true;
          row.capped = true;
          const xCut = X.max(0, capExact.minus(cumExact));
          row.x = X.min(row.x, xCut);
          row.exactAmount = exact(row.x);
          row.amount = X.max(0, X.min(rowKop, capKop.minus(cumKop))).toFixed(2);
          row.note = 'cut by the contractual cap';
        }
        cumExact = cumExact.plus(row.x);
        cumKop = cumKop.plus(new X(row.amount));
      }
      if (hit) capNotes.push(`Cap ${input.capPct} % of charges[${c.index}] (${c.amount}) = ${capKop.toFixed(2)} reached; accrual beyond it is cut.`);
    }
    periods.push(...chargeRows);
  }

  const total = rounding === 'perPeriod' ? periods.reduce((s, p) => s.plus(p.amount), new X(0)).toFixed(2) : money(periods.reduce((s, p) => s.plus(p.x), new X(0)));

  for (const m of usedMoratoria.values()) {
    const excluded = periods.filter((p) => p.note?.startsWith(`moratorium: ${m.label}`)).reduce((s, p) => s + p.days, 0);
    notes.push(`Moratorium ${m.label} ${m.from}–${m.to}: ${excluded} charge-day(s) excluded; delay days keep counting through it.`);
    sources.push(m.source);
  }
  notes.push(...capNotes);
  for (const cp of usedCaps.values()) {
    notes.push(
      `Rate cap applied: ${cp.act} for ${capByPayment ? 'parts paid (or calculated) on' : 'accrual days'} ${cp.from}–${cp.to} (${cp.mode === 'fixed' ? `r = ${cp.ratePct} %` : `r = min(${cp.ratePct} %, key rate)`}).`,
    );
    sources.push({ kind: 'cap', ref: `${cp.act}: ${cp.from}–${cp.to}`, source: cp.source, mark: cp.mark, ...(cp.note ? { note: cp.note } : {}) });
  }
  for (const k of [...usedKeyRates.values()].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    sources.push({ kind: 'keyRate', ref: `key rate ${k.ratePct} % from ${k.from}`, source: k.source, mark: k.mark, ...(k.note ? { note: k.note } : {}) });
  }
  const lastRate = rules.keyRates[rules.keyRates.length - 1]!;
  if (usedKeyRates.has(lastRate.from) && calculateTo > lastRate.from) {
    notes.push(`The key-rate table ends at ${lastRate.from} (${lastRate.ratePct} %); if the rate changed later, add it in a rules file.`);
  }
  if (rule === 'housing' && !fixedRate) {
    notes.push(
      rateMode === 'paymentDate'
        ? `Rate mode "paymentDate": each paid part uses the key rate on its payment day; the unpaid balance uses the rate on ${calculateTo}.`
        : `Rate mode "asOf": one key rate, as of ${calculateTo}, for every day.`,
    );
  }
  if (input.moratoria === 'none') notes.push('Moratoria not applied (moratoria: "none").');

  return {
    rule,
    calculateTo,
    total,
    rounding,
    ...(rule === 'housing' ? { rateMode } : {}),
    periods: periods.map(({ x: _x, ...p }) => p as PenaltyPeriod),
    notes,
    sources,
    readings: [...usedReadings].sort().map((id) => ({ id, label: R[id].label, value: R[id].value, default: R[id].default, source: R[id].source })),
    rulesVersion: rules.version,
  };
}
