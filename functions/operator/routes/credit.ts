/**
 * Operator routes of credit control under /operator/credit/ (IAM-signed CLI, console, or locally):
 *
 *   POST credit/checks · POST credit/reservations              (as the machine API, for people)
 *   GET  credit/customers/:customerId                            status: state, reasons, exposure, terms, overrides
 *   POST credit/customers/:customerId/terms                      {customerType?, groupId?, groupLimit?, terms?, contracts?, reason}   finance, admin
 *   POST credit/customers/:customerId/overrides                  {scope, orderId?, maxAmount, currency, hours, reason}               head_of_sales
 *   POST credit/customers/:customerId/overrides/:overrideId/revoke {reason}                                                          head_of_sales
 *   GET  credit/overrides?customer=&status= · GET credit/overrides/report
 *   GET  credit/matrix · GET credit/deviations?customer= · GET credit/discipline?customer=
 *   POST credit/sweep · GET credit/events?status= · POST credit/events/:eventId/replay
 *
 * The caller's roles come from resolveRoles (caller-roles.ts): console identity, IAM principal, or locally
 * the X-Claimflow-Role header. Outside the role: 403 naming the role, audited.
 */
import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import { parseMoney } from '../../domain/money.js';
import { zId } from '../../domain/ledger/commands.js';
import {
  checkCredit,
  creditMatrix,
  creditStatus,
  deviations,
  discipline,
  grantOverride,
  listOverrides,
  overridesReport,
  reserveCredit,
  revokeOverride,
  setTerms,
  sweep,
  SWEEP_RESERVE_MS,
  type CreditActor,
  type CreditDeps,
} from '../../app/credit/service.js';
import { dispatchDue, replayEvent, type DispatchDeps } from '../../app/credit/events.js';
import { parseCheckBody } from '../credit-api.js';
import { parseRoleList, resolveRoles, ROLE_HEADER } from '../caller-roles.js';
import { json, param, parse, type Ctx, type RouteDef } from '../route-kit.js';
import type { OperatorRouterDeps } from '../router.js';

/** How long POST credit/sweep refreshes snapshots before it answers (API Gateway gives a request 29 s). */
const SWEEP_ROUTE_BUDGET_MS = 20_000;

/** What the routes need (ComposedCredit satisfies it). */
export interface OperatorCredit {
  deps: CreditDeps;
  principalRoles?: Record<string, readonly string[]>;
  dispatch?: DispatchDeps;
}

const creditOf = (deps: OperatorRouterDeps): OperatorCredit => {
  const c = (deps as OperatorRouterDeps & { credit?: OperatorCredit }).credit;
  if (!c) throw new NotFoundError('credit control is not configured on this endpoint');
  return c;
};

