/**
 * The reports' labels in the console's language, by stable keys: the API's report JSON names every
 * column by `key`, the report by `report`, a chart by its position in the report; these keys are
 * translated here, so the Russian console shows Russian labels whatever text the API carries. Keys
 * not known here (a column added later) fall back to the API's English label.
 */
import { fmtDate, getLang, tx } from './i18n.js';

type Lang = 'ru' | 'en';
type Dict = Record<string, Record<Lang, string>>;

const REPORTS: Dict = {
  aging: { ru: 'Старение дебиторской задолженности', en: 'Receivables aging' },
  dynamics: { ru: 'Динамика дебиторской задолженности', en: 'Receivables dynamics' },
  unpaid: { ru: 'Неоплаченные счета', en: 'Unpaid invoices' },
  balances: { ru: 'Сальдо расчётов', en: 'Settlement balances' },
  calendar: { ru: 'Платёжный календарь', en: 'Payment calendar' },
  portfolios: { ru: 'Портфели должников', en: 'Debtor portfolios' },
  efficiency: { ru: 'Эффективность взыскания', en: 'Collection efficiency' },
  deviations: { ru: 'Отклонения условий оплаты от кредитной политики', en: 'Payment terms against the credit policy' },
};

const GROUPS: Dict = {
  customer: { ru: 'клиент', en: 'customer' },
  contract: { ru: 'договор', en: 'contract' },
  manager: { ru: 'менеджер', en: 'manager' },
  segment: { ru: 'сегмент', en: 'segment' },
  portfolio: { ru: 'портфель', en: 'portfolio' },
  scope: { ru: 'Итог', en: 'Scope' },
  period: { ru: 'Период', en: 'Period' },
};

/** "Grouped by …" in a title: Russian needs the dative plural ("по клиентам"), not the label's nominative. */
const GROUPED_BY: Dict = {
  customer: { ru: 'по клиентам', en: 'by customer' },
  contract: { ru: 'по договорам', en: 'by contract' },
  manager: { ru: 'по менеджерам', en: 'by manager' },
  segment: { ru: 'по сегментам', en: 'by segment' },
  portfolio: { ru: 'по портфелям', en: 'by portfolio' },
};

const PERIODS: Dict = {
  day: { ru: 'по дням', en: 'by day' },
  week: { ru: 'по неделям', en: 'by week' },
  month: { ru: 'по месяцам', en: 'by month' },
};

