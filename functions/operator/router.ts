/**
 * The operator API core, framework-free: the IAM-authorized Lambda (functions/handlers/operator-api.ts)
 * and the local stack's HTTP server both call `handleOperator`. It routes on method and path under
 * "/operator/" (a stage prefix such as "/prod" is tolerated), validates bodies with zod (400 naming
 * each bad field), calls one use case (functions/app/operator.ts) and maps typed errors with errorBody
 * (404 NotFound, 409 Conflict / closed period, 503 transient, 500 otherwise).
 *
 * Who acts: `principal` (the authenticated caller, e.g. the IAM user ARN in the cloud) plus the
 * operator's name from the X-Claimflow-Operator header (CLI --by / $USER) or a "by" body field. Without
 * a name the principal is the name; without either, 400 "by".
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { dateInZone } from '../domain/dates.js';
import { approveCase, briefOf, getCase, listCases, rejectCase, setStrategy, type ClaimsDeps } from '../app/claims.js';
import { CLAIM_STATUSES, CLAIM_STRATEGIES, type ClaimStatus, type ClaimStrategy } from '../domain/claims/model.js';
import { ClaimflowError, errorBody, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { zDate, zId } from '../domain/ledger/commands.js';
import { mayAct, rolesFor } from '../domain/roles.js';
import { json, JSON_HEADERS, param, parse, type Ctx, type Handler, type Params, type RouteDef } from './route-kit.js';
import { ROUTE_ACTIONS } from './permissions.js';
import { consoleRoutes } from './routes/console.js';
import { creditRoutes, type OperatorCredit } from './routes/credit.js';
import { packageJobRoutes } from './routes/package-jobs.js';
import type { PackageJobDeps } from '../app/package-jobs.js';
import { reportJobRoutes } from './routes/report-jobs.js';
import type { ReportJobDeps } from '../app/report-jobs.js';
import { parseRoleList, resolveRoles, ROLE_HEADER } from './caller-roles.js';
import type { ConsoleDeps } from '../app/console.js';
import type { CalendarDate } from '../domain/dates.js';
import { calculatePenalty } from '../domain/penalties/index.js';
import { defaultRules, type RuleData } from '../domain/rules/index.js';
import { stateDuty } from '../domain/duty/index.js';
import type { ReportsDeps } from '../app/reports.js';
import { reportRoute } from './routes/reports.js';
import {
  agreeSchedule,
  auditTrail,
  closePeriod,
  dryRun,
  importBank,
  listPauses,
  listRun,
  pause,
  promiseToPay,
  reconciliation,
  replay,
  resolveAmbiguousLetter,
  resume,
  reviewList,
  resolveReview,
  startRunNow,
  type OperatorDeps,
} from '../app/operator.js';
import {
  zAuditQuery,
  zBankImportRequest,
  zClosePeriodRequest,
  zPauseRequest,
  zPromiseRequest,
  zReconciliationQuery,
  zReplayRequest,
  zResolveLetterRequest,
  zResumeRequest,
  zRunRequest,
  zScheduleRequest,
  zStage,
} from './schemas.js';

export const OPERATOR_HEADER = 'x-claimflow-operator';
/** Operator API bodies: JSON up to 8 MB (a bank file travels base64 inside it). */
export const MAX_OPERATOR_BODY_BYTES = 8 * 1024 * 1024;

export interface OperatorRequest {
  method: string;
  /** Path, e.g. "/operator/customers/c-1/pauses" (a stage prefix is tolerated). */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
  /** Raw body: a UTF-8 string or bytes. */
  body?: string | Uint8Array | null;
  /** Authenticated caller (IAM user ARN in the cloud); undefined locally. */
  principal?: string;
  /**
   * A signed-in console user (Cognito JWT in the cloud, a local session locally): who acts and their
   * roles. When present, it is the audited actor (the X-Claimflow-Operator header is ignored) and every
   * action is checked against its roles (403 otherwise).
   */
  identity?: Identity;
}

