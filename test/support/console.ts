/**
 * The web console on the local stack in a real browser, for the browser tests (test/e2e/console*.test.ts):
 * the console built if stale, the stack started (with the demo ledger, or whatever the test asks), one
 * chromium with the page's errors collected, and the steps every console test repeats (open a page and
 * wait until it has loaded, sign in as a configured user, axe finds no serious violation).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../bin/local/console-static.js';
import type { LocalStack, LocalStackOptions } from '../../bin/local/stack.js';
import { launchBrowser, seriousViolations } from './browser.js';
import { testStack } from './local-stack.js';

export interface ConsoleUi {
  /** Opens `path` and waits until the page marked `testid` has loaded; the milliseconds it took. */
  open(path: string, testid: string): Promise<number>;
  /** Signs in as `user` (signing out first when someone is signed in). */
  signInAs(user: string): Promise<void>;
  /** Asserts axe-core finds no serious or critical violation on the page as it is. */
  axeClean(name: string): Promise<void>;
}

export function consoleUi(page: Page, base: string): ConsoleUi {
  return {
    async open(path, testid) {
      const t0 = Date.now();
      await page.goto(`${base}${path}`);
      await page.locator(`[data-testid="${testid}"][data-load-ms]`).waitFor();
      return Date.now() - t0;
    },
    async signInAs(user) {
      await page.goto(`${base}/`);
      if (await page.locator('[data-testid="who"]').count()) {
        await page.getByRole('button', { name: /Выйти|Sign out/ }).click();
      }
      await page.locator(`button[data-user="${user}"]`).click();
      await page.locator('[data-testid="who"]').waitFor();
    },
    async axeClean(name) {
      const v = await seriousViolations(page);
      expect(v, `${name}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
    },
  };
}

export interface ConsoleSession {
  stack: LocalStack;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
  page: Page;
  /** The console's (and the API's) address. */
  base: string;
  /** Uncaught errors of the page so far. */
  pageErrors: string[];
  ui: ConsoleUi;
  /** Closes the browser and stops the stack (either may not have started). */
  close(): Promise<void>;
}

/**
 * The console built if stale, the local stack started with `stackOptions` (testStack's), `prepare`
 * run on the stack before the browser starts, then one chromium.
 */
export async function startConsole(stackOptions: Partial<LocalStackOptions>, prepare?: (stack: LocalStack) => Promise<void>): Promise<ConsoleSession> {
  await ensureConsoleBuilt();
  const stack = await testStack(stackOptions);
  let browser: ConsoleSession['browser'] | undefined;
  try {
    await prepare?.(stack);
    browser = await launchBrowser();
  } catch (err) {
    await stack.stop();
    throw err;
  }
  const page = browser.page;
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const base = stack.urls.http;
  return {
    stack,
    browser,
    page,
    base,
    pageErrors,
    ui: consoleUi(page, base),
    async close() {
      await browser?.close();
      await stack.stop();
    },
  };
}
