import { type FederationAccess, findFederationAccess } from '../analysis/federation.js';
import { exampleOf, policyKeys } from '../analysis/probe.js';
import { addStatementConditions, type ConditionFix, type RequiredCondition } from '../analysis/remediate.js';
import { listText, statementLabel } from '../analysis/render.js';
import type { FindingDraft, Remediation } from '../findings/types.js';
import { isIacSource, isSymbolic, type JsonLike, type Role } from '../model/types.js';
import { updateTrustPolicyCommand } from '../util/shell-quote.js';
import { NO_OPTIONS, type NoOptions } from './options.js';
import { sharedCorrection } from './policy-findings.js';
import { memoised, NO_FINDINGS, type Rule, type RuleContext } from './types.js';

export type TA004Options = NoOptions;

export const SAML_AUDIENCE = 'https://signin.aws.amazon.com/saml';

function isPolicyObject(raw: JsonLike): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !isSymbolic(raw);
}

function requiredConditions(a: FederationAccess): RequiredCondition[] {
  if (a.kind === 'saml') return [{ operator: 'StringEquals', key: 'SAML:aud', values: [SAML_AUDIENCE] }];
  const host = a.host;
  if (!host) return [];
  const p = a.profile;
  const out: RequiredCondition[] = [];
  if (p.id === 'cognito') {
    out.push({ operator: 'StringEquals', key: `${host}:aud`, values: ['<IDENTITY-POOL-ID>'] });
    out.push({ operator: 'ForAnyValue:StringLike', key: `${host}:amr`, values: ['authenticated'] });
    return out;
  }
  if (p.subjectExample) out.push({ operator: 'StringLike', key: `${host}:sub`, values: [p.subjectExample] });
  if (p.recommendedAudience)
    out.push({ operator: 'StringEquals', key: `${host}:aud`, values: [p.recommendedAudience] });
  if (p.id === 'generic') out.push({ operator: 'StringEquals', key: `${host}:aud`, values: ['<CLIENT-ID>'] });
  return out;
}

function remediation(role: Role, a: FederationAccess): { out: Remediation; fix?: ConditionFix } {
  const label = statementLabel(a.statementIndex, a.sid);
  const add = requiredConditions(a);
  const text = add.map((c) => `"${c.operator}": {"${c.key}": "${c.values.join('", "')}"}`);
  const steps: string[] = [];
  if (a.kind === 'saml') {
    steps.push(
      `In ${label}, add "StringEquals": {"SAML:aud": "${SAML_AUDIENCE}"} (or the regional sign-in endpoint your IdP posts to) so that only assertions made for AWS are accepted.`,
    );
  } else if (add.length > 0) {
    steps.push(
      `In ${label}, add ${listText(text)}, replacing the placeholders with your own ${a.profile.id === 'cognito' ? 'identity pool id' : 'organization, repository, workspace or namespace'} (no wildcard in the tenant part).`,
    );
  } else {
    steps.push(
      `In ${label}, pin the provider's subject (<issuer>:sub) or audience (<issuer>:aud) to values only your tenant can obtain.`,
    );
  }
  steps.push(
    `Edit the trust policy in the IAM console (Roles, ${role.name}, Trust relationships, Edit trust policy) or with the command below.`,
    `The provider's own guidance: ${a.profile.docs}`,
  );
  if (isIacSource(role.source.kind)) {
    steps.push(`Make the same change in ${role.source.location.file} so the next deployment keeps it.`);
  }
  const out: Remediation = {
    summary:
      a.kind === 'saml'
        ? `Require SAML:aud in ${label}.`
        : `Restrict ${a.host ? `${a.host}:sub` : 'the token subject'} in ${label} to your own ${a.profile.id === 'cognito' ? 'identity pool' : 'tenant'}.`,
    steps,
    command: updateTrustPolicyCommand(role.name),
  };
  if (add.length > 0 && isPolicyObject(role.trustPolicy.raw)) {
    const fix: ConditionFix = {
      statementIndex: a.statementIndex,
      principals: { type: 'Federated', values: a.providers },
      add,
      replaceKeys: add.map((c) => c.key.toLowerCase()),
    };
    return { out, fix };
  }
  return { out };
}

