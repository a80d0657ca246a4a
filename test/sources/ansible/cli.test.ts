/**
 * Through the real CLI: a folder of Ansible content used to be "0 inputs, no findings"; now its roles
 * are judged, refused lookups are warnings with file and line, and SARIF points at the task file.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../../helpers/cli.js';
import { lineOf, projectDir } from './helpers.js';

const dir = 'test/fixtures/ansible/project';
const site = path.join(projectDir, 'site.yml');

describe('trustaudit scan <ansible project>', () => {
  it('reports the unprotected third-party roles of the playbook at their statements', () => {
    const { code, report } = runJson(['scan', dir, '--root', dir]);
    expect(code).toBe(1);
    const fromTasks = report.findings
      .filter((f) => f.location.file.endsWith('.yml'))
      .map((f) => `${f.ruleId} ${f.resource.name} ${f.location.file}:${f.location.line}`)
      .sort();
    const statement = lineOf(site, '- Sid: MonitoringVendor');
    const partner = lineOf(site, '- Effect: Allow');
    const runtime = lineOf(site, 'AWS: "{{ vendor_principal_arn }}"') - 2;
    expect(fromTasks).toEqual(
      [
        `TA001 Partner-alpha ${dir}/site.yml:${partner}`,
        `TA001 Partner-beta ${dir}/site.yml:${partner}`,
        `TA001 VendorMonitoring ${dir}/site.yml:${statement}`,
        `TA001 {{ runtime_role_name }} ${dir}/site.yml:${runtime}`,
      ].sort(),
    );
    // Every role of the project was read: 11 from the tasks, 2 bare policy files.
    expect(report.summary.rolesScanned).toBe(13);
  });

  it('names each refused lookup in the warnings, with file and line', () => {
    const { report } = runJson(['scan', dir, '--root', dir]);
    const refused = (report.warnings as { code: string; file?: string; line?: number; message: string }[])
      .filter((w) => w.code === 'lookup-refused')
      .map((w) => `${w.file}:${w.line}`)
      .sort();
    expect(refused).toEqual(
      [
        `${dir}/roles/vendor_access/tasks/main.yml:${lineOf(path.join(projectDir, 'roles/vendor_access/tasks/main.yml'), 'outside/')}`,
        `${dir}/site.yml:${lineOf(site, '/etc/hostname')}`,
      ].sort(),
    );
  });

  it('SARIF locates the finding in the task file', () => {
    const r = runCli(['scan', dir, '--root', dir, '--format', 'sarif']);
    const log = JSON.parse(r.stdout) as {
      runs: {
        results: {
          message: { text: string };
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const hit = log.runs[0]?.results.find((x) => x.message.text.includes('VendorMonitoring'));
    expect(hit?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(`${dir}/site.yml`);
    expect(hit?.locations[0]?.physicalLocation.region.startLine).toBe(
      lineOf(site, '- Sid: MonitoringVendor'),
    );
  });
});
