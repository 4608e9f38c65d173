/**
 * The credit policy matrix (customer type × risk category → recommended terms), a customer's
 * effective terms, and every deviation of its terms from the matrix. Pure.
 *
 * Effective terms of a customer, lowest first, each layer overriding the one before:
 *   1. the matrix row of its type and category "new" (or the policy's default terms when the matrix
 *      has none) — fixed when the customer first appears; a later change of category never changes
 *      terms silently, it proposes the new row (discipline.ts);
 *   2. what the billing system sent with the customer (credit limit, payment terms days);
 *   3. individual terms set by an operator.
 * A contract's terms are the customer's with the contract's individual terms on top.
 */
import type { Money } from '../money.js';
import type { CreditPolicy, CreditTerms, MatrixRow, PartialTerms, RiskCategory } from './policy.js';

export function matrixRow(policy: CreditPolicy, customerType: string, category: RiskCategory): MatrixRow | undefined {
  return policy.matrix.find((r) => r.customerType === customerType && r.riskCategory === category);
}

export interface TermsSources {
  customerType: string;
  /** From the ledger's customer record (billing). */
  billing?: { creditLimit?: Money; paymentTermsDays?: number };
  /** Set by an operator. */
  individual?: PartialTerms;
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export function effectiveTerms(policy: CreditPolicy, s: TermsSources): { terms: CreditTerms; base: 'matrix' | 'default' } {
  const row = matrixRow(policy, s.customerType, 'new');
  const base: CreditTerms = row ? row.terms : policy.defaultTerms;
  const billing: PartialTerms = defined({ limit: s.billing?.creditLimit, deferralDays: s.billing?.paymentTermsDays });
  return { terms: { ...base, ...billing, ...defined(s.individual ?? {}) } as CreditTerms, base: row ? 'matrix' : 'default' };
}

export function contractTerms(customer: CreditTerms, individual: PartialTerms | undefined): CreditTerms {
  return { ...customer, ...defined(individual ?? {}) } as CreditTerms;
}

export interface TermsDeviation {
  customerId: string;
  contractId?: string;
  field: keyof CreditTerms;
  /** What the matrix recommends for the customer's type and current category. */
  matrixValue: unknown;
  /** What the customer has. */
  actualValue: unknown;
}

const FIELDS: (keyof CreditTerms)[] = ['limit', 'deferralDays', 'prepaymentPct', 'maxDaysOverdue', 'materialityFloor', 'mode'];

const same = (a: unknown, b: unknown): boolean => {
  if (a && b && typeof a === 'object' && typeof b === 'object' && 'amount' in a && 'amount' in b) {
    const x = a as Money;
    const y = b as Money;
    return x.currency === y.currency && Number(x.amount) === Number(y.amount);
  }
  if (typeof a === 'string' && typeof b === 'string' && /^\d/.test(a) && /^\d/.test(b)) return Number(a) === Number(b);
  return JSON.stringify(a) === JSON.stringify(b);
};

/** Field-by-field differences between a customer's (or contract's) terms and the matrix row. */
export function termsDeviations(who: { customerId: string; contractId?: string }, actual: CreditTerms, recommended: CreditTerms): TermsDeviation[] {
  return FIELDS.filter((f) => !same(actual[f], recommended[f])).map((field) => ({
    customerId: who.customerId,
    ...(who.contractId ? { contractId: who.contractId } : {}),
    field,
    matrixValue: recommended[field] ?? null,
    actualValue: actual[field] ?? null,
  }));
}

export interface CustomerTermsReport {
  customerId: string;
  customerType: string;
  riskCategory: RiskCategory;
  matrixRow?: CreditTerms;
  terms: CreditTerms;
  deviations: TermsDeviation[];
  /** No matrix row for this type and category: nothing to compare with. */
  noMatrixRow?: boolean;
}

/** A customer's terms (and its contracts') against the matrix row of its type and current category. */
export function deviationsOf(
  policy: CreditPolicy,
  c: { customerId: string; customerType: string; riskCategory: RiskCategory; terms: CreditTerms; contracts?: Record<string, CreditTerms> },
): CustomerTermsReport {
  const row = matrixRow(policy, c.customerType, c.riskCategory);
  if (!row) return { customerId: c.customerId, customerType: c.customerType, riskCategory: c.riskCategory, terms: c.terms, deviations: [], noMatrixRow: true };
  const deviations = [
    ...termsDeviations({ customerId: c.customerId }, c.terms, row.terms),
    ...Object.entries(c.contracts ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([contractId, t]) => termsDeviations({ customerId: c.customerId, contractId }, t, row.terms)),
  ];
  return { customerId: c.customerId, customerType: c.customerType, riskCategory: c.riskCategory, matrixRow: row.terms, terms: c.terms, deviations };
}
