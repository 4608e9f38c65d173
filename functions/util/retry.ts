/**
 * Retry on conflict, with "full jitter" backoff: before attempt n+1, sleep random(0, min(cap, base·2^n)).
 * For optimistic-concurrency conflicts that only a fresh read can resolve (the SDK's own retries cover
 * throttling and network errors of each call, not these). Each attempt returns its result, or
 * `retry(cause)` to go again; when attempts run out, `exhausted(cause, attempts)` is thrown.
 */
export interface Retry {
  readonly retry: true;
  readonly cause: unknown;
  /** false: go again at once (e.g. a stale cached read, not contention). */
  readonly backoff: boolean;
}

export const retry = (cause: unknown, opts: { backoff?: boolean } = {}): Retry => ({ retry: true, cause, backoff: opts.backoff ?? true });

const isRetry = (v: unknown): v is Retry => typeof v === 'object' && v !== null && (v as Retry).retry === true && 'backoff' in v;

export interface RetryPolicy {
  maxAttempts: number;
  /** What to throw when attempts run out (default: the last cause). */
  exhausted?: (cause: unknown, attempts: number) => unknown;
  baseMs?: number;
  capMs?: number;
  /** Injected for tests; default Math.random. */
  random?: () => number;
}

export const RETRY_BASE_MS = 10;
export const RETRY_CAP_MS = 250;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Full-jitter delay before the attempt after `attempt`. */
export const backoffMs = (attempt: number, p: Pick<RetryPolicy, 'baseMs' | 'capMs' | 'random'> = {}): number =>
  (p.random ?? Math.random)() * Math.min(p.capMs ?? RETRY_CAP_MS, (p.baseMs ?? RETRY_BASE_MS) * 2 ** attempt);

export async function retryOnConflict<T>(attempt: (n: number) => Promise<T | Retry>, policy: RetryPolicy): Promise<T> {
  for (let n = 1; ; n++) {
    const r = await attempt(n);
    if (!isRetry(r)) return r;
    if (n >= policy.maxAttempts) throw policy.exhausted ? policy.exhausted(r.cause, n) : r.cause;
    if (r.backoff) await sleep(backoffMs(n, policy));
  }
}
