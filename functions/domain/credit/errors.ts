/** Typed errors of credit control (same hierarchy as ../errors.ts; a role refusal is ../errors.ts ForbiddenError). */
import { ClaimflowError } from '../errors.js';

/** The same order was reserved with another idempotency key. */
export class ReservationConflictError extends ClaimflowError {
  readonly code = 'RESERVATION_EXISTS';
  readonly status = 409;
}
