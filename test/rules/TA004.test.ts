import { describe, expect, it } from 'vitest';
import { attackerSubjects } from '../../src/analysis/federation.js';
import { OIDC_PROVIDERS } from '../../src/data/oidc-providers.js';
import type { JsonLike } from '../../src/model/types.js';
import { TA004 } from '../../src/rules/TA004.js';
import { OWNER, ruleTester, runCase } from '../helpers/rule-tester.js';

const VERSION = '2012-10-17';
const GH = 'token.actions.githubusercontent.com';
const TFC = 'app.terraform.io';
const GL = 'gitlab.com';
const EKS = 'oidc.eks.eu-west-1.amazonaws.com/id/5C5A1B2C3D4E5F60718293A4B5C6D7E8';
const COG = 'cognito-identity.amazonaws.com';
const KEYCLOAK = 'sso.example.com/realms/main';
const SAML_ARN = `arn:aws:iam::${OWNER}:saml-provider/Okta`;
const WI = 'sts:AssumeRoleWithWebIdentity';
type Obj = { [k: string]: JsonLike };

const oidc = (host: string) => `arn:aws:iam::${OWNER}:oidc-provider/${host}`;

function fed(provider: JsonLike, condition?: Obj, action: JsonLike = WI): JsonLike {
  return {
    Version: VERSION,
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: action,
        ...(condition ? { Condition: condition } : {}),
      },
    ],
  };
}
const gh = (condition?: Obj) => fed(oidc(GH), condition);

