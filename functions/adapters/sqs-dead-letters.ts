/** DeadLetters over SQS: each failure carries enough context (archive reference, ids) to replay. */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters } from '../ports/index.js';

export function createSqsDeadLetters(queueUrl: string, sqs: SQSClient): DeadLetters {
  return {
    async send(failure) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify({ ...failure, at: new Date().toISOString() }),
          MessageAttributes: { kind: { DataType: 'String', StringValue: failure.kind } },
        }),
      );
    },
  };
}

/** Local and test implementation: keeps failures in memory and hands them to a sink (a file). */
export function createMemoryDeadLetters(sink?: (line: string) => void): DeadLetters & { items: unknown[] } {
  const items: unknown[] = [];
  return {
    items,
    async send(failure) {
      const rec = { ...failure, at: new Date().toISOString() };
      items.push(rec);
      sink?.(JSON.stringify(rec));
    },
  };
}
