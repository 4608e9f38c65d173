/** A keep-alive HTTP client for tests that care about the connection (one socket, reuse observed). */
import http from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  /** True when this request went out on a socket a previous request had used. */
  reusedSocket: boolean;
}

export function keepAliveClient() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    agent,
    request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
      return new Promise((resolve, reject) => {
        const req = http.request(
          url,
          { method: opts.method ?? 'POST', agent, headers: { ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, reusedSocket: req.reusedSocket }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(opts.body);
      });
    },
    close: () => agent.destroy(),
  };
}
