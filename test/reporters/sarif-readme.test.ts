import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The GitHub Actions workflow in the README's "GitHub code scanning" section stays usable. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
}

function workflow(): Workflow {
  const section = readme.slice(readme.indexOf('## GitHub code scanning'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('no yaml block in the GitHub code scanning section');
  return parse(block) as Workflow;
}

describe('README GitHub code scanning workflow', () => {
  it('is valid YAML with one job', () => {
    expect(Object.keys(workflow().jobs)).toHaveLength(1);
  });

  it('grants security-events: write to the job that uploads', () => {
    const [job] = Object.values(workflow().jobs);
    expect(job?.permissions?.['security-events']).toBe('write');
    expect(workflow().permissions).toEqual({ contents: 'read' });
  });

  it('writes SARIF and uploads that same file with upload-sarif, even when the scan step fails', () => {
    const steps = Object.values(workflow().jobs)[0]?.steps ?? [];
    const scan = steps.find((s) => s.run?.includes('trustaudit scan'));
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    const out = /--output (\S+)/.exec(scan?.run ?? '')?.[1];
    expect(scan?.run).toContain('--format sarif');
    expect(out).toBeTruthy();
    expect(upload?.with?.sarif_file).toBe(out);
    expect(upload?.if).toContain('always()');
    expect(steps.indexOf(upload!)).toBeGreaterThan(steps.indexOf(scan!));
  });

  it('only uses scan options the CLI has', () => {
    const scan = Object.values(workflow().jobs)[0]?.steps.find((s) => s.run?.includes('trustaudit scan'));
    const cli = readFileSync(resolve(repoRoot, 'src/cli/commands/scan.ts'), 'utf8');
    for (const flag of scan?.run?.match(/--[a-z-]+/g) ?? []) {
      if (flag === '--yes') continue; // npx's own flag
      // Declared as `.option('-f, --format <formats>', ...)` or `new Option('--fail-on <severity>', ...)`.
      expect(cli, flag).toMatch(new RegExp(`['\\s]${flag}[\\s']`));
    }
  });
});
