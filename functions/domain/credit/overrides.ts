/**
 * Overrides: the head of sales lets a held customer (or one order) ship anyway, up to an amount, until
 * an expiry no later than the policy's maximum, for a stated reason. Pure: the instant is passed in.
 */
import { Decimal } from 'decimal.js';
import { ValidationError } from '../errors.js';
import { money, type Money } from '../money.js';

export interface Override {
  overrideId: string;
  customerId: string;
  scope: 'customer' | 'order';
  /** For scope "order". */
  orderId?: string;
  /** The most an order may add to exposure under it (scope customer: all reserved orders together). */
  maxAmount: Money;
  reason: string;
  grantedBy: string;
  /** ISO instants. */
  grantedAt: string;
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string;
  revokeReason?: string;
  /** Reserved under it so far (scope customer). */
  used?: Money;
}

export type OverrideStatus = 'active' | 'expired' | 'revoked';

export function overrideStatus(o: Override, now: string): OverrideStatus {
  if (o.revokedAt && o.revokedAt <= now) return 'revoked';
  if (o.expiresAt <= now) return 'expired';
  return 'active';
}

/** What is left of an override's amount. */
export function remainingOf(o: Override): Money {
  const left = new Decimal(o.maxAmount.amount).minus(o.used?.currency === o.maxAmount.currency ? o.used.amount : 0);
  return money(Decimal.max(left, 0), o.maxAmount.currency);
}

/** The active override that covers an order adding `amount` to exposure, latest expiry first. */
export function applicableOverride(overrides: readonly Override[], order: { orderId: string; amount: Money }, now: string): Override | undefined {
  return overrides
    .filter((o) => overrideStatus(o, now) === 'active' && o.grantedAt <= now)
    .filter((o) => o.scope === 'customer' || o.orderId === order.orderId)
    .filter((o) => o.maxAmount.currency === order.amount.currency && new Decimal(order.amount.amount).lte(remainingOf(o).amount))
    .sort((a, b) => (a.expiresAt > b.expiresAt ? -1 : a.expiresAt < b.expiresAt ? 1 : a.overrideId < b.overrideId ? -1 : 1))[0];
}

/** Checks a grant request against the policy's maximum; throws ValidationError naming the field. */
export function validateGrant(req: { scope: 'customer' | 'order'; orderId?: string; hours: number; reason: string }, maxOverrideHours: number): void {
  const issues: { field: string; message: string }[] = [];
  if (!(req.hours > 0)) issues.push({ field: 'hours', message: 'must be greater than zero' });
  else if (req.hours > maxOverrideHours) issues.push({ field: 'hours', message: `at most ${maxOverrideHours} hours (the configured maximum)` });
  if (req.scope === 'order' && !req.orderId) issues.push({ field: 'orderId', message: 'required for an order-scoped override' });
  if (!req.reason.trim()) issues.push({ field: 'reason', message: 'required' });
  if (issues.length) throw new ValidationError(issues);
}
