/**
 * CDK cloud assemblies: a nested stack (`*.nested.template.json`, named by the parent's
 * `aws:asset:path` metadata) is deployed with its parent stack's account and region, and the other
 * stacks of the same `cdk.out` are the app's own accounts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPLOYING_ACCOUNT, type Role } from '../../../src/model/types.js';
import { runJson } from '../../helpers/cli.js';
import { fixtures, input, scanFiles, walk } from './helpers.js';

const NESTED = 'cdk-nested/cdk.out';
const PARENT = `${NESTED}/AppStack.template.json`;
const CHILD = `${NESTED}/AppStackAccess6B1E2F3A.nested.template.json`;
const RESOURCE = 'AccessNestedStackAccessNestedStackResource5A1B2C3D';

/** Every file of a fixture folder, as a folder scan hands them over. */
function folder(rel: string) {
  return walk(join(fixtures, rel)).map((p) => input(p.slice(fixtures.length + 1)));
}

describe('CDK nested stacks', () => {
  it("take the parent stack's account and region from the manifest", async () => {
    const r = await scanFiles(folder(NESTED));
    expect(r.roles.map((x) => x.id).sort()).toEqual([
      `${PARENT}#${RESOURCE}/${CHILD}#OpsRole9C8B7A6D`,
      `${PARENT}#${RESOURCE}/${CHILD}#RegionalReaderRole2E3F4A5B`,
    ]);
    for (const role of r.roles) {
      expect(role.account).toBe('111111111111');
      expect(role.extra).toMatchObject({ cdkStack: 'AppStack', nestedIn: [`${PARENT}#${RESOURCE}`] });
    }
    const regional = r.roles.find((x) => x.id.endsWith('#RegionalReaderRole2E3F4A5B')) as Role;
    expect(JSON.stringify(regional.trustPolicy.raw)).toContain('"aws:RequestedRegion":"eu-west-1"');
    expect(regional.source.construct).toBe('AppStack/Access/RegionalReaderRole/Resource');
  });

  it('the nested template is not judged a second time on its own with an unknown account', async () => {
    const r = await scanFiles(folder(NESTED));
    expect(r.roles.some((x) => x.account === DEPLOYING_ACCOUNT)).toBe(false);
    expect(r.roles.some((x) => x.id.startsWith(`${CHILD}#`))).toBe(false);
  });

  it('scanned without its manifest, a nested template is still judged on its own', async () => {
    const r = await scanFiles([input(CHILD)]);
    expect(r.roles.map((x) => x.account)).toEqual([DEPLOYING_ACCOUNT, DEPLOYING_ACCOUNT]);
  });
});

describe('the accounts of one cdk.out', () => {
  it('every stack account of the assembly (nested assemblies included) is trusted', async () => {
    const r = await scanFiles([input('cdk-pipeline/cdk.out/manifest.json')]);
    expect(r.trusted).toEqual([
      { id: '222222222222', name: 'CDK stack PipelineStack' },
      { id: '333333333333', name: 'CDK stack Prod-AppStack' },
    ]);
  });
});

describe('through the CLI', () => {
  it('AccountRootPrincipal in a nested stack is the stack account, not a third party', () => {
    const r = runJson(['scan', join(fixtures, NESTED)]);
    expect(r.report.findings.filter((f) => f.ruleId === 'TA001')).toEqual([]);
    expect(r.report.summary.rolesScanned).toBe(2);
  });

  it('a stage stack trusting the pipeline account of the same app needs no --trusted-account', () => {
    const r = runJson(['scan', join(fixtures, 'cdk-pipeline')]);
    expect(r.report.findings.filter((f) => f.ruleId === 'TA001')).toEqual([]);
    // The stage's template alone, without the app's manifest, does not know the pipeline account.
    const alone = runJson([
      'scan',
      join(
        fixtures,
        'cdk-pipeline/cdk.out/assembly-PipelineStack-Prod/PipelineStackProdAppStack1A2B3C4D.template.json',
      ),
    ]);
    expect(
      alone.report.findings.filter((f) => f.ruleId === 'TA001').map((f) => f.principals[0]?.account),
    ).toEqual(['222222222222']);
  });
});