/** Column labels by column key (every report). */
const COLUMNS: Dict = {
  actual: { ru: 'Фактические поступления', en: 'Actual inflows' },
  actualValue: { ru: 'Фактически', en: 'Actual' },
  add: { ru: 'ADD (дней)', en: 'ADD (days)' },
  addTarget: { ru: 'Цель ADD', en: 'ADD target' },
  ageBucket: { ru: 'Возраст долга (старейший документ)', en: 'Debt age (oldest item)' },
  amount: { ru: 'Сумма', en: 'Amount' },
  balance: { ru: 'Сальдо', en: 'Balance' },
  beginAr: { ru: 'Задолженность на начало', en: 'Receivables at start' },
  bestPossibleDso: { ru: 'Наилучший DSO (дней)', en: 'Best-possible DSO (days)' },
  bucket: { ru: 'Интервал', en: 'Bucket' },
  cei: { ru: 'CEI (%)', en: 'CEI (%)' },
  ceiStatus: { ru: 'CEI к цели', en: 'CEI vs target' },
  ceiTarget: { ru: 'Цель CEI', en: 'CEI target' },
  contract: { ru: 'Договор', en: 'Contract' },
  countbackDso: { ru: 'DSO методом countback (дней)', en: 'Countback DSO (days)' },
  creditSales: { ru: 'Продажи в кредит', en: 'Credit sales' },
  currency: { ru: 'Валюта', en: 'Currency' },
  customerId: { ru: 'Клиент', en: 'Customer' },
  customerName: { ru: 'Наименование', en: 'Name' },
  customers: { ru: 'Клиентов', en: 'Customers' },
  daysPastDue: { ru: 'Дней просрочки', en: 'Days past due' },
  document: { ru: 'Документ', en: 'Document' },
  dso: { ru: 'DSO (дней)', en: 'DSO (days)' },
  dsoStatus: { ru: 'DSO к цели', en: 'DSO vs target' },
  dsoTarget: { ru: 'Цель DSO', en: 'DSO target' },
  dueDate: { ru: 'Срок оплаты', en: 'Due' },
  end: { ru: 'По', en: 'To' },
  endAr: { ru: 'Задолженность на конец', en: 'Receivables at end' },
  endCurrentAr: { ru: 'Непросроченная задолженность на конец', en: 'Current receivables at end' },
  expected: { ru: 'Ожидается, всего', en: 'Expected total' },
  expectedDue: { ru: 'Ожидается: сроки счетов', en: 'Expected: invoices due' },
  expectedPromised: { ru: 'Ожидается: обещания', en: 'Expected: promises' },
  expectedScheduled: { ru: 'Ожидается: графики', en: 'Expected: schedules' },
  expectedWeighted: { ru: 'Ожидается с учётом платёжной дисциплины', en: 'Expected, weighted by discipline' },
  weight: { ru: 'Вес (дисциплина)', en: 'Weight (discipline)' },
  field: { ru: 'Условие', en: 'Term' },
  invoice: { ru: 'Счёт', en: 'Invoice' },
  invoiced: { ru: 'Выставлено (без аннулированных)', en: 'Invoiced (not void)' },
  issueDate: { ru: 'Выставлен', en: 'Issued' },
  kind: { ru: 'Вид', en: 'Kind' },
  manager: { ru: 'Менеджер', en: 'Manager' },
  method: { ru: 'Способ взыскания', en: 'Collection method' },
  net: { ru: 'Сальдо нетто', en: 'Net balance' },
  newInvoices: { ru: 'Новые счета', en: 'New invoices' },
  oldestDaysPastDue: { ru: 'Наибольшая просрочка, дней', en: 'Oldest days past due' },
  outstanding: { ru: 'Остаток долга', en: 'Outstanding' },
  overdue: { ru: 'Просрочено на конец', en: 'Overdue at end' },
  overdueUndated: { ru: 'Просрочено до начала периода (без даты)', en: 'Overdue before the range (no date)' },
  paid: { ru: 'Оплачено', en: 'Settled' },
  payments: { ru: 'Платежи', en: 'Payments' },
  penalty: { ru: 'Начисленная неустойка', en: 'Accrued penalty' },
  period: { ru: 'Период', en: 'Period' },
  policyValue: { ru: 'По кредитной политике', en: 'Credit policy' },
  portfolio: { ru: 'Портфель', en: 'Portfolio' },
  principal: { ru: 'Основной долг', en: 'Principal outstanding' },
  riskCategory: { ru: 'Категория риска', en: 'Risk category' },
  segment: { ru: 'Сегмент', en: 'Segment' },
  settled: { ru: 'Погашено', en: 'Settled' },
  stage: { ru: 'Стадия взыскания', en: 'Dunning stage' },
  start: { ru: 'С', en: 'From' },
  total: { ru: 'Задолженность на конец', en: 'Receivables at end' },
  unappliedCredit: { ru: 'Нераспределённые поступления', en: 'Unapplied credit' },
  termsSource: { ru: 'Источник условий', en: 'Terms from' },
};

/** The `count` column of a totals/groups table: what it counts, by report. */
const COUNTS: Record<string, Record<Lang, string>> = {
  unpaid: { ru: 'Счетов', en: 'Invoices' },
  deviations: { ru: 'Отклонений', en: 'Deviations' },
};

