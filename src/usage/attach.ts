/** Puts the usage evidence on each finding (`evidence.usage`). */
import type { Finding } from '../findings/types.js';
import type { Role } from '../model/types.js';
import type { Report } from '../reporters/types.js';
import type { UsageCollector } from './aggregate.js';
import { roleKeyOf } from './events.js';
import { roleLastUsedOf } from './last-used.js';
import type { RoleLastUsed, UnreadScope, UsageEvidence } from './types.js';

export const NO_PROOF_CAVEAT =
  'No events is never proof of no use: the logs read may miss Regions, accounts or days (a trail that was off, a window shorter than the use, LookupEvents keeps 90 days), and some STS requests are not recorded in the role owner’s account. See docs/usage.md.';

export interface UsageRun {
  /** Undefined when no CloudTrail was read (RoleLastUsed only). */
  collector?: UsageCollector;
  sources: string[];
  /** RoleLastUsed fetched after the scan (GetRole for roles with findings), by role ARN; wins over the role's own. */
  lastUsed?: ReadonlyMap<string, RoleLastUsed>;
  /** Account and Region pairs whose LookupEvents failed. */
  unread?: readonly UnreadScope[];
}

/** Kinds of principal that name (or may be) another AWS account. */
const ACCOUNT_KINDS = new Set<string>(['account', 'user', 'role', 'assumed-role', 'federated-user']);

function roleIndex(roles: readonly Role[]): Map<string, Role> {
  const m = new Map<string, Role>();
  for (const r of roles) {
    if (!m.has(r.id)) m.set(r.id, r);
    if (r.arn && !m.has(r.arn)) m.set(r.arn, r);
  }
  return m;
}

function thirdPartyAccounts(f: Finding, owner: string, callers: string[]): string[] {
  const out = new Set<string>();
  let open = false;
  for (const p of f.principals) {
    if (p.kind === 'wildcard') open = true;
    else if (p.account && ACCOUNT_KINDS.has(p.kind) && p.account !== owner) out.add(p.account);
  }
  // `Principal: "*"`: whoever was seen calling, except the owner, is a third party.
  if (open) for (const c of callers) if (c !== owner) out.add(c);
  return [...out].sort();
}

function lastUsedNote(lastUsed: RoleLastUsed | undefined): string | undefined {
  if (!lastUsed) return undefined;
  if (lastUsed.lastUsedDate === null)
    return 'IAM has no record of this role being used (RoleLastUsed is empty): its third-party principals are candidates for removal rather than for an external id.';
  return `IAM last saw the role used on ${lastUsed.lastUsedDate}${lastUsed.region ? ` in ${lastUsed.region}` : ''}.`;
}

/** The usage evidence of one finding, or undefined when there is nothing to say. */
export function usageFor(f: Finding, role: Role | undefined, run: UsageRun): UsageEvidence | undefined {
  const fetched = role ? run.lastUsed?.get(role.arn ?? role.id) : undefined;
  const lastUsed = fetched ?? (role ? roleLastUsedOf(role) : undefined);
  const arnKey = role?.arn ? roleKeyOf(role.arn) : undefined;
  const owner = arnKey?.account ?? role?.account ?? f.resource.account;
  const name = arnKey?.name ?? role?.name ?? f.resource.name;
  const c = run.collector;
  if (!c && !lastUsed) return undefined;
  // Logs of other accounts only: silence about this role is no evidence at all, so no verdict.
  const covered = c && owner && c.accounts.size > 0 ? c.accounts.has(owner) : undefined;
  const notes = [lastUsedNote(lastUsed)];
  if (covered === false)
    notes.push(
      `The CloudTrail read holds no log of the role's account ${owner}, only of ${[...c!.accounts].sort().join(', ')}: no verdict is given.`,
    );
  const note = notes.filter(Boolean).join(' ');
  const gap = c && owner ? c.gapFor(owner, name, lastUsed, run.unread) : undefined;
  const ev: UsageEvidence = {
    ...(c
      ? {
          window: {
            days: c.window.days,
            from: new Date(c.window.from).toISOString(),
            to: new Date(c.window.to).toISOString(),
          },
        }
      : {}),
    sources: run.sources,
    ...(lastUsed ? { roleLastUsed: lastUsed } : {}),
    thirdParties:
      c && owner && covered !== false
        ? thirdPartyAccounts(f, owner, c.callersOf(owner, name)).map((a) =>
            c.usageOf(owner, name, a, lastUsed, gap),
          )
        : [],
    ...(note ? { note } : {}),
    ...(gap ? { notRead: gap } : {}),
    ...(covered !== undefined ? { ownerAccountInLogs: covered } : {}),
    caveat: NO_PROOF_CAVEAT,
  };
  return ev;
}

/** The report with `evidence.usage` on every finding there is usage evidence for. */
export function attachUsage(report: Report, roles: readonly Role[], run: UsageRun): Report {
  const index = roleIndex(roles);
  let changed = false;
  const findings = report.findings.map((f) => {
    const role = index.get(f.resource.id) ?? (f.resource.arn ? index.get(f.resource.arn) : undefined);
    const usage = usageFor(f, role, run);
    if (!usage) return f;
    changed = true;
    return { ...f, evidence: { ...f.evidence, usage } };
  });
  return changed ? { ...report, findings } : report;
}
