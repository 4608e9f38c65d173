/**
 * The web console at the bench's size: the API calls behind the runs page, a run's page, the customer
 * list and search, and a customer card, timed over HTTP against the local stack after a bench run; then
 * the same pages opened in Debian's chromium (when installed) and timed to "usable" (the page's data
 * rendered: its `data-load-ms` attribute set). What "usable within a second" rests on. Median and max
 * of a few calls each; no assertions.
 */
import { existsSync } from 'node:fs';
import type { LocalStack } from '../bin/local/stack.js';

async function timed(url: string, token: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await r.arrayBuffer();
  return { ms: performance.now() - t0, bytes: body.byteLength, status: r.status };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function consoleApiTimes(stack: LocalStack, runDate: string, customerIds: string[]): Promise<void> {
  const token = stack.consoleAuth.signIn(stack.consoleAuth.users[0]!.user)!.token;
  const base = `${stack.urls.http}/operator`;
  const calls: [string, string[]][] = [
    ['runs page: GET /operator/runs', Array(5).fill(`${base}/runs`)],
    [`run page: GET /operator/runs/${runDate}/view (first 200 letters)`, Array(3).fill(`${base}/runs/${runDate}/view`)],
    ['run page, one stage: …/view?stage=warning', Array(3).fill(`${base}/runs/${runDate}/view?stage=warning`)],
    ['run page, text filter: …/view?q=Покупатель 99', Array(3).fill(`${base}/runs/${runDate}/view?q=${encodeURIComponent('Покупатель 99')}`)],
    ['customer list: GET /operator/customers?limit=50', Array(5).fill(`${base}/customers?limit=50`)],
    ['customer search, name: ?q=покупатель 99 (111 match)', Array(3).fill(`${base}/customers?limit=50&q=${encodeURIComponent('покупатель 99')}`)],
    ['customer search, tax id: ?q=7700004242', Array(3).fill(`${base}/customers?limit=50&q=7700004242`)],
    ['customer search, no match: ?q=нет такого', Array(3).fill(`${base}/customers?limit=50&q=${encodeURIComponent('нет такого')}`)],
    ['customer card: GET /operator/customers/<id>/card', customerIds.slice(0, 10).map((id) => `${base}/customers/${encodeURIComponent(id)}/card`)],
  ];
  console.log('\n## Web console API (over HTTP, after the run; median / max of the calls)');
  for (const [label, urls] of calls) {
    const xs: { ms: number; bytes: number; status: number }[] = [];
    for (const u of urls) xs.push(await timed(u, token));
    const ms = xs.map((x) => x.ms);
    const bad = xs.filter((x) => x.status !== 200).length;
    console.log(`${label.padEnd(60)} ${median(ms).toFixed(0)} ms / ${Math.max(...ms).toFixed(0)} ms, ${(xs[0]!.bytes / 1024).toFixed(0)} KiB${bad ? `, ${bad} not 200` : ''}`);
  }
  await consolePageTimes(stack, runDate, customerIds);
}

const CHROMIUM = process.env.CLAIMFLOW_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** The pages in a real browser: navigation start → the page's data rendered, 3 loads each. */
async function consolePageTimes(stack: LocalStack, runDate: string, customerIds: string[]): Promise<void> {
  if (!CHROMIUM) {
    console.log('\n## Web console pages: skipped (no chromium)');
    return;
  }
  const { ensureConsoleBuilt } = await import('../bin/local/console-static.js');
  const { launchBrowser } = await import('../test/support/browser.js');
  await ensureConsoleBuilt();
  const b = await launchBrowser();
  try {
    const page = b.page;
    const base = stack.urls.http;
    await page.goto(`${base}/`);
    await page.locator(`button[data-user="${stack.consoleAuth.users[0]!.user}"]`).click();
    await page.locator('[data-testid="who"]').waitFor();
    const pages: [string, string, string][] = [
      ['runs page', '/runs', 'runs-page'],
      ['run page (letters, first page)', `/runs/${runDate}`, 'run-page'],
      ['customer list', '/customers', 'customers-page'],
      ['customer search (name)', `/customers?q=${encodeURIComponent('Покупатель 4242')}`, 'customers-page'],
      ...customerIds.slice(0, 3).map((id): [string, string, string] => [`customer card ${id}`, `/customers/${encodeURIComponent(id)}`, 'customer-page']),
    ];
    console.log('\n## Web console pages in chromium (navigation → data rendered; median / max of 3 loads; API part in brackets)');
    for (const [label, path, testid] of pages) {
      const ms: number[] = [];
      const api: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await page.goto(`${base}${path}`);
        const el = page.locator(`[data-testid="${testid}"][data-load-ms]`);
        await el.waitFor({ timeout: 60_000 });
        ms.push(performance.now() - t0);
        api.push(Number(await el.getAttribute('data-load-ms')));
      }
      console.log(`${label.padEnd(60)} ${median(ms).toFixed(0)} ms / ${Math.max(...ms).toFixed(0)} ms (API ${median(api).toFixed(0)} ms)`);
    }
  } finally {
    await b.close();
  }
}
