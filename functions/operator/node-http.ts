/**
 * Mounts handleOperator on a node:http server (the local stack, and the CLI's tests): reads the body
 * (bounded), maps headers and query, writes the response (decoding base64 binary bodies).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleOperator, MAX_OPERATOR_BODY_BYTES, type Identity, type OperatorRouterDeps } from './router.js';

/** How much of an oversized body is read and discarded so the answer can go out on a kept-alive connection. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a request body, refusing more than `limit` bytes ('too-large'). An oversized body is still
 * read to its end (and discarded, up to DRAIN_LIMIT_BYTES), so the 413 reaches the client and the
 * kept-alive connection stays usable; beyond that the connection is marked to close after the answer.
 * Breaking out of the stream instead would destroy the socket: no answer, and a dropped connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Buffer | 'too-large' | Error) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (v instanceof Error) reject(v);
      else resolve(v);
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
      else if (chunks.length) chunks.length = 0;
      if (size > DRAIN_LIMIT_BYTES) {
        // Too much to drain: answer now and close the connection after the answer.
        tooLargeUndrained.add(req);
        req.pause();
        finish('too-large');
      }
    };
    const onEnd = () => finish(size > limit ? 'too-large' : Buffer.concat(chunks, size));
    const onError = (err: Error) => finish(err);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

const tooLargeUndrained = new WeakSet<IncomingMessage>();
/** Headers for an answer to a request whose body was not read to its end (the connection must close). */
export const closeIfUndrained = (req: IncomingMessage): Record<string, string> => (tooLargeUndrained.has(req) ? { connection: 'close' } : {});

/**
 * Serves one request whose path starts with /operator/. `principal` is the authenticated caller when
 * the server has one (locally: none; the operator's name comes in the X-Claimflow-Operator header).
 */
export async function serveOperator(deps: OperatorRouterDeps, req: IncomingMessage, res: ServerResponse, principal?: string, identity?: Identity): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const body = await readBody(req, MAX_OPERATOR_BODY_BYTES + 1);
  if (body === 'too-large') {
    res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', ...closeIfUndrained(req) });
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
