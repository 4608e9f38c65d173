/** Operator use cases: pause and resume dunning, promises to pay, agreed payment schedules. Audited. */
import { Decimal } from 'decimal.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../domain/errors.js';
import { addDays, type CalendarDate } from '../../domain/dates.js';
import { minorUnits, type Currency, type Money } from '../../domain/money.js';
import type { PauseRecord } from '../../ports/dunning.js';
import type { Actor, AuditEntry } from '../../ports/operator.js';
import { audit, newId, requireActor, requireCustomer, requireOpenInvoices, requireText, today, type OperatorDeps } from './common.js';

function pauseIdFor(kind: PauseRecord['kind'], at: Date, id: string): string {
  return `${kind}-${at.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${id}`;
}

export interface PauseInput {
  customerId: string;
  invoiceId?: string;
  until: CalendarDate;
  reason: string;
  /** A paused invoice is a dispute; a customer-wide pause is manual (default by scope). */
  kind?: 'dispute' | 'manual';
}

export async function pause(deps: OperatorDeps, actor: Actor, input: PauseInput): Promise<{ pause: PauseRecord; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (input.until < today(deps)) issues.push({ field: 'until', message: `must not be in the past (today is ${today(deps)})` });
  if (issues.length) throw new ValidationError(issues);
  await requireCustomer(deps, input.customerId);
  if (input.invoiceId) await requireOpenInvoices(deps, input.customerId, [input.invoiceId], 'invoiceId');
  const at = deps.now();
  const kind = input.kind ?? (input.invoiceId ? 'dispute' : 'manual');
  const record: PauseRecord = {
    pauseId: pauseIdFor(kind, at, newId(deps)),
    customerId: input.customerId,
    ...(input.invoiceId ? { invoiceId: input.invoiceId } : {}),
    kind,
    until: input.until,
    reason: input.reason.trim(),
    by: actor.by,
    at: at.toISOString(),
  };
  await deps.dunning.putPause(record);
  const entry = await audit(
    deps,
    actor,
    'pause',
    record.reason,
    { pauseId: record.pauseId, kind, until: record.until, ...(record.invoiceId ? { invoiceId: record.invoiceId } : {}) },
    input.customerId,
  );
  return { pause: record, audit: entry };
}

/**
 * Stores a promise's or a schedule's pause records (one per named invoice, `<id>`, `<id>.2` …, or one for
 * the whole customer) and audits them once under the group's id.
 */
async function putPauseGroup(
  deps: OperatorDeps,
  actor: Actor,
  base: string,
  common: Omit<PauseRecord, 'pauseId' | 'invoiceId'> & { kind: 'promise' | 'schedule'; reason: string },
  invoiceIds: string[],
  details: Record<string, unknown>,
): Promise<{ pauses: PauseRecord[]; audit: AuditEntry }> {
  const pauses: PauseRecord[] = invoiceIds.length
    ? invoiceIds.map((invoiceId, i) => ({ ...common, pauseId: i === 0 ? base : `${base}.${i + 1}`, invoiceId }))
    : [{ ...common, pauseId: base }];
  for (const p of pauses) await deps.dunning.putPause(p);
  const entry = await audit(deps, actor, common.kind, common.reason, { pauseId: base, ...details, ...(invoiceIds.length ? { invoiceIds } : {}) }, common.customerId);
  return { pauses, audit: entry };
}

/** Promise to pay `amount` by `date`: dunning of the named invoices (or the whole customer) pauses until that date. */
export async function promiseToPay(
  deps: OperatorDeps,
  actor: Actor,
  input: { customerId: string; date: CalendarDate; amount: Money; invoiceIds?: string[]; reason: string },
): Promise<{ pauses: PauseRecord[]; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (input.date < today(deps)) issues.push({ field: 'date', message: `a promised date must not be in the past (today is ${today(deps)})` });
  if (!new Decimal(input.amount.amount).gt(0)) issues.push({ field: 'amount.amount', message: 'must be greater than zero' });
  if (issues.length) throw new ValidationError(issues);
  await requireCustomer(deps, input.customerId);
  const invoiceIds = [...new Set(input.invoiceIds ?? [])];
  await requireOpenInvoices(deps, input.customerId, invoiceIds, 'invoiceIds');
  const at = deps.now();
  const base = pauseIdFor('promise', at, newId(deps));
  const common = {
    customerId: input.customerId,
    kind: 'promise' as const,
    until: input.date,
    reason: input.reason.trim(),
    by: actor.by,
    at: at.toISOString(),
    amount: input.amount,
  };
  return putPauseGroup(deps, actor, base, common, invoiceIds, { date: input.date, amount: input.amount });
}

