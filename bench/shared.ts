/** Helpers shared by the bench sections (bench/run.ts and the sections it runs). */
import http from 'node:http';

export const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** DynamoDB request counts by operation: their sum, and a line of them, most frequent first. */
export const opsTotal = (ops: Record<string, number>) => Object.values(ops).reduce((a, b) => a + b, 0);
export const opsLine = (ops: Record<string, number>) =>
  Object.entries(ops)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/**
 * The sender: node:http with a keep-alive agent. It runs in the bench's own process, so it is kept
 * light (fetch/undici costs about twice the CPU per request, which would be charged to the ingest).
 */
const senderAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
export function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent: senderAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
