/// <reference lib="dom" />
/**
 * The HTML report in a real headless Chromium, opened from a file URL: no console errors or network,
 * filtering, sorting, the detail dialog with the highlighted statement and the copy button, the trust
 * graph, and hostile input that must execute nothing.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/reporters/html.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport, PAYLOADS, repoRoot } from '../reporters/report-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TMP = resolve(repoRoot, 'test/.tmp/browser');

let browser: Browser;
const pages = { fixture: '', hostile: '', noRoles: '', large: '' };

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(TMP, { recursive: true });
  pages.fixture = resolve(TMP, 'fixture.html');
  pages.hostile = resolve(TMP, `hostile ${'<x>'.length}.html`);
  writeFileSync(
    pages.fixture,
    renderHtml(loadReport(FIXTURE_FILE), { generatedAt: '2026-11-28T06:00:00.000Z' }),
  );
  writeFileSync(pages.hostile, renderHtml(loadReport(HOSTILE_FILE)));
  const bare = loadReport(FIXTURE_FILE);
  delete bare.roles;
  delete bare.accountNames;
  pages.noRoles = resolve(TMP, 'no-roles.html');
  writeFileSync(pages.noRoles, renderHtml(bare));
  const { synthetic } = (await import('../../bench/reports.bench.mjs')) as {
    synthetic: (root: string, n: number) => Parameters<typeof renderHtml>[0];
  };
  pages.large = resolve(TMP, 'large.html');
  writeFileSync(pages.large, renderHtml(synthetic(repoRoot, 2000)));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  problems: string[];
}

/** Open a report from disk, recording console errors/warnings, page errors and any request that is not the file itself. */
async function open(file: string): Promise<Opened> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems };
}

async function visibleColumn(page: Page, col: number): Promise<string[]> {
  return page.$$eval(
    '#rows tr:not([hidden])',
    (rows, c) => rows.map((r) => (r as HTMLTableRowElement).cells[c as number]?.textContent ?? ''),
    col,
  );
}

