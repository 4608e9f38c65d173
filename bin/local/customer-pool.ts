/**
 * The local stand-in for the Distributed Map's fan-out: the "Decide and send letters to the customer"
 * step runs in a pool of worker threads (piscina), each composed like one Lambda instance
 * (customer-worker.ts), so a run uses every core of the machine instead of one JavaScript thread.
 * The state machine itself, the Map's MaxConcurrency and the Retry/Catch stay in the main thread,
 * in aws-local-stepfunctions, exactly as before.
 */
import { Piscina } from 'piscina';
import type { CustomerWorkerConfig, FlowStart, WorkerAnswer } from './customer-worker.js';

export interface CustomerPool {
  threads: number;
  /** Runs the step in a worker; starts the ClaimCase executions it asked for; rethrows its error by name. */
  processCustomer(event: unknown): Promise<unknown>;
  /** DynamoDB requests the workers made, by command (the bench adds them to its own count). */
  requests(): Record<string, number>;
  stop(): Promise<void>;
}

/** Rebuilds a worker's error with its name and message (Retry/Catch match on the name). */
export class WorkerStepError extends Error {
  readonly fields?: unknown;
  constructor(e: { name: string; message: string; fields?: unknown }) {
    super(e.message);
    this.name = e.name;
    if (e.fields !== undefined) this.fields = e.fields;
  }
}

export function startCustomerPool(opts: {
  threads: number;
  /** The Map's MaxConcurrency: each worker interleaves its share. */
  maxConcurrency: number;
  config: CustomerWorkerConfig;
  startFlow: (s: FlowStart) => Promise<unknown>;
}): CustomerPool {
  const pool = new Piscina({
    filename: new URL('./customer-worker.ts', import.meta.url).href,
    // Workers load TypeScript through tsx, as the main process does (also under vitest).
    execArgv: ['--import', 'tsx'],
    // The workers' young generation, as --max-semi-space-size=64 gives the main process (V8 flags cannot
    // be set per worker; a young generation is three semi-spaces).
    resourceLimits: { maxYoungGenerationSizeMb: 192 },
    workerData: opts.config,
    minThreads: opts.threads,
    maxThreads: opts.threads,
    // Each customer mostly waits on DynamoDB and SES: a worker interleaves its share of the Map's items.
    concurrentTasksPerWorker: Math.ceil(opts.maxConcurrency / opts.threads),
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  const counts: Record<string, number> = {};
  return {
    threads: opts.threads,
    async processCustomer(event) {
      const answer = (await pool.run(event)) as WorkerAnswer;
      for (const [k, n] of Object.entries(answer.requests)) counts[k] = (counts[k] ?? 0) + n;
      for (const s of answer.flowStarts) await opts.startFlow(s);
      if (!answer.ok) throw new WorkerStepError(answer.error);
      return answer.output;
    },
    requests: () => ({ ...counts }),
    stop: () => pool.destroy(),
  };
}
