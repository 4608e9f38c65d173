/**
 * Deviations of payment terms from the credit policy, as of a date — the credit module's own
 * functions (functions/domain/credit: paymentDiscipline, effectiveTerms, contractTerms, deviationsOf)
 * over what the ledger holds: the customer's type (its segment), its risk category from payment
 * discipline as of the date, its terms from billing (credit limit, payment terms days) and each
 * contract's payment terms days, against the matrix row of its type and category. One row per field
 * that differs. Individual terms an operator set in the credit module are not read here yet (the
 * credit store is not open to reports): a customer with such terms shows the billing terms.
 */
import type { CalendarDate } from '../dates.js';
import { contractTerms, deviationsOf, effectiveTerms } from '../credit/matrix.js';
import { paymentDiscipline } from '../credit/discipline.js';
import { DEFAULT_CREDIT_POLICY, type CreditPolicy, type CreditTerms } from '../credit/policy.js';
import type { Currency } from '../money.js';
import { customerAsOf } from './as-of.js';
import type { CustomerBook, GroupBy } from './model.js';
import { sumBy, type Column, type Report, type Row } from './table.js';

const show = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && v && 'amount' in v) return `${(v as unknown as { amount: string }).amount} ${(v as unknown as { currency: string }).currency}`;
  return String(v);
};

export function deviationsReport(books: readonly CustomerBook[], p: { asOf: CalendarDate; groupBy?: GroupBy; policy?: CreditPolicy }): Report {
  const policy = p.policy ?? DEFAULT_CREDIT_POLICY;
  const groupBy = p.groupBy ?? 'customer';
  const columns: Column[] = [
    { key: 'customerId', label: 'Customer', type: 'text' },
    { key: 'customerName', label: 'Name', type: 'text' },
    { key: 'manager', label: 'Manager', type: 'text' },
    { key: 'segment', label: 'Segment', type: 'text' },
    { key: 'portfolio', label: 'Portfolio', type: 'text' },
    { key: 'contract', label: 'Contract', type: 'text' },
    { key: 'riskCategory', label: 'Risk category', type: 'text' },
    { key: 'field', label: 'Term', type: 'text' },
    { key: 'policyValue', label: 'Credit policy', type: 'text' },
    { key: 'actualValue', label: 'Actual', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
  ];
  const rows: Row[] = [];
  for (const book of books) {
    const c = customerAsOf(book, p.asOf);
    const cu = c.state.customer;
    if (!cu) continue;
    const promises = c.promises
      .filter((x) => x.kind === 'promise' && x.amount)
      .map((x) => ({ date: x.until, madeOn: x.madeOn, amount: { amount: x.amount!.amount, currency: x.amount!.currency as Currency } }));
    const discipline = paymentDiscipline(c.state, p.asOf, policy.discipline, promises);
    const { terms } = effectiveTerms(policy, {
      customerType: c.segment,
      billing: { ...(cu.creditLimit ? { creditLimit: cu.creditLimit } : {}), ...(cu.paymentTermsDays !== undefined ? { paymentTermsDays: cu.paymentTermsDays } : {}) },
    });
    const contracts: Record<string, CreditTerms> = {};
    for (const [id, k] of Object.entries(c.state.contracts)) contracts[id] = contractTerms(terms, { deferralDays: k.paymentTermsDays });
    const report = deviationsOf(policy, { customerId: c.customerId, customerType: c.segment, riskCategory: discipline.category, terms, contracts });
    for (const d of report.deviations) {
      const k = d.contractId ? c.state.contracts[d.contractId] : undefined;
      rows.push({
        customerId: c.customerId,
        customerName: c.name,
        manager: c.manager,
        segment: c.segment,
        portfolio: c.method,
        contract: d.contractId ? `${c.customerId}/${k?.number ?? d.contractId}` : `${c.customerId}/(customer terms)`,
        riskCategory: discipline.category,
        field: d.field,
        policyValue: show(d.matrixValue),
        actualValue: show(d.actualValue),
        currency: (d.matrixValue && typeof d.matrixValue === 'object' && 'currency' in d.matrixValue ? String((d.matrixValue as { currency: string }).currency) : null) ?? 'n/a',
      });
    }
    if (report.noMatrixRow) {
      rows.push({
        customerId: c.customerId,
        customerName: c.name,
        manager: c.manager,
        segment: c.segment,
        portfolio: c.method,
        contract: `${c.customerId}/(customer terms)`,
        riskCategory: discipline.category,
        field: '(no matrix row)',
        policyValue: null,
        actualValue: `type ${c.segment}, category ${discipline.category}`,
        currency: 'n/a',
      });
    }
  }
  const groupCol = groupBy === 'customer' ? 'customerId' : groupBy;
  return {
    report: 'deviations',
    title: `Payment terms against the credit policy ${policy.name}@${policy.version} as of ${p.asOf}`,
    asOf: p.asOf,
    groupBy,
    params: { policy: `${policy.name}@${policy.version}` },
    detail: { columns, rows },
    groups: sumBy(rows, (r) => String(r[groupCol]), [], { keyName: groupBy, keyLabel: groupBy, countKey: 'field', countLabel: 'Terms that differ', columns }),
    totals: sumBy(rows, () => 'total', [], { keyName: 'scope', keyLabel: 'Scope', countKey: 'customerId', countLabel: 'Customers with deviations', columns }),
    charts: [],
    notes: [
      'Customer type = segment; risk category = payment discipline as of the date (credit module); terms = matrix row of category "new" with the billing system’s limit and payment terms; a contract’s deferral = its payment terms days.',
      'Individual terms set in the credit module are not read by reports yet.',
    ],
  };
}
