import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localDynamoClient } from '../../bin/local/dynamo.js';

/** A fresh table on the shared DynamoDB Local of this test run. */
export async function freshTable(prefix = 't'): Promise<{ tableName: string; doc: DynamoDBDocumentClient; endpoint: string }> {
  const endpoint = process.env.CLAIMFLOW_TEST_DYNAMO_ENDPOINT;
  if (!endpoint) throw new Error('CLAIMFLOW_TEST_DYNAMO_ENDPOINT is not set: test/global-setup.ts did not run');
  const client = localDynamoClient(endpoint);
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, tableName);
  return { tableName, doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), endpoint };
}
