/**
 * The Kubernetes source over the shared real-world corpus (`../shared/corpus/kubernetes`): the corpus
 * README counts 5 files and 9 roles, 2 of them Composition templates whose trust is built at compose
 * time. Those two must be reported, not judged and not passed over.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubernetesSource } from '../../../src/sources/kubernetes/index.js';
import { corpus, inputsUnder, scanWith } from './helpers.js';

const dir = join(corpus, 'kubernetes');

describe.runIf(existsSync(dir))('kubernetes corpus', () => {
  it('claims the 5 files and accounts for all 9 roles', async () => {
    const files = inputsUnder(dir);
    expect(files.filter((f) => kubernetesSource.claim(f))).toHaveLength(5);
    const r = await scanWith(kubernetesSource, files);
    expect(r.roles.map((x) => `${x.source.location.file}:${x.source.location.line} ${x.name}`)).toEqual([
      'aws-controllers-k8s__iam-controller/test/e2e/resources/role_referring.yaml:1 $ROLE_NAME',
      'aws-controllers-k8s__iam-controller/test/e2e/resources/role_simple.yaml:1 $ROLE_NAME',
      'crossplane-contrib__provider-aws/examples/iam/role.yaml:2 somerole',
      'crossplane-contrib__provider-aws/examples/iam/role.yaml:37 somenoderole',
      'crossplane-contrib__provider-aws/examples/iam/role.yaml:66 glue-role',
      'crossplane-contrib__provider-aws/examples/iam/role.yaml:95 cognito-role',
      'crossplane-contrib__provider-aws/examples/iam/role.yaml:118 rds-role',
    ]);
    expect(r.errors).toEqual([]);
    expect(r.warnings?.map((e) => `${e.file}:${e.line}:${e.column} ${e.code}`)).toEqual([
      'awslabs__crossplane-on-eks/compositions/aws-provider/irsa/irsa-role-only.yaml:34:13 k8s-composed-trust-policy',
      'awslabs__crossplane-on-eks/compositions/upbound-aws-provider/irsa/irsa.yaml:33:13 k8s-composed-trust-policy',
    ]);
    // No role trusts an AWS account: services, and cognito-role's web-identity federation.
    const types = r.roles.flatMap((x) =>
      x.trustPolicy.statements.flatMap((s) => (s.principals ?? []).map((p) => p.type)),
    );
    expect(new Set(types)).toEqual(new Set(['Service', 'Federated']));
    for (const role of r.roles) expect(role.trustPolicy.issues).toEqual([]);
  });

  it('reads the folded (>) JSON of the ACK manifests with the position of each element', async () => {
    const r = await scanWith(kubernetesSource, inputsUnder(dir));
    const ack = r.roles[0];
    // role_referring.yaml: `"Statement": [{` is line 12, the service principal line 16.
    expect(ack?.trustPolicy.statements[0]?.location).toMatchObject({ line: 12, column: 21 });
    expect(ack?.trustPolicy.statements[0]?.principals?.[0]).toMatchObject({
      value: 'ec2.amazonaws.com',
      location: { line: 16, column: 13 },
    });
  });
});
