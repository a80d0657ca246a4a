/**
 * The report is untrusted input: a finding naming a file outside the scan root (absolute, `..`, a link
 * leading out) refuses the whole report; a malformed report is refused with what is wrong; `--write`
 * backs every file up before changing it and never writes a file that changed since it was read.
 */
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeChanges } from '../../../src/fix/template/write.js';
import { type JsonReport, repoRoot, runCli, tempDir } from '../../helpers/cli.js';

const FIXTURES = join(repoRoot, 'test/fixtures/template-fix');

function project(): { dir: string; report: JsonReport } {
  const dir = tempDir('trustaudit-tfix-hostile-');
  cpSync(join(FIXTURES, 'cloudformation'), dir, { recursive: true });
  const r = runCli(['scan', '.', '--account', '111111111111', '--format', 'json'], { cwd: dir });
  return { dir, report: JSON.parse(r.stdout) as JsonReport };
}

function fixWith(dir: string, report: unknown, args: string[] = []) {
  const file = join(tempDir('trustaudit-tfix-hostile-report-'), 'report.json');
  writeFileSync(file, JSON.stringify(report));
  return runCli(['fix', '--from', file, ...args], { cwd: dir });
}

function retarget(report: JsonReport, file: string): JsonReport {
  const findings = report.findings.map((f, i) => (i === 0 ? { ...f, location: { ...f.location, file } } : f));
  return { ...report, findings };
}

describe('fix --from refuses a report that names files outside the scan root', () => {
  for (const target of ['/etc/passwd', '../outside.yaml', 'sub/../../outside.yaml']) {
    it(`refuses ${target}`, () => {
      const { dir, report } = project();
      const r = fixWith(dir, retarget(report, target));
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`"${target}" is outside the scan root`);
      expect(r.stderr).toContain('no patch written');
    });
  }

  it('refuses a link inside the root that leads out of it', () => {
    const { dir, report } = project();
    const outside = tempDir('trustaudit-tfix-outside-');
    writeFileSync(join(outside, 'victim.yaml'), readFileSync(join(dir, 'block.yaml')));
    mkdirSync(join(dir, 'links'));
    symlinkSync(join(outside, 'victim.yaml'), join(dir, 'links', 'block.yaml'));
    const r = fixWith(dir, retarget(report, 'links/block.yaml'), ['--write']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"links/block.yaml" leads outside the scan root');
    expect(readFileSync(join(outside, 'victim.yaml'), 'utf8')).toBe(
      readFileSync(join(dir, 'block.yaml'), 'utf8'),
    );
  });

  it('refuses a malformed finding, saying which field is wrong', () => {
    const { dir, report } = project();
    const bad = {
      ...report,
      findings: report.findings.map((f) =>
        f.ruleId === 'TA001' ? { ...f, location: { file: f.location.file, line: 'x' } } : f,
      ),
    };
    const r = fixWith(dir, bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/finding \d+ is malformed \(location\.line: /);
  });
});

describe('fix --from with a hostile template', () => {
  it('lists a file too deeply nested to parse and still patches the other roles', () => {
    const { dir, report } = project();
    writeFileSync(join(dir, 'deep.tf'), `locals {\n  x = ${'['.repeat(20_000)}${']'.repeat(20_000)}\n}\n`);
    const first = report.findings.find((f) => f.ruleId === 'TA001');
    const deep = {
      ...first,
      resource: { ...first?.resource, id: 'aws_iam_role.deep', source: 'terraform' },
      location: { file: 'deep.tf', line: 2, column: 7 },
    };
    const r = fixWith(dir, { ...report, findings: [...report.findings, deep] });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /aws_iam_role\.deep \(deep\.tf\): the file could not be edited \(.*nested too deeply/,
    );
    expect(r.stderr).toContain('Patched 5 role(s) in 4 file(s).');
    expect(r.stdout).toContain('diff --git a/block.yaml b/block.yaml');
  });
});

describe('fix --from --write', () => {
  it('changes the templates in place after writing a backup of each', () => {
    const { dir, report } = project();
    const original = readFileSync(join(dir, 'block.yaml'), 'utf8');
    const r = fixWith(dir, report, ['--write', '--backup-dir', 'backups']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const m = /Backups of the files as they were: (\S+)/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(readFileSync(join(m?.[1] as string, 'block.yaml.orig'), 'utf8')).toBe(original);
    expect(readFileSync(join(dir, 'block.yaml'), 'utf8')).toContain(
      'sts:ExternalId: "<EXTERNAL-ID-FOR-222233334444>"',
    );
    const again = runCli(['scan', '.', '--account', '111111111111', '--format', 'json'], { cwd: dir });
    expect((JSON.parse(again.stdout) as JsonReport).findings.filter((f) => f.ruleId === 'TA001')).toEqual([]);
  });

  it('writes no file that changed since it was read, and none at all when a backup fails', () => {
    const dir = tempDir('trustaudit-tfix-write-');
    const a = join(dir, 'a.yaml');
    const b = join(dir, 'b.yaml');
    writeFileSync(a, 'a: 1\n');
    writeFileSync(b, 'b: 1\n');
    const changes = [
      { file: { abs: a, rel: 'a.yaml' }, before: 'a: 1\n', after: 'a: 2\n' },
      { file: { abs: b, rel: 'b.yaml' }, before: 'b: 0\n', after: 'b: 2\n' },
    ];
    const out = writeChanges(changes, join(dir, 'backups'), new Date('2026-01-01T00:00:00Z'));
    expect(out.written).toEqual([]);
    expect(out.failed.map((f) => f.file).sort()).toEqual(['a.yaml', 'b.yaml']);
    expect(out.failed.find((f) => f.file === 'b.yaml')?.reason).toContain('changed since it was read');
    expect(readFileSync(a, 'utf8')).toBe('a: 1\n');
    expect(readFileSync(b, 'utf8')).toBe('b: 1\n');
  });
});
