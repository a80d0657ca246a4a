import { exampleOf, policyKeys } from '../analysis/probe.js';
import { addStatementConditions, type ConditionFix } from '../analysis/remediate.js';
import { listText, statementLabel } from '../analysis/render.js';
import { findServiceAccess, type ServiceAccess, SOURCE_KEYS } from '../analysis/service-source.js';
import { SERVICES_WITHOUT_SOURCE_KEYS, serviceKey } from '../data/services-without-source-keys.js';
import type { FindingDraft, Remediation } from '../findings/types.js';
import {
  DEPLOYING_ACCOUNT,
  isIacSource,
  isSymbolic,
  type JsonLike,
  type Role,
  type SourceKind,
} from '../model/types.js';
import { updateTrustPolicyCommand } from '../util/shell-quote.js';
import type { RuleOptions } from './options.js';
import { draftsFor, type PolicyFindingParts, sharedCorrection } from './policy-findings.js';
import { memoised, type Rule, type RuleContext } from './types.js';

export interface TA002Options {
  /**
   * More service principals (`states.amazonaws.com`, or just `states`) not to report, added to the
   * built-in list of services that send no source keys.
   */
  exemptServices: string[];
  /**
   * Services of the built-in list to report all the same (`lambda`, when your execution roles pin
   * `aws:SourceAccount` and you want the rule to keep it that way).
   */
  reportServices: string[];
}

const options: RuleOptions<TA002Options> = {
  defaults: Object.freeze({ exemptServices: [], reportServices: [] }),
  schema: (z) =>
    z
      .object({
        exemptServices: z.array(z.string().min(1)).default([]),
        reportServices: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .superRefine((o, ctx) => {
        const report = new Set(o.reportServices.map(serviceKey));
        const both = o.exemptServices.filter((s) => report.has(serviceKey(s)));
        if (both.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: ['reportServices'],
            message: `${both.join(', ')} cannot be both exempt and reported`,
          });
        }
      }),
};

/** What findings put where the role's own account id goes when it is not known. */
export const ACCOUNT_PLACEHOLDER = '<YOUR-ACCOUNT-ID>';

function isPolicyObject(raw: JsonLike): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !isSymbolic(raw);
}

interface Prepared extends PolicyFindingParts {
  /** Steps that do not depend on where the role is defined. */
  steps: string[];
  /** The change to this statement; `analyse` applies the fixes of every statement at once. */
  fix?: ConditionFix;
}

function ownerOf(role: Role): string {
  return role.account && role.account !== DEPLOYING_ACCOUNT ? role.account : ACCOUNT_PLACEHOLDER;
}

function prepare(role: Role, a: ServiceAccess): Prepared {
  const label = statementLabel(a.statementIndex, a.sid);
  // The role's account is part of the memo key (ctx.policyKey), so it may be used here.
  const owner = ownerOf(role);
  const services = listText(a.services);
  const p: Prepared = {
    tail: `lets ${services} assume it on behalf of resources of any account through ${label}: no aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:SourceOrgPaths condition pins the source to your accounts.`,
    statement: a.sid !== undefined ? { index: a.statementIndex, sid: a.sid } : { index: a.statementIndex },
    principals: a.principals,
    evidence: {
      summary: `No effective source condition applies to ${services} in ${label}.`,
      details: a.details,
      request: exampleOf(a.hit.probe, [...SOURCE_KEYS], policyKeys(role.trustPolicy.statements)),
      ownerKnown: a.ownerKnown,
      data: {
        statementIndex: a.statementIndex,
        services: a.services,
        sourceAccounts: a.sourceAccounts,
        sourceKeys: [...SOURCE_KEYS],
      },
    },
    summary: `Require aws:SourceAccount (or aws:SourceArn) to name your own account in ${label} for ${services}.`,
    steps: [
      `Find out which of your resources ${services} acts for with this role (a state machine, a delivery stream, a project...).`,
      `In ${label}, add "StringEquals": {"aws:SourceAccount": "${owner}"} for ${listText(a.services.map((s) => `"${s}"`))}` +
        ' (or "ArnLike": {"aws:SourceArn": "<the resource ARN>"} to pin the exact resource); the corrected policy below keeps every other principal as it was.',
      'Check the service\'s documentation (its "confused deputy prevention" section) that it sends these keys when it assumes the role; if it does not, the condition locks the service out: list it in the rule\'s exemptServices option instead.',
    ],
  };
  const raw = role.trustPolicy.raw;
  if (isPolicyObject(raw)) {
    const fix: ConditionFix = {
      statementIndex: a.statementIndex,
      principals: { type: 'Service', values: a.services },
      add: [{ operator: 'StringEquals', key: 'aws:SourceAccount', values: [owner] }],
      replaceKeys: ['aws:sourceaccount'],
    };
    p.fix = fix;
  }
  return p;
}

