/// <reference lib="dom" />
/**
 * Screenshots of the HTML report at 20 and 500 findings, for a person to look at (it checks only the page
 * height and that no script error happened):
 * run with SCREENS_DIR=/some/dir npx vitest run test/browser/screens.test.ts. Skipped without SCREENS_DIR.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/reporters/html.js';
import { scaleReport } from '../reporters/scale-report.js';

const DIR = process.env.SCREENS_DIR;

describe.skipIf(!DIR)('HTML report screenshots', () => {
  it('at 20 and 500 findings', { timeout: 120_000 }, async () => {
    const dir = resolve(DIR ?? '.');
    mkdirSync(dir, { recursive: true });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    try {
      for (const n of [20, 500]) {
        const report = scaleReport(n);
        report.scan = {
          command: `trustaudit scan infra --account 200000000000 --format html -o report-${n}.html`,
          ownerAccount: '200000000000',
          trustedAccounts: ['200000000001'],
        };
        const file = resolve(dir, `report-${n}.html`);
        writeFileSync(file, renderHtml(report, { generatedAt: '2026-12-04T03:00:00.000Z' }));
        const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('html[data-ready="true"]');
        await page.screenshot({ path: resolve(dir, `html-${n}-full.png`), fullPage: true });
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        writeFileSync(resolve(dir, `html-${n}-height.txt`), `${height}\n`);
        expect(height).toBeLessThan(6000);
        await page.locator('#graph').screenshot({ path: resolve(dir, `html-${n}-graph.png`) });
        const group = page.locator('svg#trust-graph g[data-kind="group"]').first();
        if ((await group.count()) > 0) {
          await group.click();
          await page.locator('#graph').screenshot({ path: resolve(dir, `html-${n}-graph-expanded.png`) });
        }
        await page.goto(`${pathToFileURL(file).href}#sev=critical&vendor=Datadog`);
        await page.reload();
        await page.waitForSelector('html[data-ready="true"]');
        await page.screenshot({ path: resolve(dir, `html-${n}-filtered.png`), fullPage: true });
        expect(errors).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
