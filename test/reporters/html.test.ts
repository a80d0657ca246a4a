import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { esc, scriptJson } from '../../src/reporters/html/escape.js';
import { ANYONE, AWS_SERVICES, placeOf, principalAccounts, UNNAMED } from '../../src/reporters/html/graph.js';
import { renderHtml } from '../../src/reporters/html.js';
import { FIXTURE_FILE, HOSTILE_FILE, loadReport, PAYLOADS } from './report-fixture.js';
import { scaleReport } from './scale-report.js';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

describe('html reporter (static checks; behaviour is in test/browser)', () => {
  it('pins its only script and style by hash in a strict CSP and loads nothing from elsewhere', () => {
    const html = renderHtml(loadReport(FIXTURE_FILE));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`script-src ${sha(scripts[0]!)}`);
    expect(csp).toContain(`style-src ${sha(styles[0]!)}`);
    expect(html).not.toMatch(/\bstyle="/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function/);
  });

  it('embeds data that JSON.parse reads back exactly, hostile strings included', () => {
    const report = loadReport(HOSTILE_FILE);
    const html = renderHtml(report);
    const json = /<script type="application\/json" id="ta-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const data = JSON.parse(json) as {
      f: { m: string }[];
      r: { name: string; tags?: Record<string, string> }[];
    };
    expect(data.f[0]!.m).toBe(report.findings[0]!.message);
    expect(data.r.map((r) => r.name)).toContain(`evil${PAYLOADS.script}`);
    expect(data.r[0]!.tags?.[PAYLOADS.svg]).toBe(PAYLOADS.endJson);
  });

  it('never writes a payload as markup', () => {
    const html = renderHtml(loadReport(HOSTILE_FILE));
    for (const p of Object.values(PAYLOADS)) {
      if (/[<>"']/.test(p)) expect(html, p).not.toContain(p);
    }
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toMatch(/<img|<svg\/|<iframe|<!--/);
    expect(html).not.toMatch(/[\u2028\u2029]/);
  });

  const escCases: [string, string, string][] = [
    ['tags', '<b>', '&#60;b&#62;'],
    ['attribute breakout', '" onmouseover="x', '&#34; onmouseover=&#34;x'],
    ['single quote', "'", '&#39;'],
    ['ampersand', 'a&b', 'a&#38;b'],
  ];
  it.each(escCases)('esc: %s', (_n, input, expected) => expect(esc(input)).toBe(expected));

  const jsonCases: [string, unknown, string][] = [
    ['end of script', '</script>', '"\\u003c/script\\u003e"'],
    ['comment open', '<!--', '"\\u003c!--"'],
    ['line separator', '\u2028', '"\\u2028"'],
    ['ampersand', '&', '"\\u0026"'],
  ];
  it.each(jsonCases)('scriptJson: %s', (_n, input, expected) => {
    expect(scriptJson(input)).toBe(expected);
    expect(JSON.parse(scriptJson(input))).toBe(input);
  });

  it('trust graph data: vendors, AWS services and unnamed accounts are groups; protected trust from roles', () => {
    const report = loadReport(FIXTURE_FILE);
    const html = renderHtml(report);
    const json = /<script type="application\/json" id="ta-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const data = JSON.parse(json) as {
      f: { role: string; gp: number[]; gr: number; v: string[] }[];
      G: { p: { l: string; g: string }[]; r: { l: string; a: string }[]; ok: [number, number][] };
    };
    const node = (label: string) => data.G.p.findIndex((p) => p.l === label);
    expect(data.G.p[node('Datadog (464622532012)')]?.g).toBe('Datadog');
    expect(data.G.p[node('* (anyone)')]?.g).toBe(ANYONE);
    const datadog = data.f.find((f) => f.role === 'DatadogIntegration')!;
    expect(datadog.gp).toEqual([node('Datadog (464622532012)')]);
    expect(datadog.v).toEqual(['Datadog']);
    expect(data.G.r[datadog.gr]).toEqual({ l: 'DatadogIntegration', a: '111111111111' });
    // Example Vendor's trust has an external ID: no finding, drawn as protected.
    const ok = data.G.ok.map(([p, r]) => [data.G.p[p]!.l, data.G.r[r]!.l]);
    expect(ok).toContainEqual(['Example Vendor (222222222222)', expect.any(String)]);
    expect(ok.some(([p]) => p === '111111111111')).toBe(false); // same-account trust is not drawn
  });

  it('places principals: services in one group, unnamed accounts in one group, vendors by name', () => {
    expect(placeOf({ value: 'lambda.amazonaws.com', kind: 'service' }, {})).toMatchObject({
      group: AWS_SERVICES,
      facet: AWS_SERVICES,
    });
    expect(placeOf({ value: '1', kind: 'account', account: '210987654321' }, {})).toMatchObject({
      group: UNNAMED,
      facet: '210987654321',
    });
    expect(
      placeOf({ value: '1', kind: 'account', account: '464622532012' }, { '464622532012': 'Datadog' }),
    ).toMatchObject({ group: 'Datadog', label: 'Datadog (464622532012)', facet: 'Datadog' });
  });

  it('the header names the command, the config and the accounts, escaped', () => {
    const report = loadReport(FIXTURE_FILE);
    report.scan = {
      command: `trustaudit scan '<img src=x>' --account 111111111111`,
      ownerAccount: '111111111111',
      trustedAccounts: ['222222222222'],
      trustedOrgs: ['o-abc'],
    };
    const html = renderHtml(report);
    const info = /<dl class="scan-info" id="scan-info">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
    expect(info).toContain(
      '<code id="scan-command">trustaudit scan &#39;&#60;img src=x&#62;&#39; --account 111111111111</code>',
    );
    expect(info).toContain('<dt>Owner account</dt><dd>111111111111</dd>');
    expect(info).toContain('<dt>Your accounts</dt><dd>222222222222 (Example Vendor)</dd>');
    expect(info).toContain('<dt>Your organizations</dt><dd>o-abc</dd>');
  });

  it('stays linear in size: 500 findings is about 25 times 20 findings', () => {
    const small = renderHtml(scaleReport(20)).length;
    const large = renderHtml(scaleReport(500)).length;
    expect(large / small).toBeLessThan(40);
  });

  const principalCases: [string, unknown, string[]][] = [
    [
      'root arn',
      { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' } }] },
      ['123456789012'],
    ],
    [
      'bare id list',
      { Statement: { Effect: 'Allow', Principal: { AWS: ['123456789012', '210987654321'] } } },
      ['123456789012', '210987654321'],
    ],
    ['deny ignored', { Statement: [{ Effect: 'Deny', Principal: { AWS: '123456789012' } }] }, []],
    [
      'service ignored',
      { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }] },
      [],
    ],
    ['not a policy', 'text', []],
  ];
  it.each(principalCases)('principalAccounts: %s', (_n, policy, expected) => {
    expect(principalAccounts(policy as never)).toEqual(expected);
  });
});
