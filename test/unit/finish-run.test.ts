/** finishRun: the print batch in volumes, the run record and the digest (fakes through the ports). */
import { describe, expect, it } from 'vitest';
import { digest, finishRun, type FinishDeps } from '../../functions/app/summarize-run.js';
import { emptyTotals } from '../../functions/app/run-totals.js';
import type { LetterRecord } from '../../functions/ports/dunning.js';
import type { CalendarDate } from '../../functions/domain/dates.js';

const RUN = '2026-11-24' as CalendarDate;

function fakes(printed: number, emailOnly: number, perVolume?: number, extra: { letters?: LetterRecord[]; earlier?: LetterRecord[] } = {}) {
  const earlier = extra.earlier ?? [];
  const letters: LetterRecord[] = [
    ...Array.from({ length: printed }, (_, i) => ({ stage: 'warning', channels: ['print', 'email'], customerId: `c${String(i).padStart(4, '0')}` })),
    ...Array.from({ length: emailOnly }, (_, i) => ({ stage: 'reminder', channels: ['email'], customerId: `e${i}` })),
  ].map(
    (l) =>
      ({
        ...l,
        runDate: RUN,
        owner: 'dunning-run-2026-11-24',
        status: 'sent',
        invoiceIds: ['i'],
        invoiceSetHash: 'i',
        total: [],
        attempts: 1,
        updatedAt: '',
      }) as unknown as LetterRecord,
  );
  letters.push(...(extra.letters ?? []));
  const rendered: string[][] = [];
  const sent: { subject: string; text?: string }[] = [];
  const runs: Record<string, unknown>[] = [];
  const deps: FinishDeps = {
    runs: {
      recordFailure: async () => undefined,
      putRun: async (_d, r) => void runs.push(r),
      lettersOfRun: async () => letters,
      lettersOfCustomer: async (id) => earlier.filter((l) => l.customerId === id),
      profiles: async (ids) => ids.map((customerId) => ({ customerId, legalName: `ООО «${customerId}»` })),
    },
    documents: {
      put: async (key) => ({ uri: `file:///out/${key}` }),
      get: async (key) => {
        const m = /letters\/[^/]+\/[^/]+\/(.+)\.json$/.exec(key);
        return m ? Buffer.from(JSON.stringify({ customerId: m[1] })) : undefined;
      },
    },
    mailer: {
      send: async (m) => {
        sent.push({ subject: m.subject, text: m.text });
        return { messageId: 'm' };
      },
    },
    renderPrintBatch: async (models) => {
      rendered.push(models.map((m) => (m as unknown as { customerId: string }).customerId));
      return new Uint8Array([1]);
    },
    company: {} as FinishDeps['company'],
    fromAddress: 'collections@example.com',
    digestRecipients: ['team@example.com'],
    envelope: 'DL',
    policy: 'wholesale@1',
    ...(perVolume ? { printVolumeLetters: perVolume } : {}),
  };
  return { deps, rendered, sent, runs };
}

describe('finishRun — print batch volumes', () => {
  it('one volume keeps the single file name', async () => {
    // Prepare
    const { deps, rendered } = fakes(3, 2);
    // Act
    const s = await finishRun(deps, { runDate: RUN, executionName: 'dunning-run-2026-11-24', totals: emptyTotals() });
    // Assess
    expect(rendered).toEqual([['c0000', 'c0001', 'c0002']]);
    expect(s.printBatch).toBe('file:///out/letters/2026-11-24/print-batch-2026-11-24.pdf');
    expect(s.printVolumes).toEqual([s.printBatch]);
  });

  it('splits the printed letters into numbered volumes, in customer order, none lost or repeated', async () => {
    // Prepare
    const { deps, rendered, sent, runs } = fakes(1201, 5, 500);
    // Act
    const s = await finishRun(deps, { runDate: RUN, executionName: 'dunning-run-2026-11-24', totals: emptyTotals() });
    // Assess
    expect(rendered.map((v) => v.length)).toEqual([500, 500, 201]);
    const all = rendered.flat();
    expect(new Set(all).size).toBe(1201);
    expect(all).toEqual([...all].sort());
    expect(s.printVolumes).toEqual([
      'file:///out/letters/2026-11-24/print-batch-2026-11-24-vol01-of-03.pdf',
      'file:///out/letters/2026-11-24/print-batch-2026-11-24-vol02-of-03.pdf',
      'file:///out/letters/2026-11-24/print-batch-2026-11-24-vol03-of-03.pdf',
    ]);
    expect(s.printBatch).toBe(s.printVolumes![0]);
    expect(runs[0]?.printVolumes).toEqual(s.printVolumes);
    expect(sent[0]?.text).toContain('Print batch: 3 volumes');
    expect(sent[0]?.text).toContain('volume 3: file:///out/letters/2026-11-24/print-batch-2026-11-24-vol03-of-03.pdf');
  });

  it('no printed letters: no print batch', async () => {
    // Prepare
    const { deps, rendered } = fakes(0, 4);
    // Act
    const s = await finishRun(deps, { runDate: RUN, executionName: 'dunning-run-2026-11-24', totals: emptyTotals() });
    // Assess
    expect(rendered).toEqual([]);
    expect(s.printBatch).toBeUndefined();
    expect(digest(s).text).not.toContain('Print batch');
  });
});

describe('finishRun — who is newly at litigation', () => {
  const lit = (customerId: string, runDate: string, invoiceIds: string[]) =>
    ({
      stage: 'litigation',
      channels: ['legal-notice'],
      customerId,
      runDate,
      owner: 'o',
      status: 'sent',
      invoiceIds,
      invoiceSetHash: 'h',
      attempts: 1,
      updatedAt: '',
    }) as unknown as LetterRecord;

  it('a customer already at litigation on Tuesday is not newly at litigation on Friday when another invoice moves', async () => {
    // Prepare: Friday 2026-11-27; "old" had a litigation letter on Tuesday, "new" never did.
    const FRI = '2026-11-27' as CalendarDate;
    const earlier = [lit('old', RUN, ['a1']), lit('old', FRI, ['a2']), lit('new', FRI, ['b1'])];
    const { deps, sent } = fakes(0, 0, undefined, { letters: [lit('old', FRI, ['a2']), lit('new', FRI, ['b1'])], earlier });
    // Act
    const s = await finishRun(deps, { runDate: FRI, executionName: 'dunning-run-2026-11-27', totals: emptyTotals() });
    // Assess
    expect(s.newlyAtLitigation).toEqual(['new']);
    expect(s.moreInvoicesAtLitigation).toEqual(['old']);
    expect(sent[0]?.text).toContain('Customers newly at litigation: ООО «new» (new)');
    expect(sent[0]?.text).toContain('Already at litigation, more invoices joined: ООО «old» (old)');
  });
});
