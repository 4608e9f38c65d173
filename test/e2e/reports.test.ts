/**
 * Receivables reports on the local stack with the demo ledger: the CLI's XLSX aging opens as a real
 * workbook (read back with exceljs) whose per-customer net balances equal the customers'
 * reconciliation statements on the same date; the API's JSON, CSV and PDF; bad input answered 400 /
 * exit 2 naming the field.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../bin/cli.js';
import type { LocalStack } from '../../bin/local/stack.js';
import { testStack } from '../support/local-stack.js';

const AS_OF = '2026-11-24';
let stack: LocalStack;

async function cli(args: string[]) {
  const out = { stdout: '', stderr: '', files: new Map<string, Uint8Array>() };
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    env: { CLAIMFLOW_ENDPOINT: stack.urls.http, USER: 'manager' },
    readStdin: async () => '',
    readFile: async () => new Uint8Array(),
    writeFile: async (p, b) => void out.files.set(p, b),
    fetch: globalThis.fetch,
  };
  const code = await main(args, io);
  return { code, ...out };
}

const get = async (path: string) => {
  const res = await fetch(`${stack.urls.http}/operator/${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
};

beforeAll(async () => {
  stack = await testStack({ demo: true, demoAsOf: AS_OF as never });
  await stack.runDunning({ runDate: AS_OF as never });
}, 120_000);
afterAll(async () => stack?.stop());

describe('reports on the local stack (demo ledger)', () => {
  it('claimflow report aging --format xlsx is a workbook whose totals equal the reconciliation statements', async () => {
    // Act
    const r = await cli(['report', 'aging', '--as-of', AS_OF, '--format', 'xlsx', '--out', 'aging.xlsx']);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('report aging as of 2026-11-24');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(r.files.get('aging.xlsx')!) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Detail', 'By customer', 'Totals', 'About']);
    const sheet = wb.getWorksheet('By customer')!;
    const head = (sheet.getRow(1).values as unknown[]).map(String);
    const col = (label: string) => head.indexOf(label);
    const rows: { customer: string; principal: number; net: number; buckets: number }[] = [];
    const bucketCols = ['current', '1–30', '31–60', '61–90', '91–120', '>120'].map(col);
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.values as unknown[];
      rows.push({
        customer: String(v[col('customer')]),
        principal: Number(v[col('Principal outstanding')]),
        net: Number(v[col('Net balance')]),
        buckets: bucketCols.reduce((s, i) => s + Number(v[i] ?? 0), 0),
      });
    });
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const x of rows) {
      const st = await fetch(`${stack.urls.http}/operator/customers/${x.customer}/reconciliation?from=2020-01-01&to=${AS_OF}`).then(
        (res) => res.json() as Promise<{ closing: { balance: string } }>,
      );
      expect(new Decimal(x.net).toFixed(2), x.customer).toBe(new Decimal(st.closing.balance).toFixed(2));
      expect(x.buckets.toFixed(2), x.customer).toBe(x.principal.toFixed(2));
    }
    const totals = wb.getWorksheet('Totals')!;
    const th = (totals.getRow(1).values as unknown[]).map(String);
    const tv = totals.getRow(2).values as unknown[];
    expect(Number(tv[th.indexOf('Net balance')]).toFixed(2)).toBe(rows.reduce((s, x) => s.plus(x.net), new Decimal(0)).toFixed(2));
  });

  it('the operator API answers JSON with the stages the run sent, CSV and a PDF with charts', async () => {
    // Act
    const json = await get(`reports/aging?asOf=${AS_OF}&groupBy=manager`);
    const csv = await get(`reports/unpaid?asOf=${AS_OF}&format=csv`);
    const pdf = await get(`reports/aging?asOf=${AS_OF}&format=pdf`);
    // Assess
    expect(json.status).toBe(200);
    const report = JSON.parse(json.bytes.toString('utf8'));
    expect(report.groups.rows.map((g: { manager: string }) => g.manager)).toEqual(['Анна Петрова']);
    expect([...new Set(report.detail.rows.map((x: { stage: string | null }) => x.stage))].sort()).toEqual(['claim', 'litigation', 'reminder', 'warning']);
    expect(csv.type).toContain('text/csv');
    expect(csv.bytes.toString('utf8')).toMatch(/^\ufeffCustomer,Name,Manager/);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('bad input: 400 naming the field, exit 2 on the CLI; an empty range is not an error', async () => {
    // Act
    const unknown = await get(`reports/agin?asOf=${AS_OF}`);
    const date = await get('reports/aging?asOf=2026-02-30');
    const range = await get(`reports/dynamics?asOf=${AS_OF}&from=2026-11-20&to=2026-11-01`);
    const buckets = await get(`reports/aging?asOf=${AS_OF}&buckets=0,30,20`);
    const grouping = await cli(['report', 'aging', '--as-of', AS_OF, '--group-by', 'city']);
    const none = await get('reports/aging?asOf=2000-01-01');
    // Assess
    const field = (x: { bytes: Buffer }) => JSON.parse(x.bytes.toString('utf8')).error.fields.map((f: { field: string }) => f.field);
    expect([unknown.status, date.status, range.status, buckets.status]).toEqual([400, 400, 400, 400]);
    expect(field(unknown)).toEqual(['report']);
    expect(field(date)).toEqual(['asOf']);
    expect(field(range)).toEqual(['to']);
    expect(field(buckets)).toEqual(['buckets[2]']);
    expect(grouping.code).toBe(2);
    expect(grouping.stderr).toContain('groupBy: unknown grouping "city"');
    expect(none.status).toBe(200);
    expect(JSON.parse(none.bytes.toString('utf8')).detail.rows).toEqual([]);
  });

  it('the weekly summary for a date is emailed with its PDF, charts drawn in it; a second trigger sends nothing', async () => {
    // Act
    const first = await stack.sendWeeklySummary('2026-11-30' as never);
    const again = await stack.sendWeeklySummary('2026-11-30' as never);
    // Assess
    expect(first.status).toBe('sent');
    expect(again.status).toBe('already-sent');
    const mails = (await stack.ses.listEmails()).filter((m) => m.subject.startsWith('Receivables weekly summary'));
    expect(mails.map((m) => m.subject)).toEqual(['Receivables weekly summary 2026-11-24 – 2026-11-30']);
    expect(mails[0]!.destination.to).toEqual(['collections-team@claimflow.local']);
    const pdf = mails[0]!.attachments.find((a) => a.contentType === 'application/pdf')!;
    const bytes = Buffer.from(pdf.content, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(first.summary.funnel.find((f) => f.stage === 'reminder')!.lettersThisWeek).toBe(2);
    expect(first.summary.topDebtors.length).toBeGreaterThan(0);
    if (!existsSync('/usr/bin/pdftotext')) return;
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'summary-')), 'summary.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
    // Chart titles exist only inside the ECharts SVGs: their text in the PDF shows the charts were drawn.
    expect(text).toContain('Receivables and overdue, last 8 weeks (RUB)');
    expect(text).toContain('Stage funnel: customers at each stage, letters this week');
    expect(text).toContain('Top debtors: outstanding and overdue');
    expect(text).toContain('Top 10 debtors');
  });
  it("back-filled snapshots serve dynamics for past days with the ledger's figures", async () => {
    // Prepare: the demo's month before the as-of date, back-filled (the nightly job never ran on those days)
    const from = '2026-10-25';
    const to = '2026-11-23';
    // Act
    const filled = await stack.backfillSnapshots({ from: from as never, to: to as never });
    const again = await stack.backfillSnapshots({ from: from as never, to: to as never });
    const snap = await get(`reports/dynamics?asOf=${to}&from=${from}&to=${to}&period=week&source=snapshots`);
    const ledger = await get(`reports/dynamics?asOf=${to}&from=${from}&to=${to}&period=week&source=ledger`);
    // Assess
    expect(filled.written).toHaveLength(30);
    expect(again.written).toEqual([]);
    expect(again.skipped).toHaveLength(30);
    expect(snap.status).toBe(200);
    const a = JSON.parse(snap.bytes.toString('utf8'));
    const b = JSON.parse(ledger.bytes.toString('utf8'));
    expect(a.params.source).toBe('snapshots');
    expect(a.detail.rows.length).toBeGreaterThan(3);
    expect(a.detail.rows).toEqual(b.detail.rows);
  });
});
