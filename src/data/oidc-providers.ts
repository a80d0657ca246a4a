/**
 * What TA004 knows about OpenID Connect identity providers: which token claim names the tenant (the
 * GitHub organization, Terraform Cloud organization, GitLab group, Kubernetes namespace...), which
 * subjects an attacker with their own tenant can obtain, and whether the audience is chosen by the
 * caller (then it keeps nobody out) or names the relying party (then it must be pinned).
 */

/** The marker every made-up tenant, repository, namespace or pool contains. */
export const PROBE = 'trustaudit-probe';

export interface OidcProviderProfile {
  /** Stable id used in evidence data. */
  id: string;
  name: string;
  /** Whether `host` (issuer URL without `https://`, lower-cased) is this provider. */
  matches(host: string): boolean;
  /**
   * Subjects (`<host>:sub`) an attacker can obtain from the provider with a tenant of their own. Empty:
   * the subject does not separate tenants (Cognito) and is left to the caller.
   */
  attackerSubjects: string[];
  /** Replacements for `*` when deriving subjects from the policy's patterns. */
  wildcardFills: string[];
  /** The tenant a subject belongs to; undefined when the subject is not of the provider's form. */
  tenantOf?(sub: string): string | undefined;
  /** The caller chooses the audience (a workflow, job or pod asks for any value): it keeps nobody out. */
  audienceChosenByCaller: boolean;
  /** The audience names the relying party (a pool or app id) and must be pinned. */
  audienceRequired: boolean;
  /** The audience value the provider's documentation recommends pinning. */
  recommendedAudience?: string;
  /** How to write a subject restricted to your own tenant, for the remediation. */
  subjectExample?: string;
  /** Documentation of the provider's trust policy conditions. */
  docs: string;
}

function tenantBy(re: RegExp): (sub: string) => string | undefined {
  return (sub) => re.exec(sub)?.[1];
}

export const OIDC_PROVIDERS: readonly OidcProviderProfile[] = [
  {
    id: 'github-actions',
    name: 'GitHub Actions',
    matches: (h) => h === 'token.actions.githubusercontent.com',
    attackerSubjects: [
      `repo:${PROBE}/${PROBE}:ref:refs/heads/main`,
      `repo:${PROBE}/${PROBE}:pull_request`,
      `repo:${PROBE}/${PROBE}:environment:production`,
    ],
    wildcardFills: [
      PROBE,
      `${PROBE}/${PROBE}:ref:refs/heads/main`,
      `repo:${PROBE}/${PROBE}:ref:refs/heads/main`,
    ],
    // Default subjects `repo:OWNER/REPO:...`; customised ones may lead with the owner claims instead.
    tenantOf: (sub) =>
      /^repo:([^/:]+)\/[^/:]+(:|$)/.exec(sub)?.[1] ?? /^repository_owner(?:_id)?:([^:]+):/.exec(sub)?.[1],
    audienceChosenByCaller: true,
    audienceRequired: false,
    recommendedAudience: 'sts.amazonaws.com',
    subjectExample: 'repo:<OWNER>/<REPO>:ref:refs/heads/main',
    docs: 'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
  },
  {
    id: 'terraform-cloud',
    name: 'HCP Terraform (Terraform Cloud)',
    matches: (h) => h === 'app.terraform.io',
    attackerSubjects: [`organization:${PROBE}:project:${PROBE}:workspace:${PROBE}:run_phase:apply`],
    wildcardFills: [PROBE, `${PROBE}:project:${PROBE}:workspace:${PROBE}:run_phase:apply`],
    tenantOf: tenantBy(/^organization:([^:]+):/),
    audienceChosenByCaller: true,
    audienceRequired: false,
    recommendedAudience: 'aws.workload.identity',
    subjectExample: 'organization:<ORG>:project:<PROJECT>:workspace:<WORKSPACE>:run_phase:*',
    docs: 'https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration',
  },
  {
    id: 'gitlab',
    name: 'GitLab CI/CD',
    matches: (h) => h === 'gitlab.com',
    attackerSubjects: [`project_path:${PROBE}/${PROBE}:ref_type:branch:ref:main`],
    wildcardFills: [PROBE, `${PROBE}/${PROBE}:ref_type:branch:ref:main`],
    tenantOf: tenantBy(/^project_path:([^/:]+)\//),
    audienceChosenByCaller: true,
    audienceRequired: false,
    subjectExample: 'project_path:<GROUP>/<PROJECT>:ref_type:branch:ref:main',
    docs: 'https://docs.gitlab.com/ci/cloud_services/aws/',
  },
  {
    id: 'eks',
    name: 'Amazon EKS service accounts (IRSA)',
    matches: (h) => /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[0-9a-z]+$/.test(h),
    attackerSubjects: [`system:serviceaccount:${PROBE}:${PROBE}`],
    wildcardFills: [PROBE, `${PROBE}:${PROBE}`],
    // The cluster is yours; the tenant that must be pinned is the namespace.
    tenantOf: tenantBy(/^system:serviceaccount:([^:]+):[^:]+$/),
    audienceChosenByCaller: true,
    audienceRequired: false,
    recommendedAudience: 'sts.amazonaws.com',
    subjectExample: 'system:serviceaccount:<NAMESPACE>:<SERVICE-ACCOUNT>',
    docs: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    id: 'cognito',
    name: 'Amazon Cognito identity pools',
    matches: (h) => h === 'cognito-identity.amazonaws.com',
    attackerSubjects: [],
    wildcardFills: [],
    audienceChosenByCaller: false,
    audienceRequired: true,
    docs: 'https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html',
  },
];

/** Any other provider: the subject or the audience must be pinned to something. */
export const GENERIC_PROVIDER: OidcProviderProfile = {
  id: 'generic',
  name: 'OpenID Connect provider',
  matches: () => true,
  attackerSubjects: [PROBE],
  wildcardFills: [],
  audienceChosenByCaller: false,
  audienceRequired: false,
  docs: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html',
};

export function providerProfile(host: string | undefined): OidcProviderProfile {
  if (host === undefined) return GENERIC_PROVIDER;
  return OIDC_PROVIDERS.find((p) => p.matches(host)) ?? GENERIC_PROVIDER;
}