export interface Identity {
  /** The name recorded as "by" (e-mail or user name). */
  by: string;
  roles: string[];
  /** Stable subject recorded as the audit principal, e.g. "cognito:<sub>" or "console-local:anna". */
  subject: string;
}

export interface OperatorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** True when body is base64 of binary content (the PDF statement). */
  isBase64Encoded?: boolean;
}

export interface OperatorRouterDeps extends OperatorDeps {
  /** Rule data for the calculator (default: the embedded rules). */
  rules?: () => Promise<RuleData>;
  /** Claim cases (absent: the /cases routes answer 404). */
  claims?: ClaimsDeps;
  /**
   * Who holds the legal role in the cloud: IAM principal ARNs (or their suffix, e.g. "user/lawyer").
   * An authenticated caller's role comes from this list, never from the request body. Locally (no
   * principal) the body's role is taken: one trusted machine.
   */
  legalPrincipals?: string[];
  /** Receivables reports (absent: /reports answers 404). */
  reports?: ReportsDeps;
  /** Reads of the web console (absent: its GET routes answer 404). */
  console?: ConsoleDeps;
  /** Credit control (absent: /credit routes answer 404). */
  credit?: OperatorCredit;
  /** Litigation-package jobs (absent: the package routes answer 404). */
  packageJobs?: PackageJobDeps;
  /** Report jobs (absent: the report job routes answer 404). */
  reportJobs?: ReportJobDeps;
  /** How long GET /operator/reports/{name} may read the ledger before it answers REPORT_NEEDS_JOB (REPORT_SYNC_BUDGET_MS; absent: no budget). */
  reportSyncBudgetMs?: number;
}

interface Route {
  method: string;
  pattern: string[];
  handler: Handler;
  action?: RouteDef['action'];
}

const routes: Route[] = [];
const route = (method: string, path: string, handler: Handler, action: RouteDef['action'] = ROUTE_ACTIONS[`${method} ${path}`]) =>
  routes.push({ method, pattern: path.split('/').filter(Boolean), handler, ...(action ? { action } : {}) });

// -------------------------------------------------------------------------------------- runs
route('POST', 'runs', async (deps, ctx) => {
  const b = parse(zRunRequest, ctx.body());
  if (b.dryRun) {
    return json(200, await dryRun(deps, { runDate: b.runDate, ...(b.pageToken ? { pageToken: b.pageToken } : {}), maxCustomers: b.maxCustomers ?? 200 }));
  }
  const started = await startRunNow(deps, ctx.actor(b.by), { runDate: b.runDate, ...(b.rerun ? { rerun: b.rerun } : {}), ...(b.reason ? { reason: b.reason } : {}) });
  return json(started.status === 'FAILED' ? 500 : 200, started);
});
route('GET', 'runs/:runDate', async (deps, ctx) => json(200, await listRun(deps, param(ctx, 'runDate', zDate) as CalendarDate)));

// ------------------------------------------------------------------------- pauses & promises
route('GET', 'customers/:customerId/pauses', async (deps, ctx) => json(200, { pauses: await listPauses(deps, param(ctx, 'customerId')) }));
route('POST', 'customers/:customerId/pauses', async (deps, ctx) => {
  const customerId = param(ctx, 'customerId');
  const b = parse(zPauseRequest, ctx.body());
  const r = await pause(deps, ctx.actor(b.by), {
    customerId,
    until: b.until,
    reason: b.reason,
    ...(b.invoiceId ? { invoiceId: b.invoiceId } : {}),
    ...(b.kind ? { kind: b.kind } : {}),
  });
  return json(201, r);
});
route('POST', 'customers/:customerId/pauses/:pauseId/resume', async (deps, ctx) => {
  const customerId = param(ctx, 'customerId');
  const pauseId = param(ctx, 'pauseId');
  const b = parse(zResumeRequest, ctx.body());
  return json(200, await resume(deps, ctx.actor(b.by), { customerId, pauseId, reason: b.reason }));
});
route('POST', 'customers/:customerId/promises', async (deps, ctx) => {
  const customerId = param(ctx, 'customerId');
  const b = parse(zPromiseRequest, ctx.body());
  return json(
    201,
    await promiseToPay(deps, ctx.actor(b.by), { customerId, date: b.date, amount: b.amount, reason: b.reason, ...(b.invoiceIds ? { invoiceIds: b.invoiceIds } : {}) }),
  );
});
route('POST', 'customers/:customerId/schedules', async (deps, ctx) => {
  const customerId = param(ctx, 'customerId');
  const b = parse(zScheduleRequest, ctx.body());
  return json(
    201,
    await agreeSchedule(deps, ctx.actor(b.by), {
      customerId,
      installments: b.installments,
      currency: b.currency as never,
      reason: b.reason,
      ...(b.invoiceIds ? { invoiceIds: b.invoiceIds } : {}),
    }),
  );
});

