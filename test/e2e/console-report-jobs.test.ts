/**
 * The console's report-job path in a real browser (Debian's chromium via playwright-core) on the local
 * stack with the demo ledger and no synchronous read budget (REPORT_SYNC_BUDGET_MS=0: every report that
 * reads the ledger answers 422 REPORT_NEEDS_JOB). A clerk builds the aging report on the Reports page:
 * the page runs it as a job (POST reports/aging/jobs, polls report-jobs/{jobId}) showing its progress,
 * then shows the report, whose rows and totals equal the report's JSON as a job started over the API
 * writes it; the XLSX export goes through a job too and arrives as a workbook exceljs opens. axe-core
 * finds no serious violation; the page is screenshotted (test-results/console/).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'playwright-core';
import type { Report } from '../../functions/domain/reports/table.js';
import { CHROMIUM, screenshot } from '../support/browser.js';
import { startConsole, type ConsoleSession } from '../support/console.js';
import { operatorCall, until } from '../support/local-stack.js';

/** The demo ledger's anchor date, and the report's date. */
const AS_OF = '2026-11-24';
const digits = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '');

/** The reports' answers of the operator API the page received, in order: method, path and query (after /operator/), status, request body. */
function recordApi(session: ConsoleSession) {
  const seen: { method: string; path: string; status: number; body: unknown }[] = [];
  const onResponse = (r: Response) => {
    const url = new URL(r.url());
    const path = `${url.pathname.replace(/^\/operator\//, '')}${url.search}`;
    // Only the reports' calls (the console's shell asks for other things meanwhile).
    if (!/^(reports\/|report-jobs\/|documents\?key=reports%2F)/.test(path)) return;
    const body = r.request().postData();
    seen.push({ method: r.request().method(), path, status: r.status(), body: body ? JSON.parse(body) : undefined });
  };
  session.page.on('response', onResponse);
  return { seen, stop: () => session.page.off('response', onResponse) };
}

