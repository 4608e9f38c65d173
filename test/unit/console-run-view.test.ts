/** functions/app/console.ts runView: the page's letters and the run's ambiguous letters are read once each, in one read. */
import { describe, expect, it } from 'vitest';
import { runView, type ConsoleDeps } from '../../functions/app/console.js';
import type { OperatorDeps } from '../../functions/app/operator.js';
import type { CalendarDate } from '../../functions/domain/dates.js';

const RUN = '2026-11-24' as CalendarDate;
type Key = { customerId: string; stage: string; status: string };
const INDEX: Key[] = [
  { customerId: 'a', stage: 'reminder', status: 'sent' },
  { customerId: 'b', stage: 'warning', status: 'ambiguous' },
  { customerId: 'c', stage: 'claim', status: 'ambiguous' },
  { customerId: 'd', stage: 'reminder', status: 'sent' },
];

function world() {
  const asked: string[][] = [];
  const reads = {
    runLetterKeys: async () => INDEX,
    runLetters: async (_runDate: string, letters: readonly { customerId: string; stage: string }[]) => {
      asked.push(letters.map((l) => `${l.customerId}/${l.stage}`));
      return letters.map((l) => ({ ...INDEX.find((k) => k.customerId === l.customerId && k.stage === l.stage)!, runDate: RUN, channels: ['email'], attempts: 1 }));
    },
    customerBriefs: async (ids: string[]) => new Map(ids.map((id) => [id, { customerId: id, legalName: `ООО ${id.toUpperCase()}` }])),
    customerIdsMatching: async () => [],
  };
  const op = { dunning: { getRun: async () => ({ runDate: RUN }), failuresOfRun: async () => [] } };
  return { deps: { reads } as unknown as ConsoleDeps, op: op as unknown as OperatorDeps, asked };
}

describe('runView', () => {
  it('reads each letter once: ambiguous letters on the page are not read again', async () => {
    // Prepare
    const { deps, op, asked } = world();
    // Act
    const view = await runView(deps, op, RUN);
    // Assess
    const reads = asked.flat();
    expect(reads.sort()).toEqual(['a/reminder', 'b/warning', 'c/claim', 'd/reminder']);
    expect(view.letters.map((l) => l.customerId)).toEqual(['a', 'b', 'c', 'd']);
    expect(view.ambiguous.map((l) => [l.customerId, l.customerName])).toEqual([
      ['b', 'ООО B'],
      ['c', 'ООО C'],
    ]);
  });

  it('an ambiguous letter off the page is read once, beside the page, and still listed', async () => {
    // Prepare
    const { deps, op, asked } = world();
    // Act
    const view = await runView(deps, op, RUN, { stage: 'reminder', limit: 1 });
    // Assess
    expect(asked).toHaveLength(1);
    expect(asked.flat().sort()).toEqual(['a/reminder', 'b/warning', 'c/claim']);
    expect(view.letters.map((l) => `${l.customerId}/${l.stage}`)).toEqual(['a/reminder']);
    expect(view.ambiguous.map((l) => `${l.customerId}/${l.stage}`)).toEqual(['b/warning', 'c/claim']);
    expect(view).toMatchObject({ matching: 2, counts: { all: 4, ambiguous: 2 } });
  });
});