// --------------------------------------------------------------------------- statements & audit
route('GET', 'customers/:customerId/reconciliation', async (deps, ctx) => {
  const customerId = param(ctx, 'customerId');
  const q = parse(zReconciliationQuery, ctx.query);
  const r = await reconciliation(deps, {
    customerId,
    from: q.from,
    to: q.to,
    ...(q.currency ? { currency: q.currency } : {}),
    ...(q.contract ? { contract: q.contract } : {}),
    pdf: q.format === 'pdf',
  });
  if (q.format === 'pdf' && r.pdf) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/pdf', 'content-disposition': `attachment; filename="akt-sverki-${customerId}-${q.from}_${q.to}.pdf"` },
      body: Buffer.from(r.pdf).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return json(200, r.statement);
});
route('GET', 'customers/:customerId/audit', async (deps, ctx) => {
  const q = parse(zAuditQuery, ctx.query);
  return json(200, await auditTrail(deps, { customerId: param(ctx, 'customerId'), ...(q.day ? { day: q.day } : {}), ...(q.limit ? { limit: q.limit } : {}) }));
});
route('GET', 'audit', async (deps, ctx) => {
  const q = parse(zAuditQuery, ctx.query);
  return json(200, await auditTrail(deps, { ...(q.customer ? { customerId: q.customer } : {}), ...(q.day ? { day: q.day } : {}), ...(q.limit ? { limit: q.limit } : {}) }));
});

// ------------------------------------------------------------------------------- period close
route('GET', 'period-close', async (deps) => json(200, { period: (await deps.ledger.getPeriodClose()) ?? null }));
route('POST', 'period-close', async (deps, ctx) => {
  const b = parse(zClosePeriodRequest, ctx.body());
  return json(200, await closePeriod(deps, ctx.actor(b.by), { through: b.through, reason: b.reason }));
});

// ------------------------------------------------------------------------- letters
route('POST', 'letters/:runDate/:customerId/:stage/resolve', async (deps, ctx) => {
  const runDate = param(ctx, 'runDate', zDate) as CalendarDate;
  const customerId = param(ctx, 'customerId');
  const stage = param(ctx, 'stage', zStage) as never;
  const b = parse(zResolveLetterRequest, ctx.body());
  return json(200, await resolveAmbiguousLetter(deps, ctx.actor(b.by), { runDate, customerId, stage, outcome: b.outcome, reason: b.reason }));
});

