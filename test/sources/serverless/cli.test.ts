/**
 * Through the real CLI: serverless.yml used to be taken by the CloudFormation reader and give nothing
 * (it has no top-level Resources); now its roles are judged, and ${env:…} is never read.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../../helpers/cli.js';
import { fixturesDir, lineOf } from './helpers.js';

const dir = 'test/fixtures/serverless';
const vendorApi = path.join(fixturesDir, 'vendor-api/serverless.yml');

describe('trustaudit scan <serverless services>', () => {
  it('reports the unprotected third-party roles at their statements, never reading the environment', () => {
    const { code, report } = runJson(['scan', dir], { env: { VENDOR_ACCOUNT_ID: '123456789012' } });
    expect(code).toBe(1);
    const found = report.findings
      .filter((f) => f.ruleId === 'TA001')
      .map((f) => `${f.resource.name} ${f.location.file}:${f.location.line}`)
      .sort();
    expect(found).toEqual(
      [
        `DeployTimeVendorRole ${dir}/vendor-api/serverless.yml:${lineOf(vendorApi, '- Sid: FromEnvironment')}`,
        `IamRoleLambdaExecution ${dir}/vendor-api/serverless.yml:${lineOf(vendorApi, '- Sid: PartnerDebugging')}`,
        `ReportsVendorRole ${dir}/json-service/serverless.json:14`,
        `VendorReadRole ${dir}/vendor-api/serverless.yml:${lineOf(vendorApi, '- Sid: MonitoringVendor')}`,
      ].sort(),
    );
    const env = report.findings.find((f) => f.resource.name === 'DeployTimeVendorRole');
    expect(env?.message).toContain('env:VENDOR_ACCOUNT_ID');
    expect(JSON.stringify(report)).not.toContain('123456789012');
    expect(report.summary.rolesScanned).toBe(7);
  });

  it('SARIF locates the finding in serverless.yml', () => {
    const r = runCli(['scan', dir, '--format', 'sarif']);
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
    const hit = log.runs[0]?.results.find((x) => x.message.text.includes('VendorReadRole'));
    expect(hit?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(`${dir}/vendor-api/serverless.yml`);
    expect(hit?.locations[0]?.physicalLocation.region.startLine).toBe(
      lineOf(vendorApi, '- Sid: MonitoringVendor'),
    );
  });
});
