process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { startDynamoLocal, localDynamoClient, ensureTable } from '../bin/local/dynamo.js';
import { DynamoDBDocumentClient, PutCommand, GetCommand, TransactWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const port = 18000 + Math.floor(Math.random() * 1000);
const d = await startDynamoLocal({ port });
const client = localDynamoClient(d.endpoint);
await ensureTable(client, 'bench-t');
const doc = DynamoDBDocumentClient.from(client);
async function pool(n: number, total: number, fn: (i: number) => Promise<unknown>) { let next = 0; await Promise.all(Array.from({ length: n }, async () => { while (next < total) { const i = next++; await fn(i); } })); }
async function round(tag: string) {
  const c0 = cpu(d.pid), t0 = performance.now();
  await pool(16, 4000, (i) => doc.send(new PutCommand({ TableName: 'bench-t', Item: { PK: `CUST#${tag}${i % 500}`, SK: `LETTER#${i}`, a: 'x'.repeat(300), n: i }, ConditionExpression: 'attribute_not_exists(PK)' })));
  await pool(16, 4000, (i) => doc.send(new GetCommand({ TableName: 'bench-t', Key: { PK: `CUST#${tag}${i % 500}`, SK: `LETTER#${i}` } })));
  await pool(16, 1000, (i) => doc.send(new TransactWriteCommand({ TransactItems: [0, 1, 2, 3].map((k) => ({ Put: { TableName: 'bench-t', Item: { PK: `CUST#${tag}${i % 500}`, SK: `TX#${i}#${k}`, a: 'y'.repeat(200) } } })) })));
  await pool(16, 1000, (i) => doc.send(new QueryCommand({ TableName: 'bench-t', KeyConditionExpression: 'PK = :p', ExpressionAttributeValues: { ':p': `CUST#${tag}${i % 500}` } })));
  console.log(tag, 'wall', ((performance.now() - t0) / 1000).toFixed(1), 's jvm cpu', (cpu(d.pid) - c0).toFixed(1), 's');
}
for (const t of ['w', 'a', 'b', 'c']) await round(t);
await d.stop();
