import type { TrustedAccount, ZoneOfTrust } from '../analysis/zone.js';
import type { ConfigSuppression } from '../config/schema.js';
import type { RuleSetting } from '../rules/engine.js';
import { runScan } from '../scan/run.js';
import { roleFromIam } from '../sources/aws/roles.js';

/** What a re-scan of one role found: one line per unsuppressed finding (`TA001: title`). */
export type Verifier = (
  role: { roleName: string; arn?: string; account?: string },
  documentText: string,
) => Promise<string[]>;

export interface VerifySettings {
  zone: ZoneOfTrust;
  ruleSettings: ReadonlyMap<string, RuleSetting>;
  suppressions: readonly ConfigSuppression[];
  cwd: string;
}

/**
 * Re-scan one role's trust document with the rules, rule settings, suppressions and zone of trust of the
 * scan `fix` started from. Used before apply (does the new policy still have a finding?) and after it,
 * on the document read back from IAM: a role is only called fixed when this finds nothing.
 */
export function createVerifier(s: VerifySettings): Verifier {
  return async (role, documentText) => {
    const account = role.account ?? role.arn?.split(':')[4] ?? s.zone.defaultOwner ?? '000000000000';
    const built = roleFromIam(
      {
        RoleName: role.roleName,
        Arn: role.arn ?? `arn:aws:iam::${account}:role/${role.roleName}`,
        Path: role.arn ? pathOf(role.arn) : '/',
        AssumeRolePolicyDocument: documentText,
        RoleId: undefined,
        CreateDate: undefined,
      },
      account,
    );
    if (!built.role) return built.errors.map((e) => `unreadable: ${e.message}`);
    const trusted: TrustedAccount[] = [...s.zone.trusted.values()];
    const result = await runScan({
      paths: [],
      cwd: s.cwd,
      zone: s.zone,
      ruleSettings: s.ruleSettings,
      suppressions: s.suppressions,
      providers: [async () => ({ roles: [built.role!], errors: built.errors, trusted })],
    });
    return [
      ...result.errors.map((e) => `unreadable: ${e.message}`),
      ...result.findings.filter((f) => !f.suppressed).map((f) => `${f.ruleId}: ${f.title}`),
    ];
  };
}

function pathOf(arn: string): string {
  const rest = arn.split(':role')[1] ?? '/';
  const cut = rest.lastIndexOf('/');
  return cut <= 0 ? '/' : rest.slice(0, cut + 1);
}