/** Who acts and in which roles. */
export function creditActor(deps: OperatorRouterDeps, ctx: Ctx, bodyBy?: string): CreditActor {
  const c = creditOf(deps);
  const a = ctx.actor(bodyBy);
  const headers = Object.fromEntries(Object.entries(ctx.req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const roles = resolveRoles(
    {
      ...(ctx.req.identity ? { cognitoGroups: ctx.req.identity.roles } : {}),
      ...(ctx.req.principal ? { iamPrincipalArn: ctx.req.principal } : {}),
      localRoles: parseRoleList(headers[ROLE_HEADER]),
    },
    { principalRoles: c.principalRoles ?? {} },
  );
  return { by: a.by || 'unknown', ...(a.principal ? { principal: a.principal } : {}), roles };
}

const zGrant = z
  .object({
    by: z.string().optional(),
    scope: z.enum(['customer', 'order']),
    orderId: zId.optional(),
    maxAmount: z.string(),
    currency: z.string(),
    hours: z.number().positive(),
    reason: z.string().min(1).max(2000),
  })
  .strict();
const zRevoke = z.object({ by: z.string().optional(), reason: z.string().min(1).max(2000) }).strict();
const zMoneyBody = z.object({ amount: z.string(), currency: z.string() }).strict();
const zTerms = z
  .object({
    by: z.string().optional(),
    customerType: z.string().min(1).max(60).optional(),
    groupId: zId.nullable().optional(),
    groupLimit: zMoneyBody.nullable().optional(),
    terms: z.unknown().optional(),
    contracts: z.record(z.string(), z.unknown()).optional(),
    reason: z.string().min(1).max(2000),
  })
  .strict();

export const creditRoutes: RouteDef[] = [
  { method: 'POST', path: 'credit/checks', handler: async (deps, ctx) => json(200, await checkCredit(creditOf(deps).deps, parseCheckBody(ctx.body()))) },
  { method: 'POST', path: 'credit/reservations', handler: async (deps, ctx) => json(200, await reserveCredit(creditOf(deps).deps, parseCheckBody(ctx.body()))) },
  { method: 'GET', path: 'credit/customers/:customerId', handler: async (deps, ctx) => json(200, await creditStatus(creditOf(deps).deps, param(ctx, 'customerId'))) },
  {
    method: 'POST',
    path: 'credit/customers/:customerId/terms',
    handler: async (deps, ctx) => {
      const b = parse(zTerms, ctx.body());
      const groupLimit = b.groupLimit ? parseMoney(b.groupLimit.amount, b.groupLimit.currency, 'groupLimit.amount') : b.groupLimit;
      const s = await setTerms(creditOf(deps).deps, creditActor(deps, ctx, b.by), param(ctx, 'customerId'), {
        reason: b.reason,
        ...(b.customerType ? { customerType: b.customerType } : {}),
        ...(b.groupId !== undefined ? { groupId: b.groupId } : {}),
        ...(groupLimit !== undefined ? { groupLimit } : {}),
        ...(b.terms !== undefined ? { terms: b.terms } : {}),
        ...(b.contracts ? { contracts: b.contracts } : {}),
      });
      return json(200, { customerId: s?.customerId, terms: s?.terms, contractTerms: s?.contractTerms, profile: s?.profile });
    },
  },
  {
    method: 'POST',
    path: 'credit/customers/:customerId/overrides',
    handler: async (deps, ctx) => {
      const b = parse(zGrant, ctx.body());
      const actor = creditActor(deps, ctx, b.by);
      const maxAmount = parseMoney(b.maxAmount, b.currency, 'maxAmount', { allowZero: false });
      return json(
        201,
        await grantOverride(creditOf(deps).deps, actor, {
          customerId: param(ctx, 'customerId'),
          scope: b.scope,
          ...(b.orderId ? { orderId: b.orderId } : {}),
          maxAmount,
          hours: b.hours,
          reason: b.reason,
        }),
      );
    },
  },
  {
    method: 'POST',
    path: 'credit/customers/:customerId/overrides/:overrideId/revoke',
    handler: async (deps, ctx) => {
      const b = parse(zRevoke, ctx.body());
      return json(
        200,
        await revokeOverride(creditOf(deps).deps, creditActor(deps, ctx, b.by), { customerId: param(ctx, 'customerId'), overrideId: param(ctx, 'overrideId'), reason: b.reason }),
      );
    },
  },
  {
    method: 'GET',
    path: 'credit/overrides',
    handler: async (deps, ctx) => {
      const status = ctx.query.status ? (parse(z.enum(['active', 'expired', 'revoked']), ctx.query.status, 'status') as 'active') : undefined;
      return json(200, {
        overrides: await listOverrides(creditOf(deps).deps, { ...(ctx.query.customer ? { customerId: ctx.query.customer } : {}), ...(status ? { status } : {}) }),
      });
    },
  },
  { method: 'GET', path: 'credit/overrides/report', handler: async (deps) => json(200, { overrides: await overridesReport(creditOf(deps).deps) }) },
  { method: 'GET', path: 'credit/matrix', handler: async (deps) => json(200, creditMatrix(creditOf(deps).deps)) },
  {
    method: 'GET',
    path: 'credit/deviations',
    handler: async (deps, ctx) => json(200, { customers: await deviations(creditOf(deps).deps, ctx.query.customer ? { customerId: ctx.query.customer } : {}) }),
  },
  {
    method: 'GET',
    path: 'credit/discipline',
    handler: async (deps, ctx) => json(200, await discipline(creditOf(deps).deps, ctx.query.customer ? { customerId: ctx.query.customer } : {})),
  },
  {
    method: 'POST',
    path: 'credit/sweep',
    handler: async (deps) => {
      const c = creditOf(deps);
      // Inside API Gateway's 29 s: at most SWEEP_ROUTE_BUDGET_MS of refreshing; `left` says what the next call (or the hourly job) finishes.
      const t0 = Date.now();
      const r = await sweep(c.deps, { timeLeftMs: () => SWEEP_RESERVE_MS + SWEEP_ROUTE_BUDGET_MS - (Date.now() - t0) });
      const delivered = c.dispatch ? await dispatchDue(c.dispatch, 500) : undefined;
      return json(200, { ...r, ...(delivered ? { delivered } : {}) });
    },
  },
  {
    method: 'GET',
    path: 'credit/events',
    handler: async (deps, ctx) => {
      const c = creditOf(deps);
      if (!c.dispatch) throw new NotFoundError('credit events are not configured on this endpoint');
      const status = ctx.query.status ? (parse(z.enum(['pending', 'delivered', 'dead']), ctx.query.status, 'status') as 'dead') : undefined;
      return json(200, { deliveries: await c.dispatch.outbox.list({ ...(status ? { status } : {}), ...(ctx.query.event ? { eventId: ctx.query.event } : {}) }) });
    },
  },
  {
    method: 'POST',
    path: 'credit/events/:eventId/replay',
    handler: async (deps, ctx) => {
      const c = creditOf(deps);
      if (!c.dispatch) throw new NotFoundError('credit events are not configured on this endpoint');
      const replayed = await replayEvent(c.dispatch, param(ctx, 'eventId'));
      if (!replayed.length) throw new NotFoundError(`no delivered or dead delivery of event ${ctx.params.eventId}`);
      return json(200, { replayed: replayed.length, delivered: await dispatchDue(c.dispatch, 500) });
    },
  },
];
