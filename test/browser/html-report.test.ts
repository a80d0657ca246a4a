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
import { scaleReport } from '../reporters/scale-report.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TMP = resolve(repoRoot, 'test/.tmp/browser');

let browser: Browser;
const pages = { fixture: '', hostile: '', noRoles: '', large: '', scale: '' };

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
  pages.scale = resolve(TMP, 'scale-500.html');
  const scale = scaleReport(500);
  scale.scan = { command: 'trustaudit scan infra --format html', trustedAccounts: [] };
  writeFileSync(pages.scale, renderHtml(scale));
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
async function open(file: string, hash = ''): Promise<Opened> {
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
  await page.goto(url + hash);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, problems };
}

/** Tick or untick one value in a filter pane. */
async function pick(page: Page, facet: string, value: string, on = true): Promise<void> {
  const box = page.locator(`fieldset[data-facet="${facet}"] input[value="${value}"]`);
  if (on) await box.check();
  else await box.uncheck();
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
    await pick(page, 'status', 'open');
    expect(await visibleColumn(page, 2)).toEqual(['DatadogIntegration', 'AnyoneCanAssume', 'PartnerDeploy']);
    expect(await page.textContent('#count')).toBe('3 of 5 findings shown');
    await page.fill('#f-text', 'partner');
    expect(await visibleColumn(page, 2)).toEqual(['PartnerDeploy']);
    await page.fill('#f-text', '');
    await pick(page, 'status', 'open', false);
    await pick(page, 'status', 'suppressed');
    expect(await visibleColumn(page, 2)).toEqual(['LegacyAuditor']);
    await pick(page, 'status', 'suppressed', false);
    await pick(page, 'rule', 'TA001');
    await pick(page, 'sev', 'medium');
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
    await pick(page, 'status', 'open');
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
    await pick(page, 'sev', 'critical');
    expect(await page.textContent('#count')).toBe('400 of 2000 findings shown');
    await page.click('#findings-table th[data-col="2"] button');
    expect(await visibleColumn(page, 2)).toHaveLength(50); // one page
    await page.selectOption('#pg-size', '0');
    const roles = await visibleColumn(page, 2);
    expect(roles).toHaveLength(400);
    expect(roles).toEqual([...roles].sort(new Intl.Collator(undefined, { numeric: true }).compare));
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('HTML report at 500 findings in headless Chromium', () => {
  const graphSum = (page: Page) =>
    page.$$eval('svg#trust-graph g[data-side="left"]', (gs) =>
      gs.reduce((n, g) => n + Number(g.getAttribute('data-count')), 0),
    );

  it('is a short page: one page of 50 rows, filter panes with counts, the command in the header', async () => {
    const { page, problems } = await open(pages.scale);
    expect(await visibleColumn(page, 2)).toHaveLength(50);
    expect(await page.textContent('#pg-info')).toBe('Page 1 of 10 (1\u201350)');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(6000); // the old report was about 59,000 pixels
    expect(await page.textContent('#scan-command')).toBe('trustaudit scan infra --format html');
    const panes = await page.$$eval('fieldset[data-facet]', (fs) =>
      fs.map((f) => f.getAttribute('data-facet')),
    );
    expect(panes).toEqual(['sev', 'rule', 'vendor', 'file', 'status']);
    const datadog = page
      .locator('fieldset[data-facet="vendor"] label', { hasText: 'Datadog' })
      .locator('.pane-n');
    expect(await datadog.textContent()).toBe('26');
    // Counts follow the other panes' choices.
    await pick(page, 'sev', 'critical');
    expect(Number(await datadog.textContent())).toBeLessThan(26);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('pages through the findings, and the page is kept in the URL hash', async () => {
    const { page, problems } = await open(pages.scale);
    const shownIds = () =>
      page.$$eval('#rows tr:not([hidden])', (rs) => rs.map((r) => r.getAttribute('data-i') ?? ''));
    const first = await shownIds();
    expect(await page.isDisabled('#pg-prev')).toBe(true);
    await page.click('#pg-next');
    const second = await shownIds();
    expect(second).toHaveLength(50);
    expect(second.filter((i) => first.includes(i))).toEqual([]);
    expect(await page.evaluate(() => location.hash)).toBe('#page=2');
    expect(await page.isDisabled('#pg-prev')).toBe(false);
    for (let i = 0; i < 8; i++) await page.click('#pg-next');
    expect(await page.textContent('#pg-info')).toBe('Page 10 of 10 (451\u2013500)');
    expect(await page.isDisabled('#pg-next')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps the filters in the URL hash, and a link with a hash opens filtered', async () => {
    const { page, problems } = await open(pages.scale);
    await pick(page, 'sev', 'critical');
    await pick(page, 'vendor', 'Datadog');
    await page.fill('#f-text', 'reader');
    expect(await page.evaluate(() => location.hash)).toBe('#sev=critical&vendor=Datadog&q=reader');
    const shown = await page.textContent('#count');
    await page.close();
    const again = await open(pages.scale, '#sev=critical&vendor=Datadog&q=reader');
    expect(await again.page.textContent('#count')).toBe(shown);
    expect(await again.page.isChecked('fieldset[data-facet="vendor"] input[value="Datadog"]')).toBe(true);
    expect(await again.page.inputValue('#f-text')).toBe('reader');
    for (const who of await visibleColumn(again.page, 4)) expect(who).toContain('Datadog');
    // A hash typed by hand changes the view too; one naming no filter leaves it alone.
    await again.page.evaluate(() => {
      location.hash = '#rule=TA002';
    });
    await expect.poll(() => again.page.textContent('#count')).toMatch(/^\d+ of 500 findings shown$/);
    for (const rule of await visibleColumn(again.page, 1)) expect(rule).toBe('TA002');
    expect(problems).toEqual([]);
    expect(again.problems).toEqual([]);
    await again.page.close();
  });

  it('draws the graph grouped (vendors, AWS services, unnamed accounts), with counts, expanding on click', async () => {
    const { page, problems } = await open(pages.scale);
    const left = () =>
      page.$$eval('svg#trust-graph g[data-side="left"] text:first-of-type', (ts) =>
        ts.map((t) => t.textContent ?? ''),
      );
    const names = await left();
    expect(names.length).toBeLessThanOrEqual(20);
    expect(names.some((n) => /^\u25b8 Unnamed accounts \u00b7 \d+ accounts$/.test(n))).toBe(true);
    expect(names.some((n) => /^\u25b8 AWS services \u00b7 \d+ services$/.test(n))).toBe(true);
    expect(names).toContain('Datadog (464622532012)');
    // Roles are grouped by their account: 7 owner accounts, not 228 roles.
    expect(await page.locator('svg#trust-graph g[data-side="right"]').count()).toBe(7);
    // Every finding is counted once per principal on the left.
    expect(await graphSum(page)).toBe(500);
    const edges = await page.$$eval('svg#trust-graph path.edge', (ps) =>
      ps.map((p) => Number(p.getAttribute('data-count'))),
    );
    expect(edges.length).toBeLessThan(200);
    expect(Math.max(...edges)).toBeGreaterThan(1); // aggregated
    // A click on the unnamed group shows its accounts.
    await page.locator('svg#trust-graph g[data-kind="group"]', { hasText: 'Unnamed accounts' }).click();
    const expanded = await left();
    expect(expanded.length).toBeGreaterThan(names.length);
    expect(expanded.some((n) => /^\u25be 3000000000\d\d$/.test(n))).toBe(true);
    // At most 40 nodes a side; what is left out is said under the graph.
    expect(expanded.length).toBe(40);
    expect(await graphSum(page)).toBeLessThan(500);
    expect(await page.textContent('#graph-box p.muted')).toMatch(
      /^Not drawn: [1-9]\d* more third parties and 0 more/,
    );
    // A click on an account of the group folds it again.
    await page
      .locator('svg#trust-graph g[data-side="left"]', { hasText: /^\u25be 3000000000/ })
      .first()
      .click();
    expect(await left()).toEqual(names);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the graph follows the filters', async () => {
    const { page, problems } = await open(pages.scale, '#vendor=Datadog');
    const left = await page.$$eval('svg#trust-graph g[data-side="left"]', (gs) => gs.length);
    expect(left).toBe(1);
    expect(await graphSum(page)).toBe(26);
    await pick(page, 'status', 'suppressed');
    const states = await page.$$eval('svg#trust-graph path.edge', (ps) => [
      ...new Set(ps.map((p) => p.getAttribute('data-state'))),
    ]);
    expect(states).toEqual(['suppressed']);
    await page.click('#f-clear');
    expect(await graphSum(page)).toBe(500);
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(problems).toEqual([]);
    await page.close();
  });
});
