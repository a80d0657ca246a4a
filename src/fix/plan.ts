import { createTwoFilesPatch } from 'diff';
import { correctTrustPolicy, type TrustFix } from '../analysis/remediate.js';
import { decodePolicyText } from '../model/decode.js';
import type { JsonLike } from '../model/types.js';
import { neutraliseLine } from '../util/neutralise.js';
import { shellQuote } from '../util/shell-quote.js';
import type { ExternalIdBook } from './external-id.js';
import type { FixTarget, Requirement, RolePlan } from './types.js';

export interface PlanOptions {
  requirement: Requirement;
  externalIds: ExternalIdBook;
}

/** Parse a trust document as AWS returned it (URL-encoded or raw JSON). */
export function readDocument(raw: string): JsonLike {
  const d = decodePolicyText(raw);
  if (!d.ok) throw new Error(`the current trust policy cannot be read: ${d.reason}`);
  return d.value as JsonLike;
}

/**
 * The corrected trust policy of one role. Principals of different third-party accounts in one statement
 * are split apart so each account gets its own external id; fixes run from the last statement to the
 * first so that splitting never moves a statement still to be fixed.
 */
export function planRoleFix(target: FixTarget, currentRaw: string, opts: PlanOptions): RolePlan {
  const current = readDocument(currentRaw);
  const wantsId = opts.requirement !== 'mfa';
  const wantsMfa = opts.requirement !== 'external-id';
  const used = new Map<string, { externalId: string; generated: boolean }>();
  let corrected = current;
  const statements = [...target.statements].sort((a, b) => b.statementIndex - a.statementIndex);
  for (const st of statements) {
    // Group principals by account; principals of unknown account share one group (and one id).
    const groups = new Map<string, string[]>();
    for (const p of st.principals) {
      const key = p.account ?? '';
      groups.set(key, [...(groups.get(key) ?? []), p.value]);
    }
    for (const [account, principals] of [...groups].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))) {
      const fix: TrustFix = { statementIndex: st.statementIndex, principals };
      if (wantsId) {
        // Principals whose account cannot be told (e.g. a unique id) share one id, listed under their names.
        const key = account || `unknown account: ${principals.join(', ')}`;
        const idFor = opts.externalIds.for(key);
        fix.externalId = idFor.externalId;
        used.set(key, idFor);
      }
      if (wantsMfa) fix.requireMfa = true;
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
    externalIds: [...used]
      .map(([account, e]) => ({ account, ...e }))
      .sort((a, b) => a.account.localeCompare(b.account)),
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
