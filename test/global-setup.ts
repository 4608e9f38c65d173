/**
 * One DynamoDB Local for the whole test run, not one per file: the projects that need it (adapters,
 * e2e) list this file as their globalSetup, and the first to start shares its instance with the other
 * (a reference count on the main process's globalThis). Tests read
 * process.env.CLAIMFLOW_TEST_DYNAMO_ENDPOINT and create their own uniquely named table with freshTable.
 */
import { startDynamoLocal } from '../bin/local/dynamo.js';
import { freePort } from '../bin/local/ports.js';

interface Shared {
  users: number;
  started: Promise<{ endpoint: string; stop(): Promise<void> }>;
}
const KEY = Symbol.for('claimflow.test.dynamoLocal');
const registry = globalThis as unknown as Record<symbol, Shared | undefined>;

export default async function setup(): Promise<() => Promise<void>> {
  let shared = registry[KEY];
  if (!shared) {
    shared = { users: 0, started: freePort().then((port) => startDynamoLocal({ port })) };
    registry[KEY] = shared;
  }
  shared.users += 1;
  const dynamo = await shared.started;
  process.env.CLAIMFLOW_TEST_DYNAMO_ENDPOINT = dynamo.endpoint;
  return async () => {
    const s = registry[KEY];
    if (!s) return;
    s.users -= 1;
    if (s.users === 0) {
      registry[KEY] = undefined;
      await dynamo.stop();
    }
  };
}