ruleTester(TA004, {
  valid: [
    // ------------------------------------------------------------ GitHub
    {
      name: 'GitHub: sub pinned to one repository and branch, aud pinned',
      policy: gh({
        StringEquals: {
          [`${GH}:aud`]: 'sts.amazonaws.com',
          [`${GH}:sub`]: 'repo:octo-org/app:ref:refs/heads/main',
        },
      }),
    },
    {
      name: 'GitHub: every repository of the organization',
      policy: gh({ StringLike: { [`${GH}:sub`]: 'repo:octo-org/*' } }),
    },
    {
      name: 'GitHub: list of repositories',
      policy: gh({ StringLike: { [`${GH}:sub`]: ['repo:octo-org/a:*', 'repo:octo-org/b:*'] } }),
    },
    {
      name: 'GitHub: environment of one repository',
      policy: gh({ StringEquals: { [`${GH}:sub`]: 'repo:octo-org/app:environment:prod' } }),
    },
    {
      name: 'GitHub: customised subject on the owner id',
      policy: gh({ StringLike: { [`${GH}:sub`]: 'repository_owner_id:123456:*' } }),
    },
    {
      name: 'GitHub: a Deny refuses every subject outside the organization',
      policy: {
        Version: VERSION,
        Statement: [
          { Effect: 'Allow', Principal: { Federated: oidc(GH) }, Action: WI },
          {
            Effect: 'Deny',
            Principal: { Federated: oidc(GH) },
            Action: WI,
            Condition: { StringNotLike: { [`${GH}:sub`]: 'repo:octo-org/*' } },
          },
        ],
      },
    },
    {
      name: 'GitHub provider given as an IaC reference, keys name the issuer',
      policy: fed(
        { symbolic: true, description: 'Ref OIDCProvider' },
        { StringLike: { [`${GH}:sub`]: 'repo:octo-org/*' } },
      ),
    },
    // ------------------------------------------------------------ others
    {
      name: 'Terraform Cloud: organization pinned',
      policy: fed(oidc(TFC), {
        StringEquals: { [`${TFC}:aud`]: 'aws.workload.identity' },
        StringLike: { [`${TFC}:sub`]: 'organization:acme:project:*:workspace:*:run_phase:*' },
      }),
    },
    {
      name: 'GitLab: group pinned',
      policy: fed(oidc(GL), {
        StringLike: { [`${GL}:sub`]: 'project_path:acme/*:ref_type:branch:ref:main' },
      }),
    },
    {
      name: 'EKS: namespace and service account pinned',
      policy: fed(oidc(EKS), { StringEquals: { [`${EKS}:sub`]: 'system:serviceaccount:payments:api' } }),
    },
    {
      name: 'EKS: every service account of one namespace',
      policy: fed(oidc(EKS), { StringLike: { [`${EKS}:sub`]: 'system:serviceaccount:payments:*' } }),
    },
    {
      name: 'Cognito: identity pool pinned, authenticated only',
      policy: fed(COG, {
        StringEquals: { [`${COG}:aud`]: 'us-east-1:11111111-2222-3333-4444-555555555555' },
        'ForAnyValue:StringLike': { [`${COG}:amr`]: 'authenticated' },
      }),
    },
    {
      name: 'generic provider: audience pinned',
      policy: fed(oidc(KEYCLOAK), { StringEquals: { [`${KEYCLOAK}:aud`]: 'aws-app' } }),
    },
    {
      name: 'generic provider: subject pinned with a prefix',
      policy: fed(oidc(KEYCLOAK), { StringLike: { [`${KEYCLOAK}:sub`]: 'team-a-*' } }),
    },
    {
      name: 'Google: app id pinned',
      policy: fed('accounts.google.com', {
        StringEquals: { 'accounts.google.com:aud': '1234.apps.googleusercontent.com' },
      }),
    },
    // ------------------------------------------------------------ SAML / out of scope
    {
      name: 'SAML: SAML:aud pinned to the sign-in endpoint',
      policy: fed(
        SAML_ARN,
        { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        'sts:AssumeRoleWithSAML',
      ),
    },
    {
      name: 'condition block computed at deploy time (not judged)',
      policy: fed(oidc(GH), { StringLike: { symbolic: true, description: 'dynamic condition' } }),
    },
    {
      name: 'not federated (an AWS account)',
      policy: {
        Version: VERSION,
        Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' }],
      },
    },
    {
      name: 'federated principal with an unrelated action',
      policy: fed(oidc(GH), undefined, 'sts:TagSession'),
    },
    {
      name: 'OIDC provider only admitted for SAML (cannot be used)',
      policy: fed(oidc(GH), undefined, 'sts:AssumeRoleWithSAML'),
    },
  ],
  invalid: [
    {
      name: 'GitHub: no condition at all',
      policy: gh(),
      expect: [
        {
          statementIndex: 0,
          action: WI,
          principals: [oidc(GH)],
          evidenceIncludes: [`has no condition on ${GH}:sub`, 'sts.amazonaws.com'],
        },
      ],
    },
    {
      name: 'GitHub: only the audience pinned (the caller chooses it)',
      policy: gh({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' } }),
      expect: [{ statementIndex: 0, action: WI, evidenceIncludes: ['chosen by whoever requests the token'] }],
    },
    {
      name: 'GitHub: sub "*"',
      policy: gh({ StringLike: { [`${GH}:sub`]: '*' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'GitHub: sub "repo:*"',
      policy: gh({ StringLike: { [`${GH}:sub`]: 'repo:*' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'GitHub: org-less pattern "repo:*/app:*"',
      policy: gh({ StringLike: { [`${GH}:sub`]: 'repo:*/app:*' } }),
      expect: [{ statementIndex: 0, action: WI, evidenceIncludes: ['repo:trustaudit-probe/app:'] }],
    },
    {
      name: 'GitHub: org-less pattern "*:ref:refs/heads/main"',
      policy: gh({ StringLike: { [`${GH}:sub`]: '*:ref:refs/heads/main' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'GitHub: organization prefix wildcard "repo:octo*"',
      policy: gh({ StringLike: { [`${GH}:sub`]: 'repo:octo*' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'GitHub provider as an IaC reference without any condition key',
      policy: fed({ symbolic: true, description: 'Ref OIDCProvider' }),
      expect: [{ statementIndex: 0, action: WI, evidenceIncludes: ['only known at deploy time'] }],
    },
    {
      name: 'Terraform Cloud: no sub',
      policy: fed(oidc(TFC), { StringEquals: { [`${TFC}:aud`]: 'aws.workload.identity' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'Terraform Cloud: organization wildcard',
      policy: fed(oidc(TFC), {
        StringLike: { [`${TFC}:sub`]: 'organization:*:project:*:workspace:prod:run_phase:*' },
      }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    { name: 'GitLab: no sub', policy: fed(oidc(GL)), expect: [{ statementIndex: 0, action: WI }] },
    {
      name: 'GitLab: any group',
      policy: fed(oidc(GL), { StringLike: { [`${GL}:sub`]: 'project_path:*' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'EKS: no sub',
      policy: fed(oidc(EKS), { StringEquals: { [`${EKS}:aud`]: 'sts.amazonaws.com' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'EKS: every namespace',
      policy: fed(oidc(EKS), { StringLike: { [`${EKS}:sub`]: 'system:serviceaccount:*:api' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'Cognito: audience missing (every identity pool)',
      policy: fed(COG, { 'ForAnyValue:StringLike': { [`${COG}:amr`]: 'authenticated' } }),
      expect: [{ statementIndex: 0, action: WI, evidenceIncludes: ['every identity pool'] }],
    },
    {
      name: 'Cognito: audience wildcard',
      policy: fed(COG, { StringLike: { [`${COG}:aud`]: 'us-east-1:*' } }),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'generic provider: nothing pinned',
      policy: fed(oidc(KEYCLOAK)),
      expect: [{ statementIndex: 0, action: WI, evidenceIncludes: ['pins neither'] }],
    },
    {
      name: 'Google: nothing pinned',
      policy: fed('accounts.google.com'),
      expect: [{ statementIndex: 0, action: WI }],
    },
    {
      name: 'SAML: no SAML:aud',
      policy: fed(SAML_ARN, undefined, 'sts:AssumeRoleWithSAML'),
      expect: [
        {
          statementIndex: 0,
          action: 'sts:AssumeRoleWithSAML',
          principals: [SAML_ARN],
          evidenceIncludes: ['has no condition on SAML:aud'],
        },
      ],
    },
    {
      name: 'SAML: SAML:aud with a wildcard',
      policy: fed(SAML_ARN, { StringLike: { 'SAML:aud': '*' } }, 'sts:AssumeRoleWithSAML'),
      expect: [{ statementIndex: 0, action: 'sts:AssumeRoleWithSAML' }],
    },
  ],
});

describe('TA004 details', () => {
  it('IfExists on the subject: GitHub always sends sub, so the condition still applies', () => {
    expect(
      runCase(TA004, { name: 'x', policy: gh({ StringLikeIfExists: { [`${GH}:sub`]: 'repo:octo-org/*' } }) }),
    ).toEqual([]);
  });

  it('derives attacker subjects only where the tenant part is a wildcard', () => {
    const github = OIDC_PROVIDERS.find((p) => p.id === 'github-actions')!;
    expect(attackerSubjects(github, ['repo:octo-org/*'])).toEqual(github.attackerSubjects);
    expect(attackerSubjects(github, ['repo:*/app:*'])).toContain(
      'repo:trustaudit-probe/app:trustaudit-probe',
    );
  });

  it('names the provider account from --known-accounts', () => {
    const [f] = runCase(TA004, { name: 'x', policy: gh(), zone: { known: { [OWNER]: 'Acme Platform' } } });
    expect(f?.principals[0]).toMatchObject({
      kind: 'federated',
      account: OWNER,
      accountName: 'Acme Platform',
    });
  });

  it('corrected policy pins the GitHub subject and audience', () => {
    const [f] = runCase(TA004, { name: 'x', policy: gh({ StringLike: { [`${GH}:sub`]: 'repo:*' } }) });
    expect(f?.remediation.correctedPolicy).toEqual(
      gh({
        StringLike: { [`${GH}:sub`]: 'repo:<OWNER>/<REPO>:ref:refs/heads/main' },
        StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' },
      }),
    );
  });

  it('corrected policy for SAML', () => {
    const [f] = runCase(TA004, { name: 'x', policy: fed(SAML_ARN, undefined, 'sts:AssumeRoleWithSAML') });
    expect(f?.remediation.correctedPolicy).toEqual(
      fed(
        SAML_ARN,
        { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        'sts:AssumeRoleWithSAML',
      ),
    );
  });
});