describe.skipIf(!CHROMIUM)('web console in chromium: reports that must run as jobs', () => {
  let session: ConsoleSession;

  beforeAll(async () => {
    // Prepare: the local stack with the demo ledger and a read budget of 0, one chromium, a clerk signed in.
    session = await startConsole({ demo: true, demoAsOf: AS_OF as never, env: { ...process.env, REPORT_SYNC_BUDGET_MS: '0' } });
    await session.ui.signInAs('anna');
  }, 180_000);

  afterAll(async () => {
    await session?.close();
  });

  it('builds aging as a job: the progress shown, then the rows and totals of the job’s JSON file', async () => {
    // Prepare: the reference, the same report as a job started over the API (no read budget) and its JSON file.
    const { stack, page, ui } = session;
    const started = await operatorCall(stack, 'fedor', 'POST', 'reports/aging/jobs', { asOf: AS_OF, format: 'json' });
    expect(started.status).toBe(202);
    const done = await until(async () => {
      const j = (await operatorCall(stack, 'fedor', 'GET', `report-jobs/${started.body.jobId}`)).body;
      return j.status === 'running' ? undefined : j;
    });
    expect(done.status).toBe('done');
    const reference = (await operatorCall(stack, 'fedor', 'GET', `documents?key=${encodeURIComponent(done.result.key)}`)).body as Report;
    await ui.open('/reports', 'reports-page');
    const api = recordApi(session);

    // Act
    const form = page.locator('[data-testid="report-form"]');
    await form.getByLabel('На дату').fill(AS_OF);
    await form.getByRole('button', { name: 'Построить' }).click();
    const progress = page.locator('[data-testid="report-job"]');
    await progress.waitFor({ timeout: 45_000 });
    const progressText = await progress.textContent();
    await page.locator('[data-testid="report-title"]').waitFor({ timeout: 45_000 });
    api.stop();

    // Assess: the clerk saw that the report runs as a job, and the page went the job's way.
    expect(progressText).toMatch(/^Отчёт читает весь реестр и строится как задание… \d+ s$/);
    await expect(progress.count()).resolves.toBe(0);
    const calls = api.seen.map((c) => `${c.method} ${c.path.replace(/rpt-[0-9a-f-]{36}/g, 'rpt-…')} ${c.status}`);
    expect(calls[0]).toBe(`GET reports/aging?asOf=${AS_OF} 422`);
    expect(calls[1]).toBe('POST reports/aging/jobs 202');
    expect(api.seen[1]!.body).toEqual({ asOf: AS_OF, format: 'json' });
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(calls.slice(2, -1).every((c) => c === 'GET report-jobs/rpt-… 200')).toBe(true);
    expect(calls.at(-1)).toMatch(/^GET documents\?key=reports%2Fjobs%2Frpt-…%2Faging-.*\.json 200$/);
    // The report shown is the job's: every detail row (fewer than the page's 200), and the totals.
    expect(reference.detail.rows.length).toBeGreaterThan(0);
    expect(reference.detail.rows.length).toBeLessThanOrEqual(200);
    // The title names the grouping in the dative plural ("по клиентам", not the label "клиент").
    await expect(page.locator('[data-testid="report-title"]').textContent()).resolves.toMatch(/^Старение дебиторской задолженности, по клиентам, на 24 нояб/);
    await expect(page.locator('[data-testid="report-detail"] tbody tr').count()).resolves.toBe(reference.detail.rows.length);
    await expect(page.locator('[data-testid="report-totals"] tbody tr').count()).resolves.toBe(reference.totals.rows.length);
    const total = reference.totals.rows[0]!;
    const cells = await page.locator('[data-testid="report-totals"] tbody tr').first().locator('td').allTextContents();
    const cell = (key: string) => {
      const i = reference.totals.columns.findIndex((c) => c.key === key);
      expect(i, `totals column ${key}`).toBeGreaterThanOrEqual(0);
      return digits(cells[i]);
    };
    expect(cell('principal')).toBe(digits(String(total.principal)));
    expect(cell('net')).toBe(digits(String(total.net)));
    expect(cell('count')).toBe(String(total.count));
    expect(Number(total.count)).toBeGreaterThan(1);
    await expect.poll(() => page.locator('[data-testid="report-chart-0"] svg path').count()).toBeGreaterThan(4);
    await ui.axeClean('reports (a report built as a job)');
    await screenshot(page, '13-report-job');
  }, 120_000);

  it('exports the shown report as XLSX through a job (not the date typed since): the workbook arrives and opens', async () => {
    // Prepare: the clerk has typed another date but not built the report again.
    const { page, ui, pageErrors } = session;
    await page.locator('[data-testid="report-form"]').getByLabel('На дату').fill('2026-12-01');
    const api = recordApi(session);

    // Act
    const download = page.waitForEvent('download', { timeout: 45_000 });
    await page.getByRole('button', { name: 'Выгрузить XLSX' }).click();
    const file = await download;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await file.path());
    api.stop();

    // Assess
    const calls = api.seen.map((c) => `${c.method} ${c.path.replace(/rpt-[0-9a-f-]{36}/g, 'rpt-…')} ${c.status}`);
    expect(calls[0]).toBe(`GET reports/aging?asOf=${AS_OF}&format=xlsx 422`);
    expect(calls[1]).toBe('POST reports/aging/jobs 202');
    expect(api.seen[1]!.body).toEqual({ asOf: AS_OF, format: 'xlsx' });
    expect(calls.at(-1)).toMatch(/^GET documents\?key=reports%2Fjobs%2Frpt-…%2Faging-.*\.xlsx 200$/);
    expect(file.suggestedFilename()).toMatch(new RegExp(`^aging-${AS_OF}.*\\.xlsx$`));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Detail', 'By customer', 'Totals', 'About']);
    expect(wb.getWorksheet('Detail')!.actualRowCount).toBeGreaterThan(1);
    await expect(page.locator('[data-testid="report-job"]').count()).resolves.toBe(0);
    await ui.axeClean('reports after an export built as a job');
    await screenshot(page, '14-report-job-export');
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('an export whose job fails shows the job’s error, and the export can be asked again', async () => {
    // Prepare: the worker records the job failed (as the API reports a job dropped or cut off past its deadline).
    const { page, ui, pageErrors } = session;
    await page.route('**/operator/report-jobs/*', (r) =>
      r.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          jobId: r.request().url().split('/').at(-1),
          name: 'aging',
          status: 'failed',
          error: { code: 'TIMED_OUT', message: 'the report job did not finish in time' },
        }),
      }),
    );

    // Act
    const alert = page.locator('[data-testid="report-export-error"]');
    try {
      await page.getByRole('button', { name: 'Выгрузить CSV' }).click();
      await alert.waitFor({ timeout: 45_000 });
    } finally {
      await page.unroute('**/operator/report-jobs/*');
    }

    // Assess
    await expect(alert.getByRole('alert').textContent()).resolves.toContain('the report job did not finish in time');
    await expect(page.locator('[data-testid="report-job"]').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Выгрузить CSV' }).isEnabled()).resolves.toBe(true);
    await ui.axeClean('reports with an export that failed as a job');
    await screenshot(page, '15-report-job-failed');
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('exports the CSV through a job once the job does not fail: its header line arrives, and the error is gone', async () => {
    // Act
    const { page } = session;
    const download = page.waitForEvent('download', { timeout: 45_000 });
    await page.getByRole('button', { name: 'Выгрузить CSV' }).click();
    const file = await download;
    const { readFile } = await import('node:fs/promises');
    const text = (await readFile((await file.path())!, 'utf8')).replace(/^\uFEFF/, '');

    // Assess
    expect(file.suggestedFilename()).toMatch(new RegExp(`^aging-${AS_OF}.*\\.csv$`));
    expect(text.split(/\r?\n/)[0]).toMatch(/customer/i);
    expect(text.trim().split(/\r?\n/).length).toBeGreaterThan(2);
    await expect(page.locator('[data-testid="report-export-error"]').count()).resolves.toBe(0);
  }, 120_000);
});