const RECOVERY: Dict = {
  Letters: { ru: 'писем', en: 'letters' },
  Asked: { ru: 'сумма в письмах', en: 'amount in letters' },
  Paid: { ru: 'оплачено в срок окна', en: 'paid within the window' },
  RecoveryPct: { ru: 'возврат, %', en: 'recovery %' },
  RecoveryTarget: { ru: 'цель, %', en: 'target %' },
};

/** Chart titles by report (the API's charts of a report are one per currency, in this order). */
const CHARTS: Record<string, Record<Lang, string>> = {
  aging: { ru: 'Старение', en: 'Aging' },
  dynamics: { ru: 'Задолженность и просрочка', en: 'Receivables and overdue' },
  calendar: { ru: 'Ожидаемые и фактические поступления', en: 'Expected and actual inflows' },
  efficiency: { ru: 'DSO и наилучший DSO', en: 'DSO and best-possible DSO' },
  portfolios: { ru: 'Основной долг по возрасту и способу взыскания', en: 'Principal by debt age and collection method' },
};

const SERIES: Dict = {
  Principal: { ru: 'Основной долг', en: 'Principal' },
  'Accrued penalty': { ru: 'Неустойка', en: 'Accrued penalty' },
  Receivables: { ru: 'Задолженность', en: 'Receivables' },
  Overdue: { ru: 'Просрочено', en: 'Overdue' },
  Expected: { ru: 'Ожидается', en: 'Expected' },
  'Expected, weighted': { ru: 'Ожидается с учётом дисциплины', en: 'Expected, weighted' },
  Actual: { ru: 'Фактически', en: 'Actual' },
  DSO: { ru: 'DSO', en: 'DSO' },
  'Best-possible DSO': { ru: 'Наилучший DSO', en: 'Best-possible DSO' },
};

/** Text cell values with a fixed vocabulary. */
const VALUES: Dict = {
  current: { ru: 'текущая', en: 'current' },
  met: { ru: 'достигнута', en: 'met' },
  missed: { ru: 'не достигнута', en: 'missed' },
  none: { ru: 'нет', en: 'none' },
  total: { ru: 'итого', en: 'total' },
  invoice: { ru: 'счёт', en: 'invoice' },
  'refund-debit': { ru: 'долг по возврату', en: 'refund debit' },
  'unapplied-credit': { ru: 'нераспределённый платёж', en: 'unapplied credit' },
  promise: { ru: 'обещание', en: 'promise' },
  schedule: { ru: 'график', en: 'schedule' },
  '(no manager)': { ru: '(без менеджера)', en: '(no manager)' },
  '(no contract)': { ru: '(без договора)', en: '(no contract)' },
  '(customer terms)': { ru: '(условия клиента)', en: '(customer terms)' },
  '(no matrix row)': { ru: '(нет строки матрицы)', en: '(no matrix row)' },
  'strategy:wait': { ru: 'стратегия: ждать', en: 'strategy: wait' },
  'strategy:collect': { ru: 'стратегия: взыскивать', en: 'strategy: collect' },
  'strategy:sell': { ru: 'стратегия: продать', en: 'strategy: sell' },
  limit: { ru: 'лимит', en: 'limit' },
  deferralDays: { ru: 'отсрочка, дней', en: 'deferral days' },
  prepaymentPct: { ru: 'предоплата, %', en: 'prepayment %' },
  maxDaysOverdue: { ru: 'допустимая просрочка, дней', en: 'days overdue tolerated' },
  materialityFloor: { ru: 'порог существенности', en: 'materiality floor' },
  mode: { ru: 'режим', en: 'mode' },
  operator: { ru: 'заданы в кредитном контроле', en: 'set in credit control' },
  billing: { ru: 'из биллинга', en: 'from billing' },
  matrix: { ru: 'по матрице', en: 'matrix' },
};

const pick = (d: Dict, k: string): string | undefined => d[k]?.[getLang()];
const STAGES = ['reminder', 'warning', 'claim', 'litigation'];

