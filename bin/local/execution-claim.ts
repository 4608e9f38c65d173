/**
 * The local stand-in for Step Functions' unique execution names, able to continue an interrupted run.
 * The EXECUTION#<name> item records the process running it (pid, host). When the same name is started
 * again and that process is gone (a crash, kill -9 of the whole stack) without the execution having
 * finished, the new process takes the execution over (a conditional write on the old pid, so only one
 * does) and runs it again under the same name: letters it already sent count as sent, letters it left
 * `sending` are settled from the local SES journal, the rest are sent.
 */
import os from 'node:os';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type ExecutionClaim = { kind: 'new' } | { kind: 'resume'; previousPid: number } | { kind: 'finished' } | { kind: 'running'; pid: number; host: string };

const key = (name: string) => ({ PK: `EXECUTION#${name}`, SK: 'EXECUTION' });
const isCondFail = (err: unknown) => (err as { name?: string }).name === 'ConditionalCheckFailedException';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function claimLocalExecution(db: { doc: DynamoDBDocumentClient; tableName: string }, name: string, input: Record<string, unknown>): Promise<ExecutionClaim> {
  const host = os.hostname();
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...key(name), name, input, startedAt: new Date().toISOString(), pid: process.pid, host },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return { kind: 'new' };
  } catch (err) {
    if (!isCondFail(err)) throw err;
  }
  const item = (await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key(name), ConsistentRead: true }))).Item;
  if (!item || item.finishedAt || typeof item.pid !== 'number') return { kind: 'finished' };
  const pid = item.pid as number;
  if (item.host !== host || pid === process.pid || alive(pid)) return { kind: 'running', pid, host: String(item.host ?? '') };
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: key(name),
        UpdateExpression: 'SET pid = :me, resumedAt = :now, resumes = if_not_exists(resumes, :zero) + :one',
        ConditionExpression: 'pid = :old AND attribute_not_exists(finishedAt)',
        ExpressionAttributeValues: { ':me': process.pid, ':old': pid, ':now': new Date().toISOString(), ':zero': 0, ':one': 1 },
      }),
    );
    return { kind: 'resume', previousPid: pid };
  } catch (err) {
    if (isCondFail(err)) return { kind: 'running', pid, host };
    throw err;
  }
}
