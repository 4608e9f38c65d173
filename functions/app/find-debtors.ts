/** Use case: one page of customers with invoices due within the look-ahead window or overdue. */
import { addDays, type CalendarDate } from '../domain/dates.js';
import type { LedgerReader } from '../ports/index.js';

export interface FindDebtorsInput {
  runDate: CalendarDate;
  pageToken?: string | null;
  pageSize?: number;
}

/**
 * `lookAheadDays` is how far before the due date the policy's first stage starts (reminder: 7 days
 * before due in the wholesale preset).
 */
export async function findDebtors(
  deps: { reader: LedgerReader; lookAheadDays: number },
  input: FindDebtorsInput,
): Promise<{ customerIds: string[]; nextToken?: string; dueOnOrBefore: CalendarDate }> {
  const dueOnOrBefore = addDays(input.runDate, deps.lookAheadDays);
  const page = await deps.reader.listDebtors(dueOnOrBefore, input.pageToken || undefined, input.pageSize ?? 500);
  return { customerIds: page.customerIds, ...(page.nextToken ? { nextToken: page.nextToken } : {}), dueOnOrBefore };
}