// --------------------------------------------------------------------- bank import, review, replay
route('POST', 'bank-imports', async (deps, ctx) => {
  const b = parse(zBankImportRequest, ctx.body());
  const bytes = Buffer.from(b.contentBase64, 'base64');
  return json(200, await importBank(deps, ctx.actor(b.by), { fileName: b.fileName, bytes: new Uint8Array(bytes), ...(b.reason ? { reason: b.reason } : {}) }));
});
route('GET', 'review', async (deps) => json(200, { items: await reviewList(deps) }));
route('POST', 'review/:importId/:line/resolve', async (deps, ctx) => {
  const b = parse(
    z.object({
      by: z.string().optional(),
      outcome: z.enum(['book', 'dismiss']),
      customerId: zId.optional(),
      invoiceIds: z.array(zId).max(200).optional(),
      currency: z.string().optional(),
      reason: z.string().min(1).max(2000),
    }),
    ctx.body(),
  );
  const line = parse(z.coerce.number().int().min(1), ctx.params.line, 'line') as number;
  const r = await resolveReview(deps, ctx.actor(b.by), {
    importId: decodeURIComponent(ctx.params.importId ?? ''),
    line,
    outcome: b.outcome,
    reason: b.reason,
    ...(b.customerId ? { customerId: b.customerId } : {}),
    ...(b.invoiceIds ? { invoiceIds: b.invoiceIds } : {}),
    ...(b.currency ? { currency: b.currency } : {}),
  });
  return json(200, r);
});
route('POST', 'replay', async (deps, ctx) => {
  const b = parse(zReplayRequest, ctx.body());
  return json(200, await replay(deps, ctx.actor(b.by), { archiveRef: b.archiveRef, ...(b.reason ? { reason: b.reason } : {}) }));
});

// ------------------------------------------------------------------------------- claim cases
const zCaseDecision = z.object({ by: z.string().optional(), role: z.string().optional(), note: z.string().max(2000).optional() });
const zStrategy = z.object({
  by: z.string().optional(),
  strategy: z.enum(CLAIM_STRATEGIES as [ClaimStrategy, ...ClaimStrategy[]]),
  expectedRecoveryPct: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,2})?$/, { message: 'a percent such as "60"' })
    .optional(),
  expectedRecoveryDate: zDate.optional(),
  note: z.string().max(2000).optional(),
});
const claimsOf = (deps: OperatorRouterDeps): ClaimsDeps => {
  if (!deps.claims) throw new NotFoundError('claim cases are not configured on this endpoint');
  return deps.claims;
};
function roleOf(deps: OperatorRouterDeps, ctx: Ctx, bodyRole?: string): string {
  const identity = ctx.req.identity;
  if (identity) return identity.roles.includes('legal') ? 'legal' : (identity.roles[0] ?? '');
  const principal = ctx.req.principal;
  if (!principal) return bodyRole ?? (ctx.req.headers?.[ROLE_HEADER] ? (parseRoleList(ctx.req.headers[ROLE_HEADER]).includes('legal') ? 'legal' : 'operator') : '');
  // The same resolution as credit control: LEGAL_ROLE_PRINCIPALS, the IAM role claimflow-legal, or the configured principal map.
  const roles = resolveRoles(
    { iamPrincipalArn: principal },
    { principalRoles: { ...Object.fromEntries((deps.legalPrincipals ?? []).map((p) => [p, ['legal']])), ...(deps.credit?.principalRoles ?? {}) } },
  );
  return roles.includes('legal') ? 'legal' : 'operator';
}
function whoActs(ctx: Ctx, bodyBy?: string): string {
  const { by } = ctx.actor(bodyBy);
  if (!by) throw new ValidationError([{ field: 'by', message: 'required: who acts (CLI --by or $USER)' }]);
  return by;
}
/**
 * A case as operators see it: the approval request's task token stays in the table (it is the
 * capability to complete the waiting execution; only operator-api's approve/reject route uses it).
 */