export const reportName = (name: string): string => pick(REPORTS, name) ?? name;
export const groupName = (g: string): string => pick(GROUPS, g) ?? g;
export const periodName = (p: string): string => pick(PERIODS, p) ?? p;

/** A bucket label ("current", "1–30", ">120") in the console's language. */
export function bucketLabel(label: string): string {
  if (label === 'current') return pick(VALUES, 'current')!;
  if (getLang() === 'ru') return /^[>\d]/.test(label) ? `${label} дн.` : label;
  return label;
}

/** A value of a text cell (collection methods, stages, statuses, kinds, term names). */
export function valueLabel(v: string): string {
  const fixed = pick(VALUES, v);
  if (fixed) return fixed;
  const week = /^week of (\d{4}-\d{2}-\d{2})$/.exec(v);
  if (week) return `${getLang() === 'ru' ? 'неделя с' : 'week of'} ${fmtDate(week[1])}`;
  const stage = /^stage:(\w+)$/.exec(v);
  if (stage) return `${getLang() === 'ru' ? 'стадия' : 'stage'}: ${tx('stage', stage[1]!)}`;
  if (STAGES.includes(v)) return tx('stage', v);
  // A portfolio "<bucket> · <method>".
  const parts = v.split(' · ');
  if (parts.length === 2) return `${bucketLabel(parts[0]!)} · ${valueLabel(parts[1]!)}`;
  return v;
}

/** A column's label by its key (buckets by the configured bucket labels, the API's label as fallback). */
export function columnLabel(report: string, c: { key: string; label: string }, groupBy?: string): string {
  const k = c.key;
  const bucket = /^(bucket|penalty)(\d+)$/.exec(k);
  if (bucket) {
    const label = bucket[1] === 'penalty' ? c.label.replace(/^Penalty /, '') : c.label;
    return bucket[1] === 'penalty' ? `${getLang() === 'ru' ? 'Неустойка' : 'Penalty'} ${bucketLabel(label)}` : bucketLabel(label);
  }
  const recovery = /^(reminder|warning|claim|litigation)(Letters|Asked|Paid|RecoveryPct|RecoveryTarget)$/.exec(k);
  if (recovery) return `${tx('stage', recovery[1]!)}: ${pick(RECOVERY, recovery[2]!)}`;
  if (k === 'count') return pick(COUNTS, report) ?? pick(COLUMNS, 'customers')!;
  if (k === 'group') return groupName(groupBy ?? c.label);
  if (k === 'scope') return pick(GROUPS, 'scope')!;
  if (k in GROUPS && !(k in COLUMNS)) return groupName(k);
  return pick(COLUMNS, k) ?? c.label;
}

/** The report's title from its stable parts. */
export function reportTitle(r: { report: string; asOf: string; from?: string; to?: string; period?: string; groupBy?: string }): string {
  const ru = getLang() === 'ru';
  const range = r.from && r.to && r.report !== 'aging' ? ` ${fmtDate(r.from)} – ${fmtDate(r.to)}` : '';
  const period = r.report === 'dynamics' && r.period ? `, ${periodName(r.period)}` : '';
  const group = r.groupBy ? `, ${pick(GROUPED_BY, r.groupBy) ?? `${ru ? 'по' : 'by'} ${groupName(r.groupBy)}`}` : '';
  return `${reportName(r.report)}${range}${period}${group}, ${ru ? 'на' : 'as of'} ${fmtDate(r.asOf)}`;
}

/** A chart's title: the report's chart name and the currency the API's title ends with. */
export function chartTitle(report: string, apiTitle: string): string {
  const name = CHARTS[report]?.[getLang()];
  if (!name) return apiTitle;
  const cur = /, ([A-Z]{3})$/.exec(apiTitle)?.[1];
  return cur ? `${name}, ${cur}` : name;
}

export const seriesName = (name: string): string => pick(SERIES, name) ?? valueLabel(name);
