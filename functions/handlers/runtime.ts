/**
 * Shared cold-start wiring for the Lambda handlers: the Powertools Logger (service name and level from
 * the environment the stack sets) and a memoized, retry-on-failure initializer for a function's deps.
 * Configuration is read by each entry at module load (loadFunctionConfig), so a function that cannot
 * read its configuration fails its cold start, naming the variable.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { PowertoolsMetrics } from '../adapters/metrics.js';

export const logger = new Logger();
/** Business metrics (letters per stage, ambiguous letters, failed customers, ingest refusals) as CloudWatch EMF; service name from POWERTOOLS_SERVICE_NAME. */
export const metrics = new PowertoolsMetrics({ serviceName: 'claimflow' });

/** The deps of a function, built on first use and kept; a failed build is retried on the next call. */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () =>
    (p ??= build().catch((err: unknown) => {
      p = undefined;
      throw err;
    }));
}
