import { findPublicAccess, type PublicAccess } from '../analysis/public-trust.js';
import { addStatementConditions, type ConditionFix, ORG_PLACEHOLDER } from '../analysis/remediate.js';
import { listText, statementLabel } from '../analysis/render.js';
import { scanTime, type ZoneOfTrust } from '../analysis/zone.js';
import type { FindingDraft, Remediation } from '../findings/types.js';
import { isIacSource, isSymbolic, type JsonLike, type Role } from '../model/types.js';
import { updateTrustPolicyCommand } from '../util/shell-quote.js';
import { NO_OPTIONS, type NoOptions } from './options.js';
import { sharedCorrection } from './policy-findings.js';
import { memoised, NO_FINDINGS, type Rule, type RuleContext } from './types.js';

export type TA003Options = NoOptions;

export { ORG_PLACEHOLDER } from '../analysis/remediate.js';

function isPolicyObject(raw: JsonLike): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !isSymbolic(raw);
}

function remediation(
  role: Role,
  a: PublicAccess,
  zone: ZoneOfTrust,
): { out: Remediation; fix?: ConditionFix } {
  const label = statementLabel(a.statementIndex, a.sid);
  const orgs = [...zone.trustedOrgIds].sort();
  const org = orgs.length === 1 ? (orgs[0] as string) : ORG_PLACEHOLDER;
  const web = a.action !== 'sts:AssumeRole';
  const steps = web
    ? [
        `In ${label}, replace Principal "*" with {"Federated": "<the identity provider ARN or cognito-identity.amazonaws.com>"} and pin its audience and subject (for Cognito: "StringEquals": {"cognito-identity.amazonaws.com:aud": "<IDENTITY-POOL-ID>"}).`,
        `Edit it in the IAM console (Roles, ${role.name}, Trust relationships, Edit trust policy) or with the command below.`,
      ]
    : [
        `Decide who really needs this role. In ${label}, replace Principal "*" with the accounts or roles that need it, or keep "*" and add "StringEquals": {"aws:PrincipalOrgID": "${org}"} so that only accounts of your organization can call.`,
        'An external ID or an MFA condition alone does not make a "*" principal safe: anyone can try, with any account of their own.',
        `Edit it in the IAM console (Roles, ${role.name}, Trust relationships, Edit trust policy) or with the command below, then check CloudTrail for AssumeRole calls from accounts you do not know.`,
      ];
  if (isIacSource(role.source.kind)) {
    steps.push(`Make the same change in ${role.source.location.file} so the next deployment keeps it.`);
  }
  const out: Remediation = {
    summary: web
      ? `Replace Principal "*" in ${label} with a specific identity provider and pin its audience.`
      : `Narrow Principal "*" in ${label} to your accounts (specific principals, or aws:PrincipalOrgID).`,
    steps,
    command: updateTrustPolicyCommand(role.name),
  };
  if (!web && isPolicyObject(role.trustPolicy.raw) && !a.principalValues.includes('NotPrincipal')) {
    const fix: ConditionFix = {
      statementIndex: a.statementIndex,
      principals: { type: 'AWS', values: ['*'] },
      add: [{ operator: 'StringEquals', key: 'aws:PrincipalOrgID', values: [org] }],
      replaceKeys: ['aws:principalorgid'],
    };
    return { out, fix };
  }
  return { out };
}

const analyse = (role: Role, ctx: RuleContext<TA003Options>): PublicAccess[] =>
  findPublicAccess(role, ctx.zone, { now: scanTime(ctx.zone) });

/** `TA003`: anyone may assume the role (`"*"` principal not narrowed to your accounts). */
export const TA003: Rule<TA003Options> = {
  meta: {
    id: 'TA003',
    name: 'public-trust',
    title: 'Anyone can assume the role (public trust policy)',
    description:
      'Reports each Allow statement whose principal is "*" or {"AWS": "*"} (or a NotPrincipal) that lets a caller from ' +
      'an account outside your zone of trust perform sts:AssumeRole, or that lets any web identity perform ' +
      'sts:AssumeRoleWithWebIdentity. The whole policy is evaluated; conditions that narrow the caller to your accounts ' +
      '(aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalOrgPaths naming the owner, trusted ' +
      'accounts or trusted organizations) make it private. An external ID or MFA does not.',
    risk:
      'A role anyone can assume gives its permissions to every AWS customer who finds its ARN; role ARNs are not secret ' +
      '(they appear in logs, error messages and templates, and account ids can be enumerated). An external ID or an MFA ' +
      'requirement does not change this: an ID is not protected by AWS and anyone can create an MFA device.',
    severity: 'critical',
    remediation:
      'Replace "*" with the specific accounts or roles that need the role, or add "StringEquals": {"aws:PrincipalOrgID": ' +
      '"<your organization>"}; for web identity, name the identity provider and pin its audience and subject.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc_cognito.html',
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
      const rem = remediation(role, a, ctx.zone);
      fixes.push(rem.fix);
      const label = statementLabel(a.statementIndex, a.sid);
      const st = role.trustPolicy.statements[a.statementIndex];
      const who =
        a.action !== 'sts:AssumeRole'
          ? 'anyone with a web identity token'
          : a.reach === 'organization'
            ? `any account of organization ${listText(a.organizations)}`
            : a.accountPattern
              ? `any of the ${a.accountPattern.size} matching "${a.accountPattern.pattern}"`
              : 'any AWS account';
      const caveat = [
        a.presentedExternalId ? 'external ID' : undefined,
        a.presentedMfa ? 'MFA' : undefined,
      ].filter((x): x is string => x !== undefined);
      out.push({
        message: `Role ${role.name} can be assumed by ${who} through ${label}${
          caveat.length > 0
            ? ` (the ${listText(caveat)} condition${caveat.length > 1 ? 's only make' : ' only makes'} callers present ${caveat.length > 1 ? 'them' : 'it'}; anyone can try)`
            : ''
        }.`,
        ...(st?.location ? { location: st.location } : {}),
        statement:
          a.sid !== undefined ? { index: a.statementIndex, sid: a.sid } : { index: a.statementIndex },
        principals: a.principals,
        ...(a.reach === 'organization' ? { severity: 'high' as const } : {}),
        evidence: {
          summary: `Principal ${listText(a.principalValues.map((p) => `"${p}"`))} in ${label} is not narrowed to your accounts.`,
          details: a.details,
          request: a.request,
          ownerKnown: a.ownerKnown,
          data: {
            statementIndex: a.statementIndex,
            reach: a.reach,
            organizations: a.organizations,
            action: a.action,
            externalIdIsNoBarrier: a.presentedExternalId,
            mfaIsNoBarrier: a.presentedMfa,
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
