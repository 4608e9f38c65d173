/** Operator use cases on the ledger: close the books through a date (audited), the reconciliation statement. */
import { ValidationError, type FieldIssue } from '../../domain/errors.js';
import type { CalendarDate } from '../../domain/dates.js';
import type { ReconciliationStatement } from '../../domain/ledger/reconcile.js';
import type { PeriodClose } from '../../ports/ledger.js';
import type { Actor, AuditEntry } from '../../ports/operator.js';
import { renderReconciliationPdf } from '../../render/reconciliation-pdf.js';
import { reconciliationStatement } from '../ledger.js';
import { audit, requireActor, requireText, type OperatorDeps } from './common.js';

export async function closePeriod(deps: OperatorDeps, actor: Actor, input: { through: CalendarDate; reason: string }): Promise<{ period: PeriodClose; audit: AuditEntry }> {
  const issues: FieldIssue[] = [];
  requireActor(issues, actor);
  requireText(issues, 'reason', input.reason);
  if (issues.length) throw new ValidationError(issues);
  const period = await deps.ledger.closePeriod(input.through, actor.by, input.reason.trim());
  const entry = await audit(deps, actor, 'period.close', input.reason.trim(), { closedThrough: period.closedThrough });
  return { period, audit: entry };
}

export async function reconciliation(
  deps: OperatorDeps,
  input: { customerId: string; from: unknown; to: unknown; currency?: unknown; contract?: string; pdf?: boolean },
): Promise<{ statement: ReconciliationStatement; pdf?: Uint8Array }> {
  const statement = await reconciliationStatement({ history: deps.ledger }, input.customerId, input.from, input.to, input.currency, input.contract);
  if (!input.pdf) return { statement };
  return { statement, pdf: await renderReconciliationPdf(statement, deps.company) };
}