const analyse = (role: Role, ctx: RuleContext<TA004Options>): FederationAccess[] =>
  findFederationAccess(role, ctx.zone);

/** `TA004`: an identity provider's other tenants (or other audiences) can federate into the role. */
export const TA004: Rule<TA004Options> = {
  meta: {
    id: 'TA004',
    name: 'federation-trust-unrestricted',
    title: 'Federated trust lets identities that are not yours assume the role',
    description:
      'For each Allow statement that lets an OpenID Connect provider perform sts:AssumeRoleWithWebIdentity, makes up the ' +
      'tokens a stranger can obtain from the same provider (their own GitHub organization, Terraform Cloud organization, ' +
      'GitLab group, Kubernetes namespace or Cognito identity pool; a subject matching each wildcard pattern of the ' +
      'policy whose tenant part is a wildcard) and evaluates the whole policy for them. For other providers, some subject ' +
      'or audience must be pinned. For sts:AssumeRoleWithSAML, an assertion made for another service provider must be ' +
      'refused (SAML:aud).',
    risk:
      'Providers such as GitHub Actions, GitLab or Terraform Cloud issue tokens to every customer from the same issuer: ' +
      'without a subject condition naming your organization or repository, any of their users can assume the role from a ' +
      'pipeline of their own. A Cognito role without an audience condition accepts identities of every identity pool.',
    severity: 'high',
    remediation:
      'Pin the subject to your own tenant (repo:<org>/<repo>:..., organization:<org>:..., system:serviceaccount:<ns>:<sa>), ' +
      'pin the audience where the provider needs it (cognito-identity.amazonaws.com:aud to your identity pool), and ' +
      'require SAML:aud for SAML providers.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html',
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
      'https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration',
      'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
      'https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html',
    ],
    enabledByDefault: true,
  },
  options: NO_OPTIONS,
  perPolicy: true,
  check(role, ctx): readonly FindingDraft[] {
    const out: FindingDraft[] = [];
    const fixes: (ConditionFix | undefined)[] = [];
    // Same trust policy and role facts, same analysis (the message and location come from this role).
    const accesses = memoised(ctx, role, analyse);
    if (accesses.length === 0) return NO_FINDINGS;
    for (const a of accesses) {
      const rem = remediation(role, a);
      fixes.push(rem.fix);
      const label = statementLabel(a.statementIndex, a.sid);
      const st = role.trustPolicy.statements[a.statementIndex];
      const message =
        a.kind === 'saml'
          ? `Role ${role.name} accepts SAML assertions from ${listText(a.providers)} that were made for other service providers through ${label} (no SAML:aud condition).`
          : `Role ${role.name} can be assumed with ${a.hit.probe.label} from ${a.profile.name} ${listText(a.providers)} through ${label}: the trust does not restrict ${a.profile.id === 'cognito' ? 'the identity pool' : 'the subject to your own tenant'}.`;
      out.push({
        message,
        ...(st?.location ? { location: st.location } : {}),
        statement:
          a.sid !== undefined ? { index: a.statementIndex, sid: a.sid } : { index: a.statementIndex },
        principals: a.principals,
        fingerprintExtra: a.kind,
        evidence: {
          summary:
            a.kind === 'saml'
              ? `No SAML:aud condition in ${label}.`
              : `No condition in ${label} keeps other ${a.profile.name} tenants out.`,
          details: a.details,
          request: exampleOf(a.hit.probe, [], policyKeys(role.trustPolicy.statements)),
          data: {
            statementIndex: a.statementIndex,
            kind: a.kind,
            provider: a.profile.id,
            ...(a.host ? { issuer: a.host } : {}),
            providers: a.providers,
            missingKeys: a.missingKeys,
          },
        },
        remediation: rem.out,
      });
    }
    // One corrected document with every statement fixed, shared by the findings.
    const corrected = sharedCorrection(
      role.trustPolicy.raw,
      fixes,
      addStatementConditions,
      role.trustPolicy.issues,
    );
    if (corrected !== undefined)
      out.forEach((d, i) => {
        if (fixes[i] !== undefined) d.remediation.correctedPolicy = corrected;
      });
    return out;
  },
};
