/** Typed refusals of the claim-case transitions (subclasses of the shared error classes). Pure. */
import { ConflictError, ForbiddenError } from '../errors.js';

/**
 * The operator's role may not do this (only role "legal" approves or rejects litigation): the shared
 * ForbiddenError (403, audited by the router), with the claim routes' own code and fields kept.
 */
export class RoleNotAllowedError extends ForbiddenError {
  override readonly code = 'ROLE_NOT_ALLOWED';
  constructor(
    readonly role: string,
    action: string,
    readonly requiredRole: string,
    options?: { cause?: unknown },
  ) {
    super(action, [requiredRole], { ...options, message: `role "${role}" may not ${action}; only role "${requiredRole}" may` });
  }
  override toBody() {
    const b = super.toBody();
    return { error: { ...b.error, role: this.role, requiredRole: this.requiredRole } };
  }
}

/** Litigation (and its package) needs the legal team's approval first. */
export class ApprovalRequiredError extends ConflictError {
  override readonly code = 'APPROVAL_REQUIRED';
  constructor(
    readonly caseId: string,
    readonly caseStatus: string,
    action: string,
    options?: { cause?: unknown },
  ) {
    super(`case ${caseId} is ${caseStatus}: ${action} needs approval by the legal team first`, options);
  }
  override toBody() {
    return { error: { code: this.code, message: this.message, caseId: this.caseId, status: this.caseStatus } };
  }
}

/** The transition is not possible from the case's current status. */
export class CaseStatusError extends ConflictError {
  override readonly code = 'CASE_STATUS';
  constructor(
    readonly caseId: string,
    readonly caseStatus: string,
    action: string,
    options?: { cause?: unknown },
  ) {
    super(`case ${caseId} is ${caseStatus}: cannot ${action}`, options);
  }
  override toBody() {
    return { error: { code: this.code, message: this.message, caseId: this.caseId, status: this.caseStatus } };
  }
}

/** The case changed since the version read (a concurrent change): read it again and retry. */
export class CaseVersionConflict extends ConflictError {
  override readonly code = 'CASE_VERSION_CONFLICT';
}
