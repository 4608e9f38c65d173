/** Plain-text output: aligned tables and money lists. */
import type { WireMoney } from './api.js';

export function table(head: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (align[i] === 'r' ? (c ?? '').padStart(w[i]!) : (c ?? '').padEnd(w[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(head), w.map((n) => '─'.repeat(n)).join('  '), ...rows.map(fmt)].join('\n');
}

export const money = (ms: WireMoney[] | undefined) => (ms ?? []).map((m) => `${m.amount} ${m.currency}`).join(', ');
