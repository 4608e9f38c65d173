/**
 * The logger every AWS SDK client here is created with.
 *
 * The SDK's logger middleware calls `logger?.info?.({ input: filter(input), output: filter(output) })`
 * after every request. With the default no-op logger `info` exists, so the SDK walks each request and
 * response through its sensitive-data filter only to throw the copy away: in a profile of a dunning run
 * that was a noticeable share of the SDK's CPU per DynamoDB call. A logger without `info`/`error`
 * skips that work. Our own structured logs (Powertools) record failures with context; the SDK's own
 * warnings still reach the console.
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

type Logger = NonNullable<DynamoDBClientConfig['logger']>;

export const SDK_LOGGER = {
  debug: () => undefined,
  trace: () => undefined,
  warn: (...args: unknown[]) => console.warn(...args),
} as unknown as Logger;
