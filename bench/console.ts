/**
 * The API calls behind the web console's runs page and customer card, timed over HTTP against the
 * local stack after a bench run (what "usable within a second" rests on; the browser test prints
 * the page figures on the demo ledger). Median and max of a few calls each; no assertions.
 */
import type { LocalStack } from '../bin/local/stack.js';

async function timed(url: string, token: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await r.arrayBuffer();
  return { ms: performance.now() - t0, bytes: body.byteLength, status: r.status };
}

export async function consoleApiTimes(stack: LocalStack, runDate: string, customerIds: string[]): Promise<void> {
  const token = stack.consoleAuth.signIn(stack.consoleAuth.users[0]!.user)!.token;
  const base = `${stack.urls.http}/operator`;
  const calls: [string, string[]][] = [
    ['runs page: GET /operator/runs', Array(5).fill(`${base}/runs`)],
    [`run page: GET /operator/runs/${runDate}/view`, Array(3).fill(`${base}/runs/${runDate}/view`)],
    ['customer list: GET /operator/customers?limit=50', Array(5).fill(`${base}/customers?limit=50`)],
    ['customer card: GET /operator/customers/<id>/card', customerIds.slice(0, 10).map((id) => `${base}/customers/${encodeURIComponent(id)}/card`)],
  ];
  console.log('\n## Web console API (over HTTP, after the run; median / max of the calls)');
  for (const [label, urls] of calls) {
    const xs: { ms: number; bytes: number; status: number }[] = [];
    for (const u of urls) xs.push(await timed(u, token));
    const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
    const bad = xs.filter((x) => x.status !== 200).length;
    console.log(
      `${label.padEnd(56)} ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms / ${ms.at(-1)!.toFixed(0)} ms, ${(xs[0]!.bytes / 1024).toFixed(0)} KiB${bad ? `, ${bad} not 200` : ''}`,
    );
  }
}
