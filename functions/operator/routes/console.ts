/**
 * Operator API routes the web console reads with (all GET; the console's actions use the existing
 * action routes, which check the caller's roles): who am I, runs, one run's view, an execution's
 * history, customers, a customer card, stored documents, a claim case's litigation package manifest.
 */
import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import { zDate } from '../../domain/ledger/commands.js';
import type { CalendarDate } from '../../domain/dates.js';
import { customerCard, executionHistory, listCustomers, listRuns, me, readDocument, runView, type ConsoleDeps } from '../../app/console.js';
import { binary, json, param, parse, type RouteDef } from '../route-kit.js';
import type { OperatorRouterDeps } from '../router.js';

const consoleOf = (deps: OperatorRouterDeps): ConsoleDeps => {
  if (!deps.console) throw new NotFoundError('the console reads are not configured on this endpoint');
  return deps.console;
};

export const consoleRoutes: RouteDef[] = [
  { method: 'GET', path: 'me', handler: async (_deps, ctx) => json(200, me(ctx.req.identity, ctx.actor().by)) },
  {
    method: 'GET',
    path: 'runs',
    handler: async (deps, ctx) => {
      const q = parse(z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }), ctx.query);
      return json(200, await listRuns(consoleOf(deps), q.limit));
    },
  },
  {
    method: 'GET',
    path: 'runs/:runDate/view',
    handler: async (deps, ctx) => {
      const q = parse(
        z.object({
          stage: z.enum(['reminder', 'warning', 'claim', 'litigation']).optional(),
          status: z
            .string()
            .regex(/^[a-z-]{1,30}$/, { message: 'a letter status' })
            .optional(),
          q: z.string().max(200).optional(),
          offset: z.coerce.number().int().min(0).optional(),
          limit: z.coerce.number().int().min(1).max(1000).optional(),
        }),
        ctx.query,
      );
      const runDate = param(ctx, 'runDate', zDate) as CalendarDate;
      return json(
        200,
        await runView(consoleOf(deps), deps, runDate, {
          ...(q.stage ? { stage: q.stage } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.q?.trim() ? { q: q.q } : {}),
          ...(q.offset !== undefined ? { offset: q.offset } : {}),
          ...(q.limit ? { limit: q.limit } : {}),
        }),
      );
    },
  },
  {
    method: 'GET',
    path: 'executions/:name',
    handler: async (deps, ctx) =>
      json(200, await executionHistory(consoleOf(deps), param(ctx, 'name', z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, { message: 'an execution name' })))),
  },
  {
    method: 'GET',
    path: 'customers',
    handler: async (deps, ctx) => {
      const q = parse(
        z.object({ q: z.string().max(200).optional(), pageToken: z.string().max(2000).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }),
        ctx.query,
      );
      return json(
        200,
        await listCustomers(consoleOf(deps), { ...(q.q ? { search: q.q } : {}), ...(q.pageToken ? { pageToken: q.pageToken } : {}), ...(q.limit ? { limit: q.limit } : {}) }),
      );
    },
  },
  {
    method: 'GET',
    path: 'customers/:customerId/card',
    handler: async (deps, ctx) => {
      const q = parse(z.object({ asOf: zDate.optional() }), ctx.query);
      return json(200, await customerCard(consoleOf(deps), deps, param(ctx, 'customerId'), q.asOf as CalendarDate | undefined));
    },
  },
  {
    method: 'GET',
    path: 'documents',
    handler: async (deps, ctx) => {
      const q = parse(z.object({ key: z.string().min(1).max(500) }), ctx.query);
      const d = await readDocument(consoleOf(deps), q.key);
      return binary(d.bytes, d.contentType, d.fileName);
    },
  },
  {
    method: 'GET',
    path: 'cases/:caseId/package',
    handler: async (deps, ctx) => {
      const caseId = param(ctx, 'caseId');
      const d = await readDocument(consoleOf(deps), `cases/${caseId}/manifest.json`).catch((err) => {
        if (err instanceof NotFoundError) throw new NotFoundError(`the litigation package of case ${caseId} has not been built yet`);
        throw err;
      });
      return json(200, JSON.parse(Buffer.from(d.bytes).toString('utf8')));
    },
  },
];
