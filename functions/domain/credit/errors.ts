/** Typed errors of credit control (same hierarchy as ../errors.ts). */
import { ClaimflowError } from '../errors.js';

/** The caller's roles do not allow the action; names the roles that do. */
export class RoleRequiredError extends ClaimflowError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
  constructor(
    readonly action: string,
    readonly required: readonly string[],
    readonly has: readonly string[],
  ) {
    super(`${action} needs the role ${required.join(' or ')}${has.length ? `; the caller has ${has.join(', ')}` : '; the caller has no role'}`);
  }
  override toBody() {
    return { error: { code: this.code, message: this.message, action: this.action, requiredRoles: [...this.required] } };
  }
}

/** The same order was reserved with another idempotency key. */
export class ReservationConflictError extends ClaimflowError {
  readonly code = 'RESERVATION_EXISTS';
  readonly status = 409;
}
