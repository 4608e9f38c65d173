/**
 * The web console in a real browser (Debian's chromium via playwright-core) on the local stack with the
 * demo ledger: sign in, runs and a run's letters, the execution history, a customer card, pausing an
 * invoice and seeing the next dry run skip it, the reconciliation PDF, a review line, a claim case
 * approved by a lawyer with its court package (rebuilt as a job, with progress), the calculator, roles shown as disabled, field errors
 * from the API beside the field, an expired session keeping what was typed, an API failure shown as a
 * message, HTML in a customer name shown as text. axe-core finds no serious violation on any page;
 * every page is screenshotted; the load times of the runs page and a customer card are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { LocalStack } from '../../bin/local/stack.js';
import { customerEvent, invoiceEvent, operatorCall, postBilling } from '../support/local-stack.js';
import { CHROMIUM, screenshot } from '../support/browser.js';
import { startConsole, type ConsoleSession } from '../support/console.js';
import { bankFile } from '../adapters/operator/world.js';

const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** The demo ledger's run date: a few days ahead, so pauses "until" it are not in the past. */
const RUN_DATE = plusDays(new Date().toISOString().slice(0, 10), 3);
const XSS_NAME = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">ООО «Скрипт»';

describe.skipIf(!CHROMIUM)('web console in chromium', () => {
  let session: ConsoleSession;
  let stack: LocalStack;
  let page: Page;
  let base: string;
  let pageErrors: string[] = [];
  const timings: string[] = [];
  const axeClean = (name: string) => session.ui.axeClean(name);
  const open = (path: string, testid: string) => session.ui.open(path, testid);
  const signInAs = (user: string) => session.ui.signInAs(user);

  beforeAll(async () => {
    // Prepare: the console built if stale, the local stack with the demo ledger and one run done.
    session = await startConsole({ demo: true, demoAsOf: RUN_DATE as never }, async (s) => {
      const run = await s.runDunning({ runDate: RUN_DATE as never });
      expect(run.status).toBe('SUCCEEDED');
      await postBilling(s, customerEvent('xss-1', { legalName: XSS_NAME }));
      await postBilling(s, invoiceEvent('xss-1', 'inv-xss-1', plusDays(RUN_DATE, -30), '1000.00'));
      const imported = await operatorCall(s, 'setup', 'POST', 'bank-imports', { fileName: 'statement.txt', contentBase64: Buffer.from(bankFile()).toString('base64') });
      expect(imported.status).toBe(200);
    });
    ({ stack, page, base, pageErrors } = session);
  }, 180_000);

  afterAll(async () => {
    if (timings.length) process.stdout.write(`\nconsole load times (local stack, demo ledger):\n${timings.map((t) => `  ${t}`).join('\n')}\n`);
    await session?.close();
  });

  it('signs in as a configured user; the sign-in page has no serious accessibility violation', async () => {
    // Act
    await page.goto(`${base}/`);
    await page.locator('button[data-user="anna"]').waitFor();
    await axeClean('sign-in');
    await screenshot(page, '00-sign-in');
    await page.locator('button[data-user="anna"]').click();
    // Assess
    await expect(page.locator('[data-testid="who"]').textContent()).resolves.toContain('Анна Петрова');
  });

  it('runs page: the run listed, the chart drawn with marks, load time printed', async () => {
    // Act
    const ms = await open('/runs', 'runs-page');
    const apiMs = await page.locator('[data-testid="runs-page"]').getAttribute('data-load-ms');
    timings.push(`runs page: ${ms} ms to usable (API ${apiMs} ms)`);
    // Assess
    await expect(page.locator('[data-testid="runs-table"]').textContent()).resolves.toContain(`dunning-run-${RUN_DATE}`);
    const marks = await page.locator('[data-testid="runs-chart"] svg path').count();
    expect(marks).toBeGreaterThan(4);
    await axeClean('runs');
    await screenshot(page, '01-runs', 'console-runs.png');
  });

  it('opens a run: letters per stage and customer, print batch, execution history', async () => {
    // Act
    await page.locator('[data-testid="runs-table"] a').first().click();
    await page.locator('[data-testid="run-page"][data-load-ms]').waitFor();
    const letters = await page.locator('[data-testid="run-letters"] tbody tr').count();
    // The stage chip and the text filter ask the server for the matching page.
    const filtered = page.waitForRequest((r) => /\/view\?.*stage=claim/.test(r.url()));
    await page.getByRole('button', { name: /^претензия/ }).click();
    await filtered;
    await expect.poll(() => page.locator('[data-testid="run-letters"] tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: /^все/ }).click();
    await page.getByLabel('Поиск').fill('северный');
    await page.getByRole('button', { name: 'Поиск' }).click();
    await expect.poll(() => page.locator('[data-testid="run-letters"] tbody tr').count()).toBeLessThan(letters);
    // Assess
    expect(letters).toBeGreaterThanOrEqual(5);
    await expect(page.locator('[data-testid="run-letters"]').textContent()).resolves.toContain('Северный ветер');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /Том 1/ }).click();
    expect((await download).suggestedFilename()).toMatch(/^print-batch-.*\.pdf$/);
    await axeClean('run');
    await screenshot(page, '02-run');
    await page.getByRole('link', { name: `dunning-run-${RUN_DATE}` }).click();
    await page.locator('[data-testid="execution-page"][data-load-ms]').waitFor();
    await expect(page.locator('table').textContent()).resolves.toContain('Decide and send letters to the customer');
    await axeClean('execution');
    await screenshot(page, '03-execution');
  });

  it('customer card: invoices with stages, penalty periods, letters; load time printed', async () => {
    // Act
    const ms = await open('/customers/demo-sever', 'customer-page');
    const apiMs = await page.locator('[data-testid="customer-page"]').getAttribute('data-load-ms');
    timings.push(`customer card: ${ms} ms to usable (API ${apiMs} ms)`);
    // Assess
    await expect(page.locator('[data-testid="card-invoices"]').textContent()).resolves.toContain('СЧ-401');
    await expect(page.locator('[data-testid="card-invoices"]').textContent()).resolves.toContain('претензия');
    await expect(page.locator('[data-testid="card-letters"] tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('h2', { hasText: 'Неустойка на дату' }).count()).resolves.toBe(1);
    await axeClean('customer card');
    await screenshot(page, '04-customer', 'console-customer.png');
  });

  it('the API refuses a pause in the past: its field error shows beside the field', async () => {
    // Act
    await open('/customers/demo-vector', 'customer-page');
    const form = page.locator('[data-testid="add-pause"]');
    await form.getByLabel('До').fill('2020-01-01');
    await form.getByLabel('Причина').fill('проверка');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    // Assess
    await expect(form.locator('.field-error').first().textContent()).resolves.toMatch(/must not be in the past/);
  });

  it('pauses an invoice (a dispute) and the next dry run skips it', async () => {
    // Act
    const form = page.locator('[data-testid="add-pause"]');
    await form.getByLabel('До').fill(plusDays(RUN_DATE, 14));
    await form.getByLabel('Причина').fill('спор по количеству');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect(page.locator('[data-testid="card-pauses"]').textContent()).resolves.toContain('спор по количеству');
    await open('/runs', 'runs-page');
    const dry = page.locator('[data-testid="dry-run"]');
    await dry.getByLabel('Дата прогона').fill(plusDays(RUN_DATE, 3));
    await dry.getByRole('button', { name: 'Показать' }).click();
    // Assess
    await dry.locator('[data-testid="dry-run-skipped"]').waitFor();
    const skipped = await dry.locator('[data-testid="dry-run-skipped"]').textContent();
    expect(skipped).toMatch(/СЧ-301.*disputed/);
  });

  it('downloads the reconciliation statement as a PDF for the chosen period', async () => {
    // Act
    await open('/customers/demo-sever', 'customer-page');
    const form = page.locator('[data-testid="reconciliation"]');
    await form.getByLabel('С').fill(plusDays(RUN_DATE, -60));
    await form.getByLabel('По').fill(RUN_DATE);
    const download = page.waitForEvent('download');
    await form.getByRole('button', { name: 'Скачать PDF' }).click();
    const file = await (await download).path();
    // Assess
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a clerk cannot approve a claim case: the action is shown disabled', async () => {
    // Act
    await open('/cases?status=awaiting-approval', 'cases-page');
    await page.locator('[data-testid="cases-table"] a').first().click();
    await page.locator('[data-testid="case-page"][data-load-ms]').waitFor();
    // Assess
    const approve = page.locator('[data-testid="approve-case"] button[type="submit"]');
    await expect(approve.isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-testid="approve-case"]').textContent()).resolves.toContain('legal');
  });

  it('resolves a bank review line to a customer and invoice', async () => {
    // Act
    await open('/review', 'review-page');
    await axeClean('review');
    await screenshot(page, '05-review');
    const item = page.locator('article[data-testid^="review-"]').first();
    await item.getByLabel('ID клиента').fill('demo-sever');
    await item.getByLabel('Счета (ID через запятую)').fill('demo-inv-s-401');
    await item.getByLabel('Причина').fill('плательщик — дочерняя компания');
    const before = await page.locator('article[data-testid^="review-"]').count();
    await item.getByRole('button', { name: 'Разнести' }).click();
    // Assess
    await expect.poll(() => page.locator('article[data-testid^="review-"]').count()).toBe(before - 1);
  });

  it('a lawyer approves the claim case and downloads the court package', async () => {
    // Act
    await signInAs('lev');
    await open('/cases', 'cases-page');
    await axeClean('cases');
    await screenshot(page, '06-cases');
    await page.getByRole('button', { name: 'awaiting-approval' }).click();
    await expect.poll(() => page.locator('[data-testid="cases-table"] tbody tr').count()).toBe(1);
    await page.locator('[data-testid="cases-table"] a').first().click();
    await page.locator('[data-testid="case-page"][data-load-ms]').waitFor();
    await page.locator('[data-testid="approve-case"]').getByLabel('Комментарий').fill('досудебный порядок соблюдён');
    await page.locator('[data-testid="approve-case"] button[type="submit"]').click();
    // Assess: the ClaimCase workflow builds the package after the approval.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.locator('[data-testid="case-page"][data-load-ms]').waitFor();
          return page.locator('[data-testid="case-package"] tbody tr').count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    await expect(page.locator('[data-testid="case-status"]').textContent()).resolves.toMatch(/approved|litigation/);
    const download = page.waitForEvent('download');
    await page.locator('[data-testid="case-package"] tbody tr').first().getByRole('button').click();
    expect((await download).suggestedFilename()).toMatch(/\.(pdf|json)$/);
    await axeClean('case');
    await screenshot(page, '07-case');

    // Act: the lawyer rebuilds the package; it is built as a job (202, then polled) with progress shown.
    await page.getByRole('button', { name: 'Собрать пакет для суда' }).click();
    await page.locator('[data-testid="package-progress"]').waitFor();
    const progress = await page.locator('[data-testid="package-progress"]').textContent();
    await page.getByRole('status').filter({ hasText: 'Пакет собран' }).waitFor({ timeout: 60_000 });
    const again = page.waitForEvent('download');
    await page.locator('[data-testid="case-package"] tbody tr').first().getByRole('button').click();

    // Assess
    expect(progress).toMatch(/^Пакет собирается… \d+ s$/);
    expect(await page.locator('[data-testid="package-progress"]').count()).toBe(0);
    expect((await again).suggestedFilename()).toMatch(/\.(pdf|json)$/);
    await axeClean('case after rebuilding the package');
  });

  it('credit control: the hold and its reasons; a head of sales grants an override, a clerk sees it disabled', async () => {
    // Act
    await signInAs('olga');
    await open('/credit?customer=demo-vector', 'credit-page');
    const status = page.locator('[data-testid="credit-status"]');
    await status.waitFor();
    const grant = page.locator('[data-testid="grant-override"]');
    await grant.getByLabel('Сумма').fill('100000.00');
    await grant.getByLabel('Причина').fill('отгрузка под гарантийное письмо');
    await grant.getByRole('button', { name: 'Разрешить отгрузку' }).click();
    // Assess
    await expect.poll(() => status.locator('[data-testid="credit-overrides"]').textContent()).toContain('отгрузка под гарантийное письмо');
    await expect(status.locator('h2').textContent()).resolves.toMatch(/clear|hold|watch/i);
    await axeClean('credit');
    await screenshot(page, '12-credit');
    await signInAs('anna');
    await open('/credit?customer=demo-vector', 'credit-page');
    await page.locator('[data-testid="grant-override"]').waitFor();
    await expect(page.locator('[data-testid="grant-override"] button[type="submit"]').isDisabled()).resolves.toBe(true);
  });

  it('calculator: penalty with its itemized periods, and the duty', async () => {
    // Act
    await open('/calculator', 'calculator-page');
    const p = page.locator('[data-testid="penalty-calc"]');
    await p.getByRole('textbox', { name: /^Начисления/ }).fill('7300.00 2025-03-10');
    await p.getByRole('textbox', { name: /^Оплаты/ }).fill('2025-05-05 2300.00');
    await p.getByLabel('Рассчитать по').fill('2025-08-31');
    await p.getByRole('button', { name: 'Рассчитать' }).click();
    await page.locator('[data-testid="penalty-periods"]').waitFor();
    await page.locator('[data-testid="duty-calc"]').getByRole('button', { name: 'Рассчитать' }).click();
    await page.locator('[data-testid="duty-result"]').waitFor();
    // Assess
    await expect(page.locator('[data-testid="penalty-periods"] tbody tr').count()).resolves.toBeGreaterThan(1);
    await expect(page.locator('[data-testid="duty-result"]').textContent()).resolves.toMatch(/17\s?500/);
    await axeClean('calculator');
    await screenshot(page, '08-calculator');
  });

  it('reports: the aging report with its chart drawn, totals, and an XLSX export', async () => {
    // Act
    await open('/reports', 'reports-page');
    const form = page.locator('[data-testid="report-form"]');
    await form.getByLabel('На дату').fill(RUN_DATE);
    await form.getByRole('button', { name: 'Построить' }).click();
    await page.locator('[data-testid="report-title"]').waitFor();
    // Assess
    await expect.poll(() => page.locator('[data-testid="report-chart-0"] svg path').count()).toBeGreaterThan(4);
    await expect(page.locator('[data-testid="report-totals"] tbody tr').count()).resolves.toBeGreaterThan(0);
    // The Russian console shows the report's labels in Russian (localized by the columns' keys).
    await expect(page.locator('[data-testid="report-title"]').textContent()).resolves.toContain('Старение дебиторской задолженности');
    const head = (await page.locator('[data-testid="report-totals"] thead').textContent()) ?? '';
    expect(head).toContain('Итог');
    expect(head).toContain('Основной долг');
    expect(head).toContain('текущая');
    expect(head).not.toMatch(/Scope|Customers|Principal|current/);
    const detailHead = (await page.locator('[data-testid="report-detail"] thead').textContent()) ?? '';
    expect(detailHead).toContain('Стадия взыскания');
    expect(detailHead).not.toMatch(/Dunning stage|Days past due|Name/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Выгрузить XLSX' }).click();
    expect((await download).suggestedFilename()).toMatch(/^aging-.*\.xlsx$/);
    await axeClean('reports');
    await screenshot(page, '11-reports');
  });

  it('customer search asks the server (any customer, by name or tax id), not the loaded page', async () => {
    // Act
    await open('/customers', 'customers-page');
    const asked = page.waitForRequest((r) => /\/operator\/customers\?.*q=/.test(r.url()));
    await page.getByLabel('Поиск').fill('СЕВЕРНЫЙ');
    await page.getByRole('button', { name: 'Поиск' }).click();
    const url = new URL((await asked).url());
    await expect.poll(() => page.locator('[data-testid="customers-table"] tbody tr').count()).toBe(1);
    const byName = await page.locator('[data-testid="customers-table"]').textContent();
    await page.getByLabel('Поиск').fill('7801000003');
    await page.getByRole('button', { name: 'Поиск' }).click();
    await expect.poll(() => page.locator('[data-testid="customers-table"]').textContent()).toContain('Вектор');
    // Assess
    expect(url.searchParams.get('q')).toBe('СЕВЕРНЫЙ');
    expect(byName).toContain('Северный ветер');
    await expect(page.locator('[data-testid="customers-table"] tbody tr').count()).resolves.toBe(1);
  });

  it('HTML in a customer name is shown as text, never executed', async () => {
    // Act
    await open('/customers', 'customers-page');
    await axeClean('customers');
    await screenshot(page, '09-customers');
    await open('/customers/xss-1', 'customer-page');
    // Assess
    await expect(page.locator('h1').textContent()).resolves.toContain('<script>window.__xss=1</script>');
    await expect(page.evaluate('window.__xss')).resolves.toBeUndefined();
  });

  it('an expired session goes to sign-in over the page and keeps what was typed', async () => {
    // Prepare: the session in the tab is replaced by one that has expired.
    await signInAs('anna');
    await open('/customers/demo-greenleaf', 'customer-page');
    // The card's credit block loads after the page (once the shell has seen credit control answer): wait
    // for it, so that no request of the valid session is still to come when the token is swapped (it
    // would meet the expired token first and open the sign-in dialog before the form is submitted).
    await page.locator('[data-testid="credit-status"]').waitFor();
    const expired = stack.consoleAuth.signIn('anna', -1)!;
    await page.evaluate((tok) => {
      const s = JSON.parse(sessionStorage.getItem('claimflow.session')!);
      sessionStorage.setItem('claimflow.session', JSON.stringify({ ...s, token: tok }));
    }, expired.token);
    // Act: type, then submit (the next request carries the expired token).
    const form = page.locator('[data-testid="add-promise"]');
    await form.getByLabel('Сумма').fill('48900.50');
    await form.getByLabel('Причина').fill('обещали по телефону');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    // Assess
    await page.locator('.overlay [role="dialog"]').waitFor();
    await expect(form.getByLabel('Причина').inputValue()).resolves.toBe('обещали по телефону');
    await screenshot(page, '10-session-expired');
    await page.locator('.overlay button[data-user="anna"]').click();
    await expect.poll(() => page.locator('[data-testid="card-pauses"]').textContent()).toContain('обещали по телефону');
  });

  it('an API failure shows a clear message, not a blank page', async () => {
    // Prepare
    await page.route('**/operator/customers/demo-sever/card', (r) =>
      r.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'TRANSIENT', message: 'DynamoDB is throttling' } }) }),
    );
    // Act
    await page.goto(`${base}/customers/demo-sever`);
    // Assess
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('DynamoDB is throttling');
    await page.unroute('**/operator/customers/demo-sever/card');
  });

  it('switches to English: texts, money and dates in the English format', async () => {
    // Act
    await open('/customers/demo-sever', 'customer-page');
    await page.getByLabel('Язык').selectOption('en');
    // Assess
    await page.locator('h2', { hasText: 'Invoices' }).waitFor();
    await expect(page.locator('[data-testid="receivable"]').textContent()).resolves.toMatch(/^RUB\s?\d{3},\d{3}\.\d{2}$/);
    await page.getByLabel('Language').selectOption('ru');
    expect(pageErrors).toEqual([]);
  });
});
