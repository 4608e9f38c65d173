/**
 * Mounts handleOperator on a node:http server (the local stack, and the CLI's tests): reads the body
 * (bounded), maps headers and query, writes the response (decoding base64 binary bodies).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleOperator, MAX_OPERATOR_BODY_BYTES, type Identity, type OperatorRouterDeps } from './router.js';

/** Reads a request body, refusing more than `limit` bytes ('too-large'). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Serves one request whose path starts with /operator/. `principal` is the authenticated caller when
 * the server has one (locally: none; the operator's name comes in the X-Claimflow-Operator header).
 */
export async function serveOperator(deps: OperatorRouterDeps, req: IncomingMessage, res: ServerResponse, principal?: string, identity?: Identity): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const body = await readBody(req, MAX_OPERATOR_BODY_BYTES + 1);
  if (body === 'too-large') {
    res.writeHead(413, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: `body exceeds ${MAX_OPERATOR_BODY_BYTES} bytes` } }));
    return;
  }
  const out = await handleOperator(deps, {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])),
    body,
    ...(principal ? { principal } : {}),
    ...(identity ? { identity } : {}),
  });
  res.writeHead(out.statusCode, out.headers);
  res.end(out.isBase64Encoded ? Buffer.from(out.body, 'base64') : out.body);
}
