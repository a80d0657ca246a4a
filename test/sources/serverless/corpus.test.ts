// biome-ignore-all lint/suspicious/noTemplateCurlyInString: unknowns are written as ${name} placeholders.
/**
 * The Serverless part of the shared corpus (../shared/corpus/serverless, see its README: 5 files, 9
 * roles, none cross-account), through the library function the CLI uses.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { runScan, type ScanResult } from '../../../src/scan/run.js';
import { corpusDir } from '../../helpers/cli.js';

const dir = join(corpusDir, 'serverless');

describe.runIf(existsSync(dir))('corpus: serverless', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await runScan({ paths: ['.'], cwd: dir, zone: emptyZone(), today: '2026-01-01' });
  }, 120_000);

  it('finds the 9 roles the README counts, in resources.Resources of the 5 files', () => {
    expect(result.filesScanned).toBe(5);
    expect(result.roles.every((r) => r.source.kind === 'serverless-resource')).toBe(true);
    expect(result.roles.map((r) => r.id.replace(/^.*?([^/]+\/serverless\.yml)/, '$1')).sort()).toEqual(
      [
        'apigw-http-api-eventbridge-lambda-sls/serverless.yml#MyHttpApiRole',
        'apigw-rest-api-dynamodb-sls/serverless.yml#APIGatewayRole',
        'apigw-s3-lambda-sls-py/serverless.yml#CloudWatchRole',
        'apigw-s3-lambda-sls-py/serverless.yml#IAMRoleForAPIGateway',
        'apigw-s3-lambda-sls-py/serverless.yml#ProcessS3DataIamRole',
        'dynamo-elasticsearch-lambda/serverless.yml#AppSyncDynamoDBServiceRole',
        'dynamo-elasticsearch-lambda/serverless.yml#AppSyncESServiceRole',
        'dynamo-elasticsearch-lambda/serverless.yml#AppSyncLambdaServiceRole',
        'lambda/serverless.yml#AppSyncServiceRole',
      ].sort(),
    );
    expect(result.errors).toEqual([]);
  });

  it('no cross-account trust: every principal is a service', () => {
    const types = result.roles.flatMap((r) =>
      r.trustPolicy.statements.flatMap((s) => (s.principals ?? []).map((p) => p.type)),
    );
    expect(new Set(types)).toEqual(new Set(['Service']));
    expect(result.findings.filter((f) => f.ruleId === 'TA001' || f.ruleId === 'TA003')).toEqual([]);
  });

  it('a RoleName made of ${self:…} and ${opt:…} variables keeps the logical id as the name', () => {
    const r = result.roles.find((x) => x.id.endsWith('#IAMRoleForAPIGateway'));
    expect(r?.name).toBe('IAMRoleForAPIGateway');
    expect(JSON.stringify(r?.extra?.roleName)).toContain('opt:stage');
  });
});
