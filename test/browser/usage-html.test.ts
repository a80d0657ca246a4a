/// <reference lib="dom" />
/**
 * Usage evidence in the HTML report, in a real headless Chromium: the Usage column, the usage-verdict
 * filter, and the "Usage" table of a finding's detail panel, with hostile external ids shown as text.
 * The page comes from the built CLI (`scan --cloudtrail`) and from a report with hostile ids.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/reporters/html.js';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../reporters/report-fixture.js';
import { HTML_ID, usageReport } from '../reporters/usage-report.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TMP = resolve(repoRoot, 'test/.tmp/browser');
const FIX = 'test/fixtures/cloudtrail';
const pages = { cli: resolve(TMP, 'usage-cli.html'), hostile: resolve(TMP, 'usage-hostile.html') };
let browser: Browser;

beforeAll(async () => {
  mkdirSync(TMP, { recursive: true });
  const r = runCli([
    'scan',
    `${FIX}/account-export.json`,
    '--cloudtrail',
    `${FIX}/org`,
    '--cloudtrail',
    `${FIX}/plain`,
    '--usage-days',
    '36500',
    '--format',
    'html',
  ]);
  expect(r.code).toBe(1);
  writeFileSync(pages.cli, r.stdout);
  writeFileSync(pages.hostile, renderHtml(usageReport()));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});

afterAll(async () => {
  await browser?.close();
});

async function open(file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems };
}

const usageRows = (page: Page) =>
  page.$$eval('#detail-body table.usage tbody tr', (trs) =>
    trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells).map((c) => c.textContent ?? '')),
  );

describe('usage evidence in the HTML report (headless Chromium)', () => {
  it('shows the verdicts in the table, filters on them and lists each third party in the detail panel', async () => {
    const { page, problems } = await open(pages.cli);
    const cells = await page.$$eval('#rows tr', (trs) =>
      trs.map((tr) => (tr as HTMLTableRowElement).cells[7]?.textContent ?? ''),
    );
    expect(cells[0]).toContain('safe to enforce 999988887777');
    expect(cells[1]).toBe('unused in window 222233334444');
    const box = page.locator('fieldset[data-facet="verdict"] input[value="safe-to-enforce"]');
    await box.check();
    expect(await page.textContent('#count')).toBe('1 of 2 findings shown');
    await page.locator('#findings').screenshot({ path: resolve(TMP, 'usage-html-table.png') });
    await box.uncheck();
    await page.click('#rows tr[data-i="0"] button');
    const heads = await page.$$eval('#detail-body h3', (hs) => hs.map((h) => h.textContent));
    expect(heads).toContain('Usage');
    const rows = await usageRows(page);
    const vendor = rows.find((r) => r[0] === '999988887777');
    expect(vendor?.slice(0, 9)).toEqual([
      '999988887777',
      'safe to enforce',
      '4',
      '2026-11-20T08:00:00.000Z',
      '2026-11-22T08:00:00.000Z',
      '"vendor-id-1" ×4',
      '0',
      '0',
      '1 (AccessDenied ×1)',
    ]);
    expect(rows.map((r) => r[1])).toEqual([
      'unused in window',
      'sends none',
      'sends several ids',
      'safe to enforce',
    ]);
    const body = (await page.textContent('#detail-body')) ?? '';
    expect(body).toContain('RoleLastUsed2026-11-22T09:00:00.000Z in us-east-1');
    expect(body).toContain('No events is never proof of no use');
    const section = page.locator('#detail-body section', { has: page.locator('h3', { hasText: /^Usage$/ }) });
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: resolve(TMP, 'usage-html.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('hostile external ids are text: no script runs, no element is made from them', async () => {
    const { page, problems } = await open(pages.hostile);
    await page.click('#rows tr[data-i="0"] button');
    const ids = await page.$$eval('#detail-body table.usage tbody tr td:nth-child(6)', (tds) =>
      tds.map((t) => t.textContent ?? ''),
    );
    expect(ids[0]).toContain(JSON.stringify(HTML_ID));
    expect(await page.locator('#detail-body img').count()).toBe(0);
    expect(await page.textContent('#detail-body')).toContain('Not readRegions us-west-2 were not read.');
    expect(problems).toEqual([]);
    await page.close();
  });
});
