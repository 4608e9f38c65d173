import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { freshTable } from '../support/dynamo.js';

describe('local DynamoDB from the shared table design', () => {
  it('stores and reads back an item by key', async () => {
    // Prepare
    const { doc, tableName } = await freshTable();
    // Act
    await doc.send(new PutCommand({ TableName: tableName, Item: { PK: 'X', SK: 'Y', v: '1.00' } }));
    const got = await doc.send(new GetCommand({ TableName: tableName, Key: { PK: 'X', SK: 'Y' } }));
    // Assess
    expect(got.Item?.v).toBe('1.00');
  });
});
