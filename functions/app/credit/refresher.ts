/**
 * Keeps credit snapshots in step with the ledger. After each ledger write the customer is queued; a
 * background drain recomputes each queued customer once (a burst of events for one customer costs one
 * refresh). `inline` mode refreshes before the write returns (Lambda: nothing runs after the answer).
 */
export interface Refresher {
  /** The ledger changed for this customer. */
  changed(customerId: string): Promise<void>;
  /** Resolves when nothing is queued or running (tests, shutdown). */
  idle(): Promise<void>;
}

export function inlineRefresher(refresh: (customerId: string) => Promise<unknown>, log: (l: string) => void = () => undefined): Refresher {
  return {
    async changed(customerId) {
      try {
        await refresh(customerId);
      } catch (err) {
        // The ledger write stands; the next write or the sweep recomputes the snapshot.
        log(`credit snapshot of ${customerId} not refreshed: ${(err as Error).message}`);
      }
    },
    idle: async () => undefined,
  };
}

export function queuedRefresher(refresh: (customerId: string) => Promise<unknown>, opts: { concurrency?: number; log?: (l: string) => void } = {}): Refresher {
  const queued = new Set<string>();
  const running = new Set<string>();
  let active = 0;
  let waiters: (() => void)[] = [];
  const concurrency = opts.concurrency ?? 2;
  const settle = () => {
    if (active === 0 && queued.size === 0) {
      const w = waiters;
      waiters = [];
      w.forEach((f) => f());
    }
  };
  const pump = () => {
    while (active < concurrency) {
      const next = [...queued].find((id) => !running.has(id));
      if (next === undefined) break;
      queued.delete(next);
      running.add(next);
      active++;
      void refresh(next)
        .catch((err) => opts.log?.(`credit snapshot of ${next} not refreshed: ${(err as Error).message}`))
        .finally(() => {
          running.delete(next);
          active--;
          pump();
          settle();
        });
    }
  };
  return {
    async changed(customerId) {
      queued.add(customerId);
      setImmediate(pump);
    },
    idle: () =>
      new Promise<void>((r) => {
        waiters.push(r);
        setImmediate(settle);
      }),
  };
}
