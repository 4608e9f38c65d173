import { describe, expect, it } from 'vitest';
import { formatAmountRu, reconciliationDocDefinition, renderReconciliationPdf } from '../../../functions/render/reconciliation-pdf.js';
import { reconciliationDocument, reconciliationStatement } from '../../../functions/app/ledger.js';
import { NotFoundError, type ValidationError } from '../../../functions/domain/errors.js';
import type { LedgerCommand } from '../../../functions/domain/ledger/commands.js';
import { customer, invoice, payment, twoContractBook } from './builders.js';

const entries: LedgerCommand[] = [customer(), invoice('I1', '1234567.50', '2025-01-10', '2025-01-20'), payment('P1', '0.50', '2025-01-25', { reference: 'п/п 1' })];
const history = { listEntries: async (id: string) => (id === 'C1' ? entries.map((command) => ({ command })) : []) };
const company = { name: 'ООО «Поставщик»', taxId: '7700000001' };

describe('reconciliation statement use case and PDF', () => {
  it('builds the statement from the history and refuses bad periods and unknown customers', async () => {
    // Act
    const st = await reconciliationStatement({ history }, 'C1', '2025-01-01', '2025-01-31');
    const badDates = await reconciliationStatement({ history }, 'C1', '2025-02-30', '2025-01-01').catch((e: unknown) => e);
    const unknown = await reconciliationStatement({ history }, 'C404', '2025-01-01', '2025-01-31').catch((e: unknown) => e);
    // Assess
    expect(st.closing.balance).toBe('1234567.00');
    expect((badDates as ValidationError).fields.map((f) => f.field)).toEqual(['from']);
    expect(unknown).toBeInstanceOf(NotFoundError);
  });

  it('lays out an A4 Russian statement with a table of documents', async () => {
    // Prepare
    const st = await reconciliationStatement({ history }, 'C1', '2025-01-01', '2025-01-31');
    // Act
    const def = reconciliationDocDefinition(st, company);
    const text = JSON.stringify(def.content);
    // Assess
    expect(def.pageSize).toBe('A4');
    expect(text).toContain('Акт сверки взаимных расчетов');
    expect(text).toContain('Сальдо начальное');
    expect(text).toContain('Сальдо конечное');
    expect(text).toContain('Счет № N-I1');
    expect(text).toContain('1\u00a0234\u00a0567,50');
    expect(text).toContain('задолженность в пользу ООО «Поставщик» составляет 1\u00a0234\u00a0567,00 RUB');
    expect(formatAmountRu('-1000.5')).toBe('−1\u00a0000,50');
  });

  it('the customer statement shows per-contract subtotals; a statement by contract names its contract', async () => {
    // Prepare: K1 1000.00 and K2 500.00, 300.00 naming the K1 invoice → K1 700.00, K2 500.00
    const k = twoContractBook();
    const h = { listEntries: async () => k.map((command) => ({ command })) };
    // Act
    const all = await reconciliationStatement({ history: h }, 'C1', '2025-01-01', '2025-01-31');
    const k1 = await reconciliationStatement({ history: h }, 'C1', '2025-01-01', '2025-01-31', undefined, 'K1');
    const allText = JSON.stringify(reconciliationDocDefinition(all, company).content);
    const k1Text = JSON.stringify(reconciliationDocDefinition(k1, company).content);
    // Assess
    expect(allText).toContain('В том числе по договорам');
    expect(allText).toContain('договор № Д-K1 от 10.01.2024');
    expect(allText).toContain('700,00');
    expect(k1Text).toContain('по договору № Д-K1 от 10.01.2024');
    expect(k1Text).toContain('составляет 700,00 RUB');
    expect(k1Text).not.toContain('В том числе по договорам');
    const raw = Buffer.from(await renderReconciliationPdf(all, company)).toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
  });

  it('renders PDF bytes with the embedded Roboto font', async () => {
    // Prepare
    const { statement, pdf } = await reconciliationDocument({ history, company }, 'C1', '2025-01-01', '2025-01-31');
    // Act
    const again = await renderReconciliationPdf(statement, company);
    const raw = Buffer.from(pdf).toString('latin1');
    // Assess
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toContain('Roboto');
    expect(raw).toMatch(/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
    expect(again.byteLength).toBeGreaterThan(5_000);
  });
});