export function withoutTaskTokens<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutTaskTokens) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'approvalRequest' && v && typeof v === 'object') {
      const { token, ...rest } = v as { token?: string };
      out[k] = { ...withoutTaskTokens(rest), ...(token ? { waiting: true } : {}) };
    } else out[k] = withoutTaskTokens(v);
  }
  return out as T;
}
route('GET', 'cases', async (deps, ctx) => {
  const status = ctx.query.status ? (parse(z.enum(CLAIM_STATUSES as [ClaimStatus, ...ClaimStatus[]]), ctx.query.status, 'status') as ClaimStatus) : undefined;
  const cases = await listCases(claimsOf(deps), { ...(status ? { status } : {}), ...(ctx.query.customer ? { customerId: ctx.query.customer } : {}) });
  return json(200, { cases: cases.map(briefOf) });
});
route('GET', 'cases/:caseId', async (deps, ctx) => json(200, withoutTaskTokens(await getCase(claimsOf(deps), param(ctx, 'caseId')))));
route('POST', 'cases/:caseId/approve', async (deps, ctx) => {
  const b = parse(zCaseDecision, ctx.body());
  const by = whoActs(ctx, b.by);
  const r = await approveCase(claimsOf(deps), { caseId: param(ctx, 'caseId'), by, role: roleOf(deps, ctx, b.role), ...(b.note ? { note: b.note } : {}) });
  // The case itself records the approval (who, role, when, note) in its events and stage history.
  return json(200, withoutTaskTokens(r));
});
route('POST', 'cases/:caseId/reject', async (deps, ctx) => {
  const b = parse(zCaseDecision.extend({ note: z.string().min(1).max(2000) }), ctx.body());
  const by = whoActs(ctx, b.by);
  return json(200, withoutTaskTokens(await rejectCase(claimsOf(deps), { caseId: param(ctx, 'caseId'), by, role: roleOf(deps, ctx, b.role), note: b.note })));
});
route('POST', 'cases/:caseId/strategy', async (deps, ctx) => {
  const b = parse(zStrategy, ctx.body());
  const by = whoActs(ctx, b.by);
  return json(
    200,
    withoutTaskTokens(
      await setStrategy(claimsOf(deps), {
        caseId: param(ctx, 'caseId'),
        by,
        strategy: b.strategy,
        ...(b.expectedRecoveryPct ? { expectedRecoveryPct: b.expectedRecoveryPct } : {}),
        ...(b.expectedRecoveryDate ? { expectedRecoveryDate: b.expectedRecoveryDate } : {}),
        ...(b.note ? { note: b.note } : {}),
      }),
    ),
  );
});

// ------------------------------------------------------------------------------ reports
route('GET', 'reports/:name', async (deps, ctx) => reportRoute(deps.reports, ctx.params.name ?? '', ctx.query, deps.reportSyncBudgetMs));

// ------------------------------------------------------------------------------ calculator
route('POST', 'calc/penalty', async (deps, ctx) => json(200, calculatePenalty(ctx.body(), await (deps.rules ?? (async () => defaultRules()))())));
route('POST', 'calc/duty', async (deps, ctx) => json(200, stateDuty(ctx.body(), await (deps.rules ?? (async () => defaultRules()))())));

// ------------------------------------------------------------------------ routes from route files
for (const r of consoleRoutes) route(r.method, r.path, r.handler, r.action);
for (const r of creditRoutes) route(r.method, r.path, r.handler, r.action);
for (const r of packageJobRoutes) route(r.method, r.path, r.handler, r.action);
for (const r of reportJobRoutes) route(r.method, r.path, r.handler, r.action);

// ---------------------------------------------------------------------------------------------