function remediation(role: Role, p: Prepared): Remediation {
  const iac = isIacSource(role.source.kind);
  const steps = iac
    ? [
        ...p.steps,
        `Make the change in ${role.source.location.file}; there the account is usually written as ${ownAccountExpression(role.source.kind)}.`,
      ]
    : // Shared by the findings of every role with this policy: reporters only read it.
      p.steps;
  const out: Remediation = {
    summary: p.summary,
    steps,
    command: updateTrustPolicyCommand(role.name),
  };
  if (p.correctedPolicy !== undefined) out.correctedPolicy = p.correctedPolicy;
  return out;
}

/** Where the run's set of exempt services is kept in the rule's memo (policy keys are numbers). */
const EXEMPT = 'exempt-services';

/** The built-in exempt services (less `reportServices`) and the configured ones, as service keys: one Set per run. */
function exemptSet(ctx: RuleContext<TA002Options>): ReadonlySet<string> {
  let set = ctx.memo.get(EXEMPT) as ReadonlySet<string> | undefined;
  if (!set) {
    const reported = new Set(ctx.options.reportServices.map(serviceKey));
    set = new Set([
      ...SERVICES_WITHOUT_SOURCE_KEYS.map((e) => serviceKey(e.service)).filter((k) => !reported.has(k)),
      ...ctx.options.exemptServices.map(serviceKey),
    ]);
    ctx.memo.set(EXEMPT, set);
  }
  return set;
}

function analyse(role: Role, ctx: RuleContext<TA002Options>): Prepared[] {
  const exempt = exemptSet(ctx);
  const parts = findServiceAccess(role, ctx.zone, (s) => exempt.has(serviceKey(s))).map((a) =>
    prepare(role, a),
  );
  // One corrected document with every statement fixed, shared by the findings (and by the roles with
  // this document: reporters only read it).
  const corrected = sharedCorrection(
    role.trustPolicy.raw,
    parts.map((p) => p.fix),
    addStatementConditions,
    role.trustPolicy.issues,
  );
  if (corrected !== undefined) for (const p of parts) if (p.fix !== undefined) p.correctedPolicy = corrected;
  return parts;
}

/** `TA002`: a service principal can assume the role while acting for another account's resource. */
export const TA002: Rule<TA002Options> = {
  meta: {
    id: 'TA002',
    name: 'service-trust-without-source-condition',
    title: 'AWS service can assume the role on behalf of any account (no source condition)',
    description:
      'For each Allow statement that lets an AWS service principal perform sts:AssumeRole, evaluates the whole trust ' +
      'policy for the service acting on behalf of a resource in an account that is not yours (aws:SourceAccount, ' +
      'aws:SourceArn, aws:SourceOrgID and aws:SourceOrgPaths of a stranger, of each wildcard pattern in the policy, and ' +
      'no source keys at all). Reports the statement when such a request is allowed. Service-linked roles and services ' +
      'that send no source keys when they assume a role (EC2 instance profiles, Lambda execution roles and others, see ' +
      'the rule documentation) are not reported.',
    risk:
      'A service that works for many customers can be steered by one customer into using a role of another (the ' +
      'cross-service confused deputy): whoever configures the service with your role ARN may get it to act in your ' +
      'account. Pinning the source account, resource or organization makes the service prove on whose behalf it acts.',
    severity: 'low',
    remediation:
      'Add "StringEquals": {"aws:SourceAccount": "<your account>"} (or ArnLike aws:SourceArn on the exact resource, or ' +
      'aws:SourceOrgID for an organization-wide role) to the statement, without IfExists and without wildcard-only ' +
      'values, after checking that the service sends the key. Each finding carries a corrected trust policy.',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html#cross-service-confused-deputy-prevention',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcearn',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html',
    ],
    enabledByDefault: true,
  },
  options,
  perPolicy: true,
  check(role, ctx): readonly FindingDraft[] {
    // Same trust policy and role facts, same analysis; the message, location and the steps that name
    // the role come from this role.
    return draftsFor(role, memoised(ctx, role, analyse), remediation);
  },
};

/** How a template of this kind usually writes its own account id. */
function ownAccountExpression(kind: SourceKind): string {
  switch (kind) {
    case 'cloudformation':
    case 'serverless-resource':
      return '!Ref AWS::AccountId';
    case 'terraform':
    case 'terraform-plan':
      return 'data.aws_caller_identity.current.account_id';
    case 'ansible-task':
      return 'the account from amazon.aws.aws_caller_info';
    case 'pulumi-yaml':
    case 'pulumi-state':
      return 'the account from aws:getCallerIdentity';
    default:
      return 'the account id of the deployment';
  }
}
