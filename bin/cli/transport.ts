/**
 * HTTP to the operator API: URL building under /operator/, the operator header, SigV4 signing for a
 * deployed stack (https, not loopback; CLAIMFLOW_SIGN=0 turns it off) and the error of a non-2xx answer.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ErrorBody } from './api.js';
import { type CliIo, type Global, UsageError } from './io.js';

export const OPERATOR_HEADER = 'x-claimflow-operator';

export interface HttpResult {
  status: number;
  contentType: string;
  bytes: Uint8Array;
  /** The parsed body when the answer is JSON. */
  json?: unknown;
}

/** SHA-256 for the SigV4 signer, over node:crypto (HMAC when given a secret). */
class Sha256 {
  private readonly h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    throw new Error('not supported');
  }
}
function toBuffer(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';

/** The base URL without a trailing "/operator" (the stack output ends in /operator/). */
export function operatorBase(endpoint: string): URL {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint must be a URL (got "${endpoint}")`);
  }
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/operator$/, '');
  u.search = '';
  return u;
}

/** One request to `/operator/<path>`; any status is returned (see `ServerError` for non-2xx). */
export async function call(io: CliIo, g: Global, method: string, path: string, opts: { query?: Record<string, string | undefined>; body?: unknown } = {}): Promise<HttpResult> {
  const base = operatorBase(g.endpoint);
  const url = new URL(`${base.pathname.replace(/\/$/, '')}/operator/${path}`, base);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  let headers: Record<string, string> = {
    accept: 'application/json',
    [OPERATOR_HEADER]: g.by,
    ...(io.env.CLAIMFLOW_ROLE ? { 'x-claimflow-role': io.env.CLAIMFLOW_ROLE } : {}),
    ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
  if (url.protocol === 'https:' && !isLoopback(url.hostname) && io.env.CLAIMFLOW_SIGN !== '0') headers = await sign(io, method, url, headers, body);
  let res: Response;
  try {
    res = await io.fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  } catch (err) {
    const hint = isLoopback(url.hostname) ? ' Is the local stack running? Start it with `npm start` (or pass --endpoint).' : '';
    throw new Error(
      `cannot reach claimflow at ${url.origin}: ${(err as Error).cause ? String(((err as Error).cause as Error).message ?? (err as Error).cause) : (err as Error).message}.${hint}`,
    );
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  let json: unknown;
  if (contentType.includes('json') && bytes.byteLength) {
    try {
      json = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch {
      /* reported by ServerError as a non-JSON answer */
    }
  }
  return { status: res.status, contentType, bytes, json };
}

async function sign(io: CliIo, method: string, url: URL, headers: Record<string, string>, body: string | undefined): Promise<Record<string, string>> {
  const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname)?.[1];
  if (!region) throw new UsageError('cannot tell the AWS region of the endpoint: set AWS_REGION');
  const [{ SignatureV4 }, { fromNodeProviderChain }] = await Promise.all([import('@smithy/signature-v4'), import('@aws-sdk/credential-providers')]);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials: fromNodeProviderChain(), sha256: Sha256 });
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query,
    headers: { ...headers, host: url.host },
    ...(body !== undefined ? { body } : {}),
  });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) if (k.toLowerCase() !== 'host') out[k] = String(v);
  return out;
}

/** A non-2xx answer: the message names each bad field. Exit code 1 for 5xx, 2 for 4xx. */
export class ServerError extends Error {
  constructor(readonly result: HttpResult) {
    const e = (result.json as ErrorBody | undefined)?.error;
    const lines = e
      ? [`${e.message ?? e.code} (${result.status}${e.code ? ` ${e.code}` : ''})`, ...(e.fields ?? []).map((f) => `  ${f.field}: ${f.message}`)]
      : [`HTTP ${result.status}: ${Buffer.from(result.bytes).toString('utf8').slice(0, 500)}`];
    super(lines.join('\n'));
  }
}