/** The segments after "/operator/", decoded; undefined when the path is not an operator path. */
export function operatorSegments(path: string): string[] | undefined {
  const clean = path.split('?')[0] ?? '';
  const parts = clean.split('/').filter(Boolean);
  const i = parts.indexOf('operator');
  if (i < 0) return undefined;
  try {
    return parts.slice(i + 1).map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}

function match(pattern: string[], segs: string[]): Params | undefined {
  if (pattern.length !== segs.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = segs[i]!;
    else if (p !== segs[i]) return undefined;
  }
  return params;
}

function bodyText(body: OperatorRequest['body']): string {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
}

/** The route table, for docs and tests: [method, path]. */
export const OPERATOR_ROUTES: readonly [string, string][] = routes.map((r) => [r.method, `/operator/${r.pattern.join('/')}`]);

export async function handleOperator(deps: OperatorRouterDeps, req: OperatorRequest): Promise<OperatorResponse> {
  const segs = operatorSegments(req.path);
  if (!segs) return errorResponse(new NotFoundError(`no operator route ${req.path}`));
  const method = req.method.toUpperCase();
  const candidates = routes.map((r) => ({ r, params: match(r.pattern, segs) })).filter((c) => c.params);
  if (!candidates.length) return errorResponse(new NotFoundError(`no operator route ${method} /operator/${segs.join('/')}`));
  const hit = candidates.find((c) => c.r.method === method);
  if (!hit) {
    const allow = [...new Set(candidates.map((c) => c.r.method))].join(', ');
    return { statusCode: 405, headers: { ...JSON_HEADERS, allow }, body: JSON.stringify({ error: { code: 'METHOD_NOT_ALLOWED', message: `use ${allow}` } }) };
  }
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  let parsed: { done: boolean; value?: unknown } = { done: false };
  const ctx: Ctx = {
    req,
    params: hit.params!,
    query: req.query ?? {},
    body: () => {
      if (parsed.done) return parsed.value;
      const text = bodyText(req.body);
      if (Buffer.byteLength(text) > MAX_OPERATOR_BODY_BYTES) throw new ValidationError([{ field: '(body)', message: `larger than ${MAX_OPERATOR_BODY_BYTES} bytes` }]);
      let value: unknown = {};
      if (text.trim()) {
        try {
          value = JSON.parse(text);
        } catch (err) {
          throw new ValidationError([{ field: '(body)', message: `is not valid JSON: ${(err as Error).message}` }], { cause: err });
        }
      }
      parsed = { done: true, value };
      return value;
    },
    actor: (bodyBy) => {
      if (req.identity) return { by: req.identity.by, principal: req.identity.subject };
      const name = (headers[OPERATOR_HEADER] ?? bodyBy ?? '').trim();
      const by = name || req.principal || '';
      return { by, ...(req.principal ? { principal: req.principal } : {}) };
    },
  };
  try {
    const action = typeof hit.r.action === 'function' ? hit.r.action(ctx) : hit.r.action;
    if (action && req.identity && !mayAct(req.identity.roles, action)) throw new ForbiddenError(action, rolesFor(action));
    return await hit.r.handler(deps, ctx);
  } catch (err) {
    // Every role refusal (the route's own check, credit control's, claim approval's) is audited here, once.
    if (err instanceof ForbiddenError && !err.audited) await auditRefusal(deps, req, ctx, err);
    if (!(err instanceof ClaimflowError) || err.status >= 500) {
      deps.logger?.error('operator request failed', { method, path: req.path, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    }
    return errorResponse(err);
  }
}

/** Records a 403 (action outside the caller's roles) as `access.denied`. */
async function auditRefusal(deps: OperatorRouterDeps, req: OperatorRequest, ctx: Ctx, err: ForbiddenError): Promise<void> {
  const actor = ctx.actor();
  const at = deps.now();
  const has = req.identity?.roles ?? parseRoleList(ctx.req.headers?.[ROLE_HEADER]);
  try {
    await deps.audit.record({
      id: randomUUID().slice(0, 8),
      at: at.toISOString(),
      day: dateInZone(at, deps.timeZone),
      action: 'access.denied',
      by: actor.by,
      ...(actor.principal ? { principal: actor.principal } : {}),
      reason: `${err.action} needs the role ${err.allowed.join(' or ')}; the caller has ${has.join(', ') || 'no role'}`,
      ...(ctx.params.customerId ? { customerId: ctx.params.customerId } : {}),
      details: { action: err.action, method: req.method.toUpperCase(), path: req.path, roles: has, requiredRoles: [...err.allowed] },
    });
    err.audited = true;
  } catch (e) {
    deps.logger?.error('could not audit a refused request', { error: (e as Error).message });
  }
}

function errorResponse(err: unknown): OperatorResponse {
  const { status, body } = errorBody(err);
  return json(status, body);
}
