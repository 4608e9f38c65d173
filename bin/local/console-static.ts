/**
 * The web console on the local stack: builds it when its sources are newer than the build
 * (`ensureConsoleBuilt`, used by `npm start` and the browser tests; `npm ci` builds it in `prepare`),
 * and serves the built files at `/` with the same security headers CloudFront adds in AWS, falling
 * back to index.html for the console's own paths (a single-page app).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console');
export const CONSOLE_DIST = path.join(CONSOLE_ROOT, 'dist');

/** Content security policy of the console (also set by CloudFront, infra/constructs/console.ts). */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self' https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

async function newest(dir: string): Promise<number> {
  let max = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? await newest(p) : (await stat(p)).mtimeMs);
  }
  return max;
}

/** Builds the console with Vite when a source file is newer than dist/index.html. Returns whether it built. */
export async function ensureConsoleBuilt(log: (l: string) => void = () => undefined): Promise<boolean> {
  const built = await stat(path.join(CONSOLE_DIST, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built && built >= (await newest(CONSOLE_ROOT))) return false;
  log('Building the web console (vite)…');
  const { build } = await import('vite');
  await build({ configFile: path.join(CONSOLE_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

/** Serves GET/HEAD of the console; false when the request is not the console's. */
export async function serveConsole(req: IncomingMessage, res: ServerResponse, extraHeaders: Record<string, string> = {}): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const url = new URL(req.url ?? '/', 'http://localhost');
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  const file = path.join(CONSOLE_DIST, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(CONSOLE_DIST)) return false;
  const isAsset = /\.[a-z0-9]+$/i.test(rel);
  const target = isAsset ? file : path.join(CONSOLE_DIST, 'index.html');
  let body: Buffer;
  try {
    body = await readFile(target);
  } catch {
    if (isAsset) return false;
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web console is not built: run `npm run build:console` (npm ci and npm start build it).\n');
    return true;
  }
  const hashed = rel.startsWith('/assets/');
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
    ...extraHeaders,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
