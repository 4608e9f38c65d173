import { describe, expect, it } from 'vitest';
import { applyCommand } from '../../../functions/app/ledger.js';
import type { ApplyResult, CommandOrigin, LedgerService } from '../../../functions/ports/index.js';
import type { LedgerCommand } from '../../../functions/domain/ledger/commands.js';
import { customer } from './builders.js';

describe('applyCommand use case', () => {
  it('passes the command and its origin to the ledger and logs the outcome', async () => {
    // Prepare
    const calls: [LedgerCommand, CommandOrigin][] = [];
    const ledger: LedgerService = {
      apply: async (c, o): Promise<ApplyResult> => {
        calls.push([c, o]);
        return { status: 'applied', entryKey: 'customer:C1' };
      },
    };
    const logs: Record<string, unknown>[] = [];
    const origin = { source: 'cli', eventId: 'e1', receivedAt: '2025-03-15T10:00:00.000Z' };
    // Act
    const r = await applyCommand({ ledger, logger: { info: (_m, extra) => logs.push(extra ?? {}) } }, customer(), origin);
    // Assess
    expect(r).toEqual({ status: 'applied', entryKey: 'customer:C1' });
    expect(calls).toEqual([[customer(), origin]]);
    expect(logs).toEqual([{ type: 'customer.upsert', customerId: 'C1', source: 'cli', eventId: 'e1', status: 'applied', entryKey: 'customer:C1' }]);
  });
});
