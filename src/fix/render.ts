import pc from 'picocolors';
import { neutraliseLine, neutraliseText } from '../util/neutralise.js';
import { shellCommand } from '../util/shell-quote.js';
import type { ApplyResult } from './apply.js';
import type { PlannedId, Requirement, RolePlan } from './types.js';

/** IAM's default size quota for a role trust policy, in characters without whitespace. */
export const TRUST_POLICY_DEFAULT_QUOTA = 2048;

export function label(p: { roleName: string; account?: string }): string {
  return p.account ? `${p.roleName} (account ${p.account})` : p.roleName;
}

/** Red removed lines, green added lines, cyan hunk headers. */
export function colorDiff(diff: string): string {
  return diff
    .split('\n')
    .map((l) =>
      l.startsWith('+++') || l.startsWith('---')
        ? pc.bold(l)
        : l.startsWith('+')
          ? pc.green(l)
          : l.startsWith('-')
            ? pc.red(l)
            : l.startsWith('@@')
              ? pc.cyan(l)
              : l,
    )
    .join('\n');
}

const ORIGIN_NOTE: Record<PlannedId['origin'], (e: PlannedId) => string> = {
  generated: () => '  (generated)',
  given: () => '',
  observed: () => '  (observed: every call in the usage window sent it)',
  'vendor-issued': (e) => `  (vendor-issued${e.vendor ? `, ${e.vendor}` : ''})`,
};

/** One role: what it requires, notes, the diff and the equivalent AWS CLI command. */
export function renderPlan(p: RolePlan, opts: { require: Requirement; color?: boolean }): string {
  const lines: string[] = [];
  lines.push(neutraliseLine(`Role ${label(p)}${p.arn ? ` — ${p.arn}` : ''}`));
  lines.push(
    neutraliseLine(
      `  requires: ${opts.require}${p.externalIds.length ? ` (external id for ${p.externalIds.map((e) => e.account).join(', ')})` : ''}`,
    ),
  );
  if (p.mfaInstead?.length)
    lines.push(neutraliseLine(`  MFA instead of an external id for: ${p.mfaInstead.join(', ')}`));
  if (p.narrowedTo?.length) lines.push(neutraliseLine(`  wildcard narrowed to: ${p.narrowedTo.join(', ')}`));
  for (const n of p.notes ?? []) lines.push(neutraliseLine(`  note: ${n}`));
  const size = p.correctedText.replace(/\s/g, '').length;
  if (size > TRUST_POLICY_DEFAULT_QUOTA) {
    lines.push(
      `  note: the corrected policy has ${size} characters (whitespace excluded), over the default trust policy quota of ${TRUST_POLICY_DEFAULT_QUOTA}; AWS will refuse it unless the quota was raised`,
    );
  }
  lines.push('');
  const diff = neutraliseText(p.diff.trimEnd());
  lines.push(opts.color ? colorDiff(diff) : diff);
  lines.push('');
  lines.push('Equivalent AWS CLI command:');
  lines.push(neutraliseText(p.command));
  lines.push('');
  return `${lines.join('\n')}\n`;
}

export function renderPlans(
  plans: readonly RolePlan[],
  opts: { require: Requirement; color?: boolean },
): string {
  return plans.map((p) => renderPlan(p, opts)).join('');
}

/** Each third party's external id, once, with where it came from and what must happen before apply. */
export function renderExternalIds(plans: readonly RolePlan[], opts: { require: Requirement }): string {
  const ids = new Map<string, PlannedId>();
  for (const p of plans) for (const e of p.externalIds) ids.set(`${e.account}\u0000${e.externalId}`, e);
  const list = [...ids.values()].sort((a, b) => a.account.localeCompare(b.account));
  const lines: string[] = [];
  if (list.length > 0) {
    lines.push('External ids (one per third-party account):');
    for (const e of list) lines.push(`  ${e.account}  ${e.externalId}${ORIGIN_NOTE[e.origin](e)}`);
    lines.push('');
    const toHandOver = list.filter((e) => e.origin === 'generated' || e.origin === 'given');
    if (toHandOver.length > 0) {
      lines.push(
        'Give each third party its external id BEFORE the change is applied, and have them configure it: from then on',
      );
      lines.push(
        `their sts:AssumeRole calls without it are refused (${toHandOver.map((e) => e.account).join(', ')}). Generated ids are only for third parties you control.`,
      );
    }
  }
  if (opts.require !== 'external-id') {
    lines.push(
      'MFA is required: only people who signed in with MFA can assume these roles; automation without MFA will stop working.',
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function statusMark(r: ApplyResult): string {
  return r.status === 'fixed'
    ? 'fixed:'
    : r.status === 'changed-since-plan'
      ? 'skipped:'
      : r.status === 'still-open'
        ? 'NOT FIXED:'
        : 'FAILED:';
}

export function renderApplySummary(
  results: readonly ApplyResult[],
  declined: readonly string[],
  planned: number,
): string {
  const fixed = results.filter((r) => r.status === 'fixed').length;
  const lines = [`\n${fixed} of ${planned} role(s) fixed.`];
  const drifted = results.filter((r) => r.status === 'changed-since-plan');
  if (drifted.length)
    lines.push(
      neutraliseLine(`Changed since the plan, not touched: ${drifted.map((r) => label(r)).join(', ')}`),
    );
  const open = results.filter((r) => r.status === 'still-open');
  if (open.length)
    lines.push(neutraliseLine(`Updated but still with a finding: ${open.map((r) => label(r)).join(', ')}`));
  if (declined.length)
    lines.push(neutraliseLine(`Not applied (answered no or quit): ${declined.join(', ')}`));
  const backups = results.map((r) => r.backup).filter((b): b is string => Boolean(b));
  if (backups.length) {
    lines.push('To undo, restore the backups:');
    lines.push(`  ${shellCommand(['trustaudit', 'rollback', ...backups])}`);
  }
  return `${lines.join('\n')}\n`;
}
