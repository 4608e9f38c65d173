/**
 * Typed errors. Each carries a stable code and an HTTP-ish status; callers map them to a clear error
 * body ({ error: { code, message, fields? } }) and never leak a stack trace.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export abstract class ClaimflowError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
  toBody(): { error: { code: string; message: string; [k: string]: unknown } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export class ValidationError extends ClaimflowError {
  readonly code = 'VALIDATION_FAILED';
  readonly status = 400;
  constructor(
    readonly fields: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(`invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, options);
  }
  override toBody() {
    return { error: { code: this.code, message: 'The request has invalid fields.', fields: this.fields } };
  }
}

export class AuthenticationError extends ClaimflowError {
  readonly code = 'UNAUTHENTICATED';
  readonly status = 401;
}

/**
 * The caller is known but its roles do not allow the action: the one role refusal of the whole API
 * (operator routes, the console, credit control; claim-case approval's RoleNotAllowedError extends it).
 * Always 403 with the body {error: {code: "FORBIDDEN", message, action, roles, requiredRoles}}: `roles` and
 * `requiredRoles` are the same list, the roles that may take the action (the operator routes always
 * sent `roles`, credit control `requiredRoles`; both stay so neither kind of client breaks).
 */
export class ForbiddenError extends ClaimflowError {
  readonly code: string = 'FORBIDDEN';
  readonly status = 403;
  /** Set once the refusal is in the audit trail (the operator router audits those not yet audited). */
  audited = false;
  constructor(
    readonly action: string,
    readonly allowed: readonly string[],
    options?: { cause?: unknown; has?: readonly string[]; message?: string },
  ) {
    super(
      options?.message ??
        `${action} needs the role ${allowed.join(' or ')}${options?.has ? (options.has.length ? `; the caller has ${options.has.join(', ')}` : '; the caller has no role') : ''}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
  }
  override toBody(): { error: { code: string; message: string; [k: string]: unknown } } {
    return { error: { code: this.code, message: this.message, action: this.action, roles: [...this.allowed], requiredRoles: [...this.allowed] } };
  }
}

export class PayloadTooLargeError extends ClaimflowError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
}

export class NotFoundError extends ClaimflowError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
}

export class ConflictError extends ClaimflowError {
  readonly code: string = 'CONFLICT';
  readonly status = 409;
}

/** An entry dated inside a closed period. */
export class ClosedPeriodError extends ConflictError {
  override readonly code = 'PERIOD_CLOSED';
  constructor(
    readonly closedThrough: string,
    readonly entryDate: string,
    options?: { cause?: unknown },
  ) {
    super(`period closed through ${closedThrough}; entry dated ${entryDate} must go into the open period`, options);
  }
  override toBody() {
    return { error: { code: this.code, message: this.message, closedThrough: this.closedThrough } };
  }
}

/** A transient infrastructure failure worth retrying (throttling, timeouts). */
export class TransientError extends ClaimflowError {
  readonly code = 'TRANSIENT';
  readonly status = 503;
}

/**
 * A synchronous report ran out of its read budget (REPORT_SYNC_BUDGET_MS) before it had read the
 * ledger: the answer would come after API Gateway's 29 s, so the report must run as a job. 422, not
 * 503/504: the request is valid, and sending it again would fail the same way (clients retry 503s),
 * while the same parameters sent to the job route (`job`, in the body) succeed; not 400 either, as
 * nothing in the request is wrong.
 */
export class ReportNeedsJobError extends ClaimflowError {
  readonly code = 'REPORT_NEEDS_JOB';
  readonly status = 422;
  constructor(
    readonly report: string,
    readonly budgetMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `report ${report} reads more of the ledger than a synchronous request may (read budget ${budgetMs} ms); run it as a job: POST /operator/reports/${encodeURIComponent(report)}/jobs with the same parameters (CLI: claimflow report ${report} … --job)`,
      options,
    );
  }
  override toBody() {
    return { error: { code: this.code, message: this.message, job: { method: 'POST', path: `/operator/reports/${encodeURIComponent(this.report)}/jobs` } } };
  }
}

/** Configuration missing or invalid; names the setting. */
export class ConfigError extends ClaimflowError {
  readonly code = 'CONFIG_INVALID';
  readonly status = 500;
}

export function errorBody(err: unknown): { status: number; body: { error: Record<string, unknown> } } {
  if (err instanceof ClaimflowError) return { status: err.status, body: err.toBody() };
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error. The request was logged and can be replayed.' } } };
}
