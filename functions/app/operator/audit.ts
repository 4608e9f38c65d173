/** Operator use case: the audit trail per customer (with the ledger's refusals) or per day. */
import { dateInZone, type CalendarDate } from '../../domain/dates.js';
import type { AuditEntry } from '../../ports/operator.js';
import { today, type OperatorDeps } from './common.js';

/**
 * The audit trail: operator actions of a customer (newest first, with the ledger's refusals of that
 * customer's entries) or of one day (company time zone; default today).
 */
export async function auditTrail(deps: OperatorDeps, input: { customerId?: string; day?: CalendarDate; limit?: number }): Promise<{ entries: AuditEntry[] }> {
  if (input.customerId) {
    const own = await deps.audit.byCustomer(input.customerId, { limit: input.limit ?? 500 });
    const refusals = deps.ledger.listRefusals ? await deps.ledger.listRefusals({ customerId: input.customerId, limit: input.limit ?? 500 }) : [];
    const fromRefusals: AuditEntry[] = refusals.map((r) => ({
      id: `${r.origin.source}#${r.origin.eventId}`,
      at: r.at,
      day: dateInZone(new Date(r.at), deps.timeZone),
      action: 'ledger-refusal',
      by: r.origin.source,
      reason: r.message,
      customerId: r.customerId,
      details: {
        code: r.code,
        commandType: r.commandType,
        entryKey: r.entryKey,
        ...(r.entryDate ? { entryDate: r.entryDate } : {}),
        ...(r.closedThrough ? { closedThrough: r.closedThrough } : {}),
      },
    }));
    let entries = [...own, ...fromRefusals].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    if (input.day) entries = entries.filter((e) => e.day === input.day);
    return { entries: entries.slice(0, input.limit ?? 500) };
  }
  const day = input.day ?? today(deps);
  return { entries: (await deps.audit.byDay(day)).sort((a, b) => (a.at < b.at ? 1 : -1)) };
}
