/**
 * Ledger use cases: apply a command (exactly once, refusals recorded: ledger-write.ts) and produce a
 * reconciliation statement (JSON, optionally PDF) for a customer and a period; a customer's folded state.
 */
import type { ApplyResult, CommandOrigin, LedgerHistory, LedgerService, Logger } from '../ports/index.js';
import type { LedgerCommand } from '../domain/ledger/commands.js';
import { foldLedger, type LedgerState } from '../domain/ledger/fold.js';
import { reconcile, type ReconciliationStatement } from '../domain/ledger/reconcile.js';
import { parseDate, type CalendarDate } from '../domain/dates.js';
import { isCurrency, type Currency } from '../domain/money.js';
import { NotFoundError, ValidationError, type FieldIssue } from '../domain/errors.js';
import { renderReconciliationPdf, type CompanyInfo } from '../render/reconciliation-pdf.js';

export type UseCaseLogger = Pick<Logger, 'info'>;

export async function applyCommand(deps: { ledger: LedgerService; logger?: UseCaseLogger }, command: LedgerCommand, origin: CommandOrigin): Promise<ApplyResult> {
  const result = await deps.ledger.apply(command, origin);
  deps.logger?.info('ledger command', { type: command.type, customerId: command.customerId, source: origin.source, eventId: origin.eventId, ...result });
  return result;
}

/** Applies commands in order; a refusal throws (the adapter has already audited it) and stops the batch. */
export async function applyAll(deps: { ledger: LedgerService; logger?: UseCaseLogger }, items: { command: LedgerCommand; origin: CommandOrigin }[]): Promise<ApplyResult[]> {
  const out: ApplyResult[] = [];
  for (const { command, origin } of items) out.push(await applyCommand(deps, command, origin));
  return out;
}

function periodParams(from: unknown, to: unknown, currency?: unknown): { from: CalendarDate; to: CalendarDate; currency?: Currency } {
  const issues: FieldIssue[] = [];
  let f: CalendarDate | undefined;
  let t: CalendarDate | undefined;
  try {
    f = parseDate(from, 'from');
  } catch (e) {
    issues.push(...(e as ValidationError).fields);
  }
  try {
    t = parseDate(to, 'to');
  } catch (e) {
    issues.push(...(e as ValidationError).fields);
  }
  if (f && t && t < f) issues.push({ field: 'to', message: 'must not be before from' });
  if (currency !== undefined && (typeof currency !== 'string' || !isCurrency(currency))) issues.push({ field: 'currency', message: 'unknown currency' });
  if (issues.length) throw new ValidationError(issues);
  return { from: f!, to: t!, ...(currency ? { currency: currency as Currency } : {}) };
}

/** Акт сверки as JSON. NotFoundError for an unknown customer; ValidationError for bad dates/currency. */
export async function reconciliationStatement(
  deps: { history: LedgerHistory },
  customerId: string,
  from: unknown,
  to: unknown,
  currency?: unknown,
  contract?: string,
): Promise<ReconciliationStatement> {
  const p = periodParams(from, to, currency);
  return reconcileCustomer(deps.history, customerId, p.from, p.to, p.currency, contract === undefined ? undefined : contract === 'none' ? null : contract);
}

/** Акт сверки of a customer for validated dates. NotFoundError for an unknown customer. */
/** `contractId`: the statement by that contract (null = what belongs to no contract); absent = the whole customer. */
export async function reconcileCustomer(
  history: LedgerHistory,
  customerId: string,
  from: CalendarDate,
  to: CalendarDate,
  currency?: Currency,
  contractId?: string | null,
): Promise<ReconciliationStatement> {
  const entries = await history.listEntries(customerId);
  if (!entries.some((e) => e.command.type === 'customer.upsert')) throw new NotFoundError(`customer ${customerId} not found`);
  return reconcile(
    entries.map((e) => e.command),
    { customerId, from, to, ...(currency ? { currency } : {}), ...(contractId !== undefined ? { contractId } : {}) },
  );
}

/** The full derived ledger state of a customer (fold of its entries). */
export async function ledgerStateOf(history: LedgerHistory, customerId: string): Promise<LedgerState> {
  return foldLedger((await history.listEntries(customerId)).map((e) => e.command));
}

/** Акт сверки as JSON and PDF bytes. */
export async function reconciliationDocument(
  deps: { history: LedgerHistory; company: CompanyInfo },
  customerId: string,
  from: unknown,
  to: unknown,
  currency?: unknown,
): Promise<{ statement: ReconciliationStatement; pdf: Uint8Array }> {
  const statement = await reconciliationStatement(deps, customerId, from, to, currency);
  return { statement, pdf: await renderReconciliationPdf(statement, deps.company) };
}
