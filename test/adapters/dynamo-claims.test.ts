import { describe, expect, it } from 'vitest';
import { DynamoClaims } from '../../functions/adapters/dynamo-claims.js';
import { CaseVersionConflict } from '../../functions/domain/claims/index.js';
import { approve, assess, basisWith, close, openCase, requestApproval, type ClaimCase } from '../../functions/domain/claims/index.js';
import { foldLedger } from '../../functions/domain/ledger/fold.js';
import { defaultRules } from '../../functions/domain/rules/index.js';
import type { CalendarDate } from '../../functions/domain/dates.js';
import { freshTable } from '../support/dynamo.js';
import { smirnovLedger } from '../unit/claims/fakes.js';

const ON = '2025-09-02' as CalendarDate;
const who = { by: 'run', at: '2025-09-02T09:00:00.000Z' };

function newCase(caseId = 'CASE-20250902-smirnov'): ClaimCase {
  const state = foldLedger(smirnovLedger());
  const a = assess({ caseId, state, invoices: basisWith(undefined, ['inv-501'], ON), asOf: ON, court: 'arbitration', rules: defaultRules() });
  return openCase({ caseId, customerId: 'smirnov', customer: { legalName: 'ИП Смирнов А. В.' }, openedOn: ON, stage: 'claim', assessment: a, court: 'arbitration', actor: who });
}

describe('DynamoClaims', () => {
  it('creates a case readable by id and as the customer’s open case', async () => {
    // Prepare
    const { doc, tableName } = await freshTable('claims');
    const store = new DynamoClaims({ doc, tableName });
    // Act
    const r = await store.create(newCase());
    // Assess
    expect(r.created).toBe(true);
    const byId = await store.get('CASE-20250902-smirnov');
    expect(byId).toMatchObject({ caseId: 'CASE-20250902-smirnov', customerId: 'smirnov', status: 'pre-trial', version: 1, principal: { amount: '86000.00', currency: 'RUB' } });
    expect(byId).not.toHaveProperty('PK');
    expect((await store.openCaseOf('smirnov'))?.caseId).toBe('CASE-20250902-smirnov');
    expect(await store.get('nope')).toBeUndefined();
  });

  it('keeps one open case per customer, also under concurrent opening', async () => {
    // Prepare
    const { doc, tableName } = await freshTable('claims');
    const store = new DynamoClaims({ doc, tableName });
    // Act
    const results = await Promise.all([store.create(newCase('CASE-A')), store.create(newCase('CASE-B')), store.create(newCase('CASE-C'))]);
    // Assess
    const winners = results.filter((r) => r.created);
    expect(winners).toHaveLength(1);
    const winnerId = winners[0]!.created ? winners[0]!.case.caseId : '';
    for (const r of results) if (!r.created) expect(r.existing.caseId).toBe(winnerId);
    expect((await store.listOfCustomer('smirnov')).map((c) => c.caseId)).toEqual([winnerId]);
  });

  it('saves with the version read and refuses a stale write', async () => {
    // Prepare
    const { doc, tableName } = await freshTable('claims');
    const store = new DynamoClaims({ doc, tableName });
    const created = await store.create(newCase());
    const v1 = created.created ? created.case : undefined!;
    // Act
    const v2 = await store.save(requestApproval(v1, ON, who));
    const stale = store.save(approve(v1, { ...who, by: 'lawyer', role: 'legal' }));
    // Assess
    expect(v2.version).toBe(2);
    await expect(stale).rejects.toBeInstanceOf(CaseVersionConflict);
    expect((await store.get(v1.caseId))?.status).toBe('awaiting-approval');
  });

  it('lists cases by status through GSI2 and frees the customer when a case closes', async () => {
    // Prepare
    const { doc, tableName } = await freshTable('claims');
    const store = new DynamoClaims({ doc, tableName });
    const created = await store.create(newCase());
    const v1 = created.created ? created.case : undefined!;
    const v2 = await store.save(requestApproval(v1, ON, who));
    // Act
    const awaiting = await store.listByStatus('awaiting-approval');
    await store.save(close(v2, { ...who, on: ON, reason: 'paid' }));
    // Assess
    expect(awaiting.map((c) => c.caseId)).toEqual([v1.caseId]);
    expect(await store.listByStatus('awaiting-approval')).toEqual([]);
    expect((await store.listByStatus('closed')).map((c) => c.caseId)).toEqual([v1.caseId]);
    expect(await store.openCaseOf('smirnov')).toBeUndefined();
    const next = await store.create(newCase('CASE-20251001-smirnov'));
    expect(next.created).toBe(true);
  });
});
