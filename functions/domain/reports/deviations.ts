/**
 * Deviations of payment terms from the credit policy, as of a date — the credit module's own
 * functions (functions/domain/credit: paymentDiscipline, effectiveTerms, contractTerms, deviationsOf)
 * over the ledger and credit control's records, exactly as the credit snapshot composes them: the
 * customer's type (set in credit control, else its segment), its risk category from payment discipline
 * as of the date, its terms = the matrix row of category "new" overlaid with billing's limit and
 * payment terms days, then with the individual terms an operator set in credit control; each
 * contract's = the customer's overlaid with the contract's payment terms days (ledger) and the
 * contract's individual terms (credit control). Against the matrix row of its type and category, one
 * row per field that differs, saying where the differing value comes from. Individual terms are the
 * current ones (credit control keeps no history of them); everything else is as of the date.
 */
import type { CalendarDate } from '../dates.js';
import { contractTerms, deviationsOf, effectiveTerms } from '../credit/matrix.js';
import { DEFAULT_CREDIT_POLICY, type CreditPolicy, type CreditTerms, type PartialTerms } from '../credit/policy.js';
import { customerAsOf, disciplineAsOf, WHO_COLUMNS, whoCells } from './as-of.js';
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
    ...WHO_COLUMNS,
    { key: 'riskCategory', label: 'Risk category', type: 'text' },
    { key: 'field', label: 'Term', type: 'text' },
    { key: 'policyValue', label: 'Credit policy', type: 'text' },
    { key: 'actualValue', label: 'Actual', type: 'text' },
    { key: 'termsSource', label: 'Terms from', type: 'text' },
    { key: 'currency', label: 'Currency', type: 'text' },
  ];
  const rows: Row[] = [];
  for (const book of books) {
    const c = customerAsOf(book, p.asOf);
    const cu = c.state.customer;
    if (!cu) continue;
    const discipline = disciplineAsOf(c, p.asOf, policy.discipline);
    const credit = book.credit;
    const customerType = credit?.customerType ?? c.segment;
    const billing = { ...(cu.creditLimit ? { creditLimit: cu.creditLimit } : {}), ...(cu.paymentTermsDays !== undefined ? { paymentTermsDays: cu.paymentTermsDays } : {}) };
    const { terms } = effectiveTerms(policy, { customerType, billing, ...(credit?.terms ? { individual: credit.terms } : {}) });
    const contracts: Record<string, CreditTerms> = {};
    const contractIndividual: Record<string, PartialTerms> = {};
    for (const id of new Set([...Object.keys(c.state.contracts), ...Object.keys(credit?.contracts ?? {})])) {
      const k = c.state.contracts[id];
      const individual = { ...(k?.paymentTermsDays !== undefined ? { deferralDays: k.paymentTermsDays } : {}), ...(credit?.contracts?.[id] ?? {}) };
      contractIndividual[id] = credit?.contracts?.[id] ?? {};
      contracts[id] = contractTerms(terms, individual);
    }
    const report = deviationsOf(policy, { customerId: c.customerId, customerType, riskCategory: discipline.category, terms, contracts });
    /** Where a differing value comes from: credit control (an operator), the billing system or the contract, else the matrix. */
    const sourceOf = (field: string, contractId?: string): string => {
      if (contractId && field in contractIndividual[contractId]!) return 'operator';
      if (contractId && field === 'deferralDays' && c.state.contracts[contractId]?.paymentTermsDays !== undefined) return 'contract';
      if (credit?.terms && field in credit.terms) return 'operator';
      if ((field === 'limit' && billing.creditLimit) || (field === 'deferralDays' && billing.paymentTermsDays !== undefined)) return 'billing';
      return 'matrix';
    };
    for (const d of report.deviations) {
      const k = d.contractId ? c.state.contracts[d.contractId] : undefined;
      rows.push({
        ...whoCells(c, d.contractId ? `${c.customerId}/${k?.number ?? d.contractId}` : `${c.customerId}/(customer terms)`),
        riskCategory: discipline.category,
        field: d.field,
        policyValue: show(d.matrixValue),
        actualValue: show(d.actualValue),
        termsSource: sourceOf(d.field, d.contractId),
        currency: (d.matrixValue && typeof d.matrixValue === 'object' && 'currency' in d.matrixValue ? String((d.matrixValue as { currency: string }).currency) : null) ?? 'n/a',
      });
    }
    if (report.noMatrixRow) {
      rows.push({
        ...whoCells(c, `${c.customerId}/(customer terms)`),
        riskCategory: discipline.category,
        field: '(no matrix row)',
        policyValue: null,
        actualValue: `type ${customerType}, category ${discipline.category}`,
        termsSource: credit?.customerType ? 'operator' : 'matrix',
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
      'Customer type = the type set in credit control, else the segment; risk category = payment discipline as of the date (credit module); terms = matrix row of category "new", then the billing system’s limit and payment terms, then the individual terms set in credit control; a contract’s = the customer’s, then its payment terms days, then its individual terms.',
      'Individual terms are credit control’s current ones (it keeps no history of them); the rest is as of the date.',
    ],
  };
}
