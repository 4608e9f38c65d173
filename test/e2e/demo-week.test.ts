/**
 * The demo ledger's Tuesday and Friday runs on the local stack: letters at every stage, one print batch
 * PDF per run with envelopes, the digest email to the collections team, and nothing sent twice.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRunResult, LocalStack } from '../../bin/local/stack.js';
import { testStack } from '../support/local-stack.js';

const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

describe('demo week: Tuesday and Friday runs', () => {
  let stack: LocalStack;
  let tuesday: LocalRunResult;
  let friday: LocalRunResult;
  beforeAll(async () => {
    stack = await testStack({ demo: true, demoAsOf: '2026-11-24' as never });
    tuesday = await stack.runDunning({ runDate: '2026-11-24' as never });
    friday = await stack.runDunning({ runDate: '2026-11-27' as never });
  });
  afterAll(async () => stack?.stop());

  it('Tuesday sends every stage and records the policy it used', () => {
    // Assess
    expect(tuesday.status).toBe('SUCCEEDED');
    expect(tuesday.summary).toMatchObject({
      customers: 6,
      failures: 0,
      letters: { reminder: 2, warning: 2, claim: 1, litigation: 1 },
      policy: 'wholesale@1',
      newlyAtLitigation: ['demo-smirnov'],
    });
  });

  it('Tuesday prints one batch: the printed letters, then one envelope per letter', () => {
    // Act
    const pdf = readFileSync(fileURLToPath(tuesday.summary!.printBatch!));
    // Assess: warning (Тихий склад, Вектор) and claim (Северный ветер) are printed: 3 letters + 3 envelopes.
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages(pdf)).toBe(6);
  });

  it('Friday sends only what became due since Tuesday, never a stage twice', () => {
    // Assess: the print-only customer moves from warning (8 days) to claim (11 days); the rest already had their stage.
    expect(friday.status).toBe('SUCCEEDED');
    expect(friday.summary?.letters).toEqual({ reminder: 0, warning: 0, claim: 1, litigation: 0 });
    expect(friday.summary?.printBatch).toBeDefined();
  });

  it('each run emails the digest to the collections team', async () => {
    // Act
    const digests = (await stack.ses.listEmails()).filter((m) => m.destination.to.includes('collections-team@claimflow.local'));
    // Assess
    expect(digests.map((d) => d.subject.slice(0, 28))).toEqual(['claimflow digest 2026-11-24:', 'claimflow digest 2026-11-27:']);
    expect(digests[0]!.body.text).toContain('Customers newly at litigation: ИП Смирнов А. В. (демо) (demo-smirnov)');
    expect(digests[1]!.body.text).toContain('Customers newly at litigation: none');
  });
});
