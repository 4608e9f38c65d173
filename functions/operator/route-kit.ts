/**
 * What a route handler of the operator API works with (shared by router.ts and the route files under
 * routes/): the request context, JSON answers, zod parsing into 400s that name each bad field.
 */
import type { z } from 'zod';
import { zId } from '../domain/ledger/commands.js';
import { parseOrThrow } from '../domain/parse.js';
import type { Actor } from '../ports/operator.js';
import type { Action } from '../domain/roles.js';
import type { OperatorRequest, OperatorResponse, OperatorRouterDeps } from './router.js';

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
export const json = (statusCode: number, body: unknown): OperatorResponse => ({ statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) });

/** 202 for a started job: the job, where to poll it (relative to /operator/) and that place as the Location. */
export const jobAccepted = (job: object, poll: string): OperatorResponse => {
  const res = json(202, { ...job, poll });
  res.headers.location = `/operator/${poll}`;
  return res;
};

export type Params = Record<string, string>;
export interface Ctx {
  req: OperatorRequest;
  params: Params;
  query: Record<string, string | undefined>;
  body: () => unknown;
  actor: (bodyBy?: string) => Actor;
}
export type Handler = (deps: OperatorRouterDeps, ctx: Ctx) => Promise<OperatorResponse>;

/** A route of a route file: method, path under /operator/ (":name" = a parameter), handler and the action it takes (role check). */
export interface RouteDef {
  method: string;
  path: string;
  handler: Handler;
  /** The action (roles that may, functions/domain/roles.ts); a function when it depends on the body. Absent: a read. */
  action?: Action | ((ctx: Ctx) => Action | undefined);
}

export function parse<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  return parseOrThrow(schema, value, prefix, { missingAsRequired: true });
}

export const param = (ctx: Ctx, name: string, schema: z.ZodType = zId): string => parse(schema, ctx.params[name], name) as string;

/** A binary answer (PDF, ZIP …) as the Lambda proxy and the local server expect it. */
export const binary = (bytes: Uint8Array, contentType: string, fileName: string): OperatorResponse => ({
  statusCode: 200,
  headers: { 'content-type': contentType, 'content-disposition': `attachment; filename="${fileName.replace(/[^\w.\-#]/g, '_')}"` },
  body: Buffer.from(bytes).toString('base64'),
  isBase64Encoded: true,
});
