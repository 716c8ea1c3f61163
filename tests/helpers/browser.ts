import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import type { AppOptions } from '../../api/src/app.ts';
import { ROOT, startTestApp, type TestApp } from './app.ts';
import { createTestDatabase } from './database.ts';
import { buildConsole } from '../../scripts/build-console.ts';

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-results');

/** Installs Debian's Chromium (and CJK fonts for readable screenshots) when missing. */
export function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) throw new Error(`Chromium not found at ${CHROMIUM}; install Debian's chromium or set CHROMIUM_PATH`);
  console.warn('installing chromium with apt-get …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', 'fonts-noto-cjk'], { stdio: 'inherit', env });
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** Logs in from a fresh page load, so nothing of the previous user stays in memory. */
export async function login(page: Page, baseUrl: string, username: string, password = 'Zcps@2026'): Promise<void> {
  await page.goto(`${baseUrl}/?fresh=${Date.now()}#/login`);
  await page.evaluate('localStorage.clear()');
  await page.goto(`${baseUrl}/?fresh=${Date.now()}#/login`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.waitForSelector('text=首页', { timeout: 20_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name.replace(/[^\w\u4e00-\u9fa5-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface ConsoleSession {
  db: TestDatabase;
  t: TestApp;
  browser: Browser;
  page: Page;
  base: string;
  /** keeps a screenshot named `<prefix>-<name>` when the current test fails */
  keepScreenshotOnFailure(name: string): void;
  close(): Promise<void>;
}

/**
 * What every end-to-end file needs: the console built, a fresh database with demo data, the
 * real server on a free port, and a Chromium page. `prepare` adds a file's own data first.
 */
export async function startConsoleSession(options: {
  prefix: string;
  viewport?: { width: number; height: number };
  prepare?: (db: TestDatabase, t: TestApp) => Promise<void>;
  /** modules left out or added (stand-ins for parts a test does not exercise) */
  app?: Pick<AppOptions, 'withoutModules' | 'extraModules'>;
  /** configuration variables of the server (e.g. a short idle time) */
  config?: NonNullable<Parameters<typeof startTestApp>[1]>['config'];
}): Promise<ConsoleSession> {
  await buildConsole();
  const db = await createTestDatabase();
  const t = await startTestApp(db, { demo: true, config: options.config, ...options.app });
  await options.prepare?.(db, t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  return {
    db,
    t,
    browser,
    page,
    base,
    keepScreenshotOnFailure(name: string) {
      onTestFailed(async () => {
        await screenshot(page, `${options.prefix}-${name}`);
      });
    },
    async close() {
      await browser.close();
      await t.close();
      await db.drop();
    },
  };
}
