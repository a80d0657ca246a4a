import { createTwoFilesPatch } from 'diff';
import { correctTrustPolicy, type TrustFix } from '../analysis/remediate.js';
import { decodePolicyText } from '../model/decode.js';
import type { JsonLike } from '../model/types.js';
import { neutraliseLine } from '../util/neutralise.js';
import { shellQuote } from '../util/shell-quote.js';
import type { IdSource } from './ids.js';
import { type Narrowing, narrowWildcard } from './narrow.js';
import type { FixPrincipal, FixTarget, ObservedUsage, PlannedId, Requirement, RolePlan } from './types.js';

export interface PlanOptions {
  requirement: Requirement;
  /** Chooses each third party's external id (an `ExternalIdPolicy`, or an `ExternalIdBook`). */
  externalIds: IdSource;
  /** `--narrow-to`: the accounts or organization ids a wildcard principal is narrowed to. */
  narrowTo?: Narrowing;
  /** Accounts given an id with `--external-id ACCOUNT=ID`: never switched to MFA. */
  explicitIdAccounts?: ReadonlySet<string>;
}

/** A role `fix` will not change, and why (one sentence the user can act on). */
export class RoleSkipped extends Error {}

/** Parse a trust document as AWS returned it (URL-encoded or raw JSON). */
export function readDocument(raw: string): JsonLike {
  const d = decodePolicyText(raw);
  if (!d.ok) throw new Error(`the current trust policy cannot be read: ${d.reason}`);
  return d.value as JsonLike;
}

/**
 * People switching roles in the console cannot send an external id: a group of principals is taken
 * for people when every principal is an IAM user, or when every call CloudTrail saw from the account
 * sent an MFA device (docs/fix.md#people).
 */
export function looksHuman(principals: readonly FixPrincipal[], usage: ObservedUsage | undefined): boolean {
  if (
    principals.length > 0 &&
    principals.every((p) => p.kind === 'user' || /^arn:[^:]+:iam::\d{12}:user\//.test(p.value))
  )
    return true;
  return usage !== undefined && usage.calls > 0 && usage.callsWithMfa === usage.calls;
}

/**
 * The corrected trust policy of one role. Principals of different third-party accounts in one statement
 * are split apart so each account gets its own external id; fixes run from the last statement to the
 * first so that splitting never moves a statement still to be fixed. A wildcard principal is narrowed
 * (`--narrow-to`), never given an id. Throws `RoleSkipped` when the role cannot be fixed as asked.
 */
export function planRoleFix(target: FixTarget, currentRaw: string, opts: PlanOptions): RolePlan {
  const current = readDocument(currentRaw);
  const wantsId = opts.requirement !== 'mfa';
  const wantsMfa = opts.requirement !== 'external-id';
  const used = new Map<string, PlannedId>();
  const notes: string[] = [];
  const mfaInstead: string[] = [];
  const usageOf = new Map((target.usage ?? []).map((u) => [u.account, u]));
  let narrowed = false;
  let corrected = current;
  const statements = [...target.statements].sort((a, b) => b.statementIndex - a.statementIndex);
  for (const st of statements) {
    const wild = st.principals.filter((p) => p.wildcard);
    const named = st.principals.filter((p) => !p.wildcard);
    if (wild.length > 0) {
      if (!opts.narrowTo)
        throw new RoleSkipped(
          `statement ${st.statementIndex} lets any AWS account in (${wild.map((p) => p.value).join(', ')}); an external id or MFA does not close that (anyone can send an id or use an MFA device of their own): narrow it with --narrow-to ACCOUNT or --narrow-to o-ORGID`,
        );
      corrected = narrowWildcard(corrected, st.statementIndex, wild, opts.narrowTo);
      narrowed = true;
    }
    // Group principals by account; principals of unknown account share one group (and one id).
    const groups = new Map<string, FixPrincipal[]>();
    for (const p of named) {
      const key = p.account ?? '';
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    for (const [account, principals] of [...groups].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))) {
      const fix: TrustFix = { statementIndex: st.statementIndex, principals: principals.map((p) => p.value) };
      // Principals whose account cannot be told (e.g. a unique id) share one id, listed under their names.
      const key = account || `unknown account: ${fix.principals.join(', ')}`;
      const usage = account ? usageOf.get(account) : undefined;
      const human =
        wantsId && account !== '' && !opts.explicitIdAccounts?.has(account) && looksHuman(principals, usage);
      if (wantsId && !human) {
        const d = opts.externalIds.decide(key, usage);
        if (!d.ok) throw new RoleSkipped(d.reason);
        fix.externalId = d.id.externalId;
        used.set(key, d.id);
        notes.push(...d.notes);
      }
      if (human) {
        mfaInstead.push(account);
        notes.push(
          `${account}: people switching roles in the console cannot send an external id, so MFA is required of them instead`,
        );
      }
      if (wantsMfa || human) fix.requireMfa = true;
      corrected = correctTrustPolicy(corrected, [fix]);
    }
  }
  const correctedText = JSON.stringify(corrected);
  return {
    roleName: target.roleName,
    ...(target.arn ? { arn: target.arn } : {}),
    ...(target.account ? { account: target.account } : {}),
    currentRaw,
    current,
    corrected,
    correctedText,
    externalIds: [...used.values()].sort((a, b) => a.account.localeCompare(b.account)),
    ...(mfaInstead.length ? { mfaInstead: [...new Set(mfaInstead)].sort() } : {}),
    ...(narrowed && opts.narrowTo ? { narrowedTo: opts.narrowTo.values } : {}),
    ...(notes.length ? { notes: [...new Set(notes)] } : {}),
    diff: trustDiff(target.roleName, current, corrected),
    command: updateCommand(target.roleName, correctedText, target.account),
  };
}

/** A unified diff of two documents pretty-printed with two-space indentation. */
export function trustDiff(roleName: string, before: JsonLike, after: JsonLike): string {
  return createTwoFilesPatch(
    `${roleName} (current)`,
    `${roleName} (corrected)`,
    `${JSON.stringify(before, null, 2)}\n`,
    `${JSON.stringify(after, null, 2)}\n`,
    undefined,
    undefined,
    { context: 3 },
  );
}

/** Quoting for a POSIX shell (the one helper every printed command uses). */
export { shellQuote } from '../util/shell-quote.js';

/** `aws iam update-assume-role-policy --role-name R --policy-document '{...}'` */
export function updateCommand(roleName: string, documentText: string, account?: string): string {
  const cmd = `aws iam update-assume-role-policy --role-name ${shellQuote(roleName)} --policy-document ${shellQuote(documentText)}`;
  // The comment is one line whatever the account field of a report holds.
  return account ? `# in account ${neutraliseLine(account)}\n${cmd}` : cmd;
}
