/**
 * One DynamoDB Local for the whole test run (STACK.md: not one per file). Tests that need it read
 * process.env.CLAIMFLOW_TEST_DYNAMO_ENDPOINT and create their own uniquely named table with ensureTable.
 */
import { freePort } from '../bin/local/ports.js';
import { startDynamoLocal } from '../bin/local/dynamo.js';

export default async function setup(): Promise<() => Promise<void>> {
  const port = await freePort();
  const dynamo = await startDynamoLocal({ port });
  process.env.CLAIMFLOW_TEST_DYNAMO_ENDPOINT = dynamo.endpoint;
  return () => dynamo.stop();
}