describe('HTML report in headless Chromium', () => {
  it('opens from a file URL with no console errors and no network requests', async () => {
    const { page, problems } = await open(pages.fixture);
    expect(await page.title()).toContain('3 open findings');
    expect(await page.locator('#rows tr').count()).toBe(5);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters by severity, rule, status and text', async () => {
    const { page, problems } = await open(pages.fixture);
    await page.selectOption('#f-status', 'open');
    expect(await visibleColumn(page, 2)).toEqual(['DatadogIntegration', 'AnyoneCanAssume', 'PartnerDeploy']);
    expect(await page.textContent('#count')).toBe('3 of 5 findings shown');
    await page.fill('#f-text', 'partner');
    expect(await visibleColumn(page, 2)).toEqual(['PartnerDeploy']);
    await page.fill('#f-text', '');
    await page.selectOption('#f-status', 'suppressed');
    expect(await visibleColumn(page, 2)).toEqual(['LegacyAuditor']);
    await page.selectOption('#f-status', '');
    await page.selectOption('#f-rule', 'TA001');
    await page.selectOption('#f-sev', 'medium');
    expect(await visibleColumn(page, 2)).toHaveLength(5);
    await page.fill('#f-text', 'no such role anywhere');
    expect(await visibleColumn(page, 2)).toEqual([]);
    expect(await page.textContent('#count')).toBe('0 of 5 findings shown');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sorts by a column, ascending then descending', async () => {
    const { page, problems } = await open(pages.fixture);
    const roles = await visibleColumn(page, 2);
    const sorted = [...roles].sort((a, b) => a.localeCompare(b));
    await page.click('#findings-table th[data-col="2"] button');
    expect(await visibleColumn(page, 2)).toEqual(sorted);
    expect(await page.getAttribute('#findings-table th[data-col="2"]', 'aria-sort')).toBe('ascending');
    await page.click('#findings-table th[data-col="2"] button');
    expect(await visibleColumn(page, 2)).toEqual([...sorted].reverse());
    await page.click('#findings-table th[data-col="6"] button');
    expect(await visibleColumn(page, 6)).toEqual(['baseline', 'open', 'open', 'open', 'suppressed']);
    // Filtering still applies to the re-ordered rows.
    await page.selectOption('#f-status', 'open');
    expect(await visibleColumn(page, 6)).toEqual(['open', 'open', 'open']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders the trust graph with unprotected, suppressed and protected trust', async () => {
    const { page, problems } = await open(pages.fixture);
    const svg = page.locator('svg#trust-graph');
    const box = await svg.boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(100);
    expect(await page.locator('svg#trust-graph path[data-state="unprotected"]').count()).toBe(4);
    expect(await page.locator('svg#trust-graph path[data-state="suppressed"]').count()).toBe(1);
    expect(await page.locator('svg#trust-graph path[data-state="protected"]').count()).toBe(1);
    const accounts = await page.$$eval('svg#trust-graph g[data-kind="account"] text', (ts) =>
      ts.map((t) => t.textContent),
    );
    expect(accounts).toContain('Datadog (464622532012)');
    expect(accounts).toContain('Example Vendor (222222222222)');
    // The stroke colour really differs between states (CSS applied under the CSP).
    const strokes = await page.$$eval('svg#trust-graph path.edge', (ps) => [
      ...new Set(ps.map((p) => getComputedStyle(p).stroke)),
    ]);
    expect(strokes.length).toBe(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a finding: policy with the offending statement highlighted, evidence, corrected policy, copy', async () => {
    const { page, problems } = await open(pages.fixture);
    await page.fill('#f-text', 'PartnerDeploy');
    await page.click('#rows tr:not([hidden]) button[data-i]');
    await page.waitForSelector('dialog#detail[open]');
    const hl = await page.textContent('#detail-body [data-hl="true"]');
    expect(hl).toContain('"Sid": "Partner"');
    expect(hl).not.toContain('lambda.amazonaws.com');
    expect(await page.textContent('#detail-body')).toContain('333333333333');
    const corrected = JSON.parse((await page.textContent('#corrected-policy')) ?? '{}');
    expect(JSON.stringify(corrected)).toContain('sts:ExternalId');
    const copy = page.locator('#detail-body button.copy').last();
    await copy.click();
    await expect.poll(() => copy.textContent()).toMatch(/^Copied|Copy failed/);
    await page.click('#detail-close');
    expect(await page.$eval('dialog#detail', (d) => (d as HTMLDialogElement).open)).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('hostile role names, descriptions, tags, files and vendor names execute nothing', async () => {
    const { page, problems } = await open(pages.hostile);
    // Open every finding's dialog so all client-side rendering runs too.
    const n = await page.locator('#rows button[data-i]').count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) {
      await page.click(`#rows button[data-i="${i}"]`);
      await page.waitForSelector('dialog#detail[open]');
      await page.click('#detail-close');
    }
    await page.click('#rows button[data-i="0"]');
    const pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
    expect(pwned).toBeUndefined();
    // The payloads are shown as text.
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain(`evil${PAYLOADS.script}`);
    expect(text).toContain(PAYLOADS.img);
    expect(text).toContain(PAYLOADS.endJson);
    expect(await page.locator('img, iframe, body script:not(#ta-data)').count()).toBe(1); // only the report's own script
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works without report.roles (policy not included, graph from findings only)', async () => {
    const { page, problems } = await open(pages.noRoles);
    expect(await page.locator('svg#trust-graph path[data-state="protected"]').count()).toBe(0);
    expect(await page.locator('svg#trust-graph path[data-state="unprotected"]').count()).toBe(4);
    await page.click('#rows button[data-i="0"]');
    expect(await page.textContent('#detail-body')).toContain(
      'The trust policy is not included in this report.',
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a 2,000-finding report filters and sorts correctly', async () => {
    const { page, problems } = await open(pages.large);
    expect(await page.locator('#rows tr').count()).toBe(2000);
    await page.selectOption('#f-sev', 'critical');
    expect(await page.textContent('#count')).toBe('400 of 2000 findings shown');
    await page.click('#findings-table th[data-col="2"] button');
    const roles = await visibleColumn(page, 2);
    expect(roles).toHaveLength(400);
    expect(roles).toEqual([...roles].sort(new Intl.Collator(undefined, { numeric: true }).compare));
    expect(problems).toEqual([]);
    await page.close();
  });
});