/** Agreed payment schedule: dunning pauses until the last installment's date. */
export async function agreeSchedule(
  deps: OperatorDeps,
  actor: Actor,
  input: { customerId: string; installments: { date: CalendarDate; amount: string }[]; currency: Currency; invoiceIds?: string[]; reason: string },
): Promise<{ pauses: PauseRecord[]; until: CalendarDate; total: Money; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (!input.installments.length) issues.push({ field: 'installments', message: 'at least one installment' });
  const digits = minorUnits(input.currency);
  const seen = new Set<string>();
  input.installments.forEach((inst, i) => {
    if (seen.has(inst.date)) issues.push({ field: `installments.${i}.date`, message: 'two installments on the same date' });
    seen.add(inst.date);
    if (inst.date < today(deps)) issues.push({ field: `installments.${i}.date`, message: `must not be in the past (today is ${today(deps)})` });
    const d = new Decimal(inst.amount);
    if (!d.gt(0)) issues.push({ field: `installments.${i}.amount`, message: 'must be greater than zero' });
    if (d.decimalPlaces() > digits) issues.push({ field: `installments.${i}.amount`, message: `${input.currency} allows at most ${digits} decimals` });
  });
  if (issues.length) throw new ValidationError(issues);
  await requireCustomer(deps, input.customerId);
  const invoiceIds = [...new Set(input.invoiceIds ?? [])];
  await requireOpenInvoices(deps, input.customerId, invoiceIds, 'invoiceIds');
  const installments = [...input.installments].sort((a, b) => (a.date < b.date ? -1 : 1)).map((x) => ({ date: x.date, amount: new Decimal(x.amount).toFixed(digits) }));
  const until = installments[installments.length - 1]!.date;
  const total: Money = { amount: installments.reduce((s, x) => s.plus(x.amount), new Decimal(0)).toFixed(digits), currency: input.currency };
  const at = deps.now();
  const base = pauseIdFor('schedule', at, newId(deps));
  const common = { customerId: input.customerId, kind: 'schedule' as const, until, reason: input.reason.trim(), by: actor.by, at: at.toISOString(), amount: total, installments };
  const group = await putPauseGroup(deps, actor, base, common, invoiceIds, { until, total, installments, currency: input.currency });
  return { ...group, until, total };
}

/** Ends a pause (or every record of a promise/schedule group: `<id>` and `<id>.2`, `<id>.3` …). */
export async function resume(deps: OperatorDeps, actor: Actor, input: { customerId: string; pauseId: string; reason: string }): Promise<{ resumed: string[]; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (issues.length) throw new ValidationError(issues);
  const all = await deps.dunning.pauses(input.customerId);
  const group = all.filter((p) => p.pauseId === input.pauseId || p.pauseId.startsWith(`${input.pauseId}.`));
  if (!group.length) throw new NotFoundError(`customer ${input.customerId} has no pause ${input.pauseId}`);
  const open = group.filter((p) => !p.resolved);
  if (!open.length) {
    const r = group[0]!.resolved!;
    throw new ConflictError(`pause ${input.pauseId} was already resumed by ${r.by} at ${r.at}`);
  }
  const resolved = { by: actor.by, at: deps.now().toISOString(), reason: input.reason.trim() };
  for (const p of open) await deps.dunning.resolvePause(input.customerId, p.pauseId, resolved);
  const entry = await audit(
    deps,
    actor,
    'resume',
    resolved.reason,
    { pauseId: input.pauseId, resumed: open.map((p) => p.pauseId), kind: open[0]!.kind, until: open[0]!.until },
    input.customerId,
  );
  return { resumed: open.map((p) => p.pauseId), audit: entry };
}

export async function listPauses(deps: OperatorDeps, customerId: string): Promise<PauseRecord[]> {
  await requireCustomer(deps, customerId);
  return (await deps.dunning.pauses(customerId)).map(({ ...p }) => {
    const { PK: _pk, SK: _sk, kind_: _k, ...rest } = p as PauseRecord & Record<string, unknown>;
    return rest as PauseRecord;
  });
}

/** The next business day after a pause ends (what operators are told: "dunned again from …"). */
export const resumesOn = (until: CalendarDate): CalendarDate => addDays(until, 1);
