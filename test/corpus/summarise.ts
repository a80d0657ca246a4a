import { posix } from 'node:path';
import type { Finding } from '../../src/findings/types.js';
import type { Role, ScanError } from '../../src/model/types.js';

/** `cloudformation/cfn-lint-fixtures/...` -> `cloudformation/cfn-lint-fixtures`; `snippets/x/...` likewise. */
export function corpusFolder(file: string): string {
  const parts = file.replaceAll('\\', '/').split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file);
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Record<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * A key that names one resource across the corpus. Terraform addresses (`aws_iam_role.this`) repeat in
 * every root module, so they are qualified by the module's directory; CloudFormation ids already carry
 * the file (`file#LogicalId`) and export ids are ARNs, which are kept as they are.
 */
export function resourceKey(file: string, id: string): string {
  if (id.startsWith('arn:') || id.includes('#')) return id;
  return `${posix.dirname(file.replaceAll('\\', '/'))} :: ${id}`;
}

export interface FolderStats {
  /** Distinct resources (Fn::If / count variants of one resource count once; see `resourceKey`). */
  roles: number;
  /** Role alternatives (variants) judged. */
  variants: number;
  findings: number;
  errors: number;
}

export function folderStats(
  roles: readonly Role[],
  findings: readonly Finding[],
  errors: readonly ScanError[],
): Record<string, FolderStats> {
  const ids = new Map<string, Set<string>>();
  for (const r of roles) {
    const folder = corpusFolder(r.source.location.file);
    const set = ids.get(folder) ?? new Set();
    set.add(resourceKey(r.source.location.file, r.id));
    ids.set(folder, set);
  }
  const variants = countBy(roles, (r) => corpusFolder(r.source.location.file));
  const byFinding = countBy(findings, (f) => corpusFolder(f.location.file));
  const byError = countBy(
    errors.filter((e) => e.file),
    (e) => corpusFolder(e.file ?? ''),
  );
  const folders = [...new Set([...ids.keys(), ...Object.keys(byFinding), ...Object.keys(byError)])].sort();
  return Object.fromEntries(
    folders.map((f) => [
      f,
      {
        roles: ids.get(f)?.size ?? 0,
        variants: variants[f] ?? 0,
        findings: byFinding[f] ?? 0,
        errors: byError[f] ?? 0,
      },
    ]),
  );
}

/** One finding as frozen in the snapshot: what was found, on which resource, naming which principals. */
export function findingKey(f: Finding): string {
  const principals = f.principals
    .map(
      (p) =>
        `${p.value}${p.account && p.account !== p.value ? ` [${p.account}]` : ''}${p.accountName ? ` (${p.accountName})` : ''}`,
    )
    .sort()
    .join(', ');
  const variant = f.resource.variant ? ` {${f.resource.variant}}` : '';
  return `${f.ruleId}${f.suppressed ? ' (suppressed)' : ''}${variant}: ${principals || '(no principal named)'}`;
}

/**
 * Every vendor role with its findings (an empty list means no finding), by `resourceKey`. A finding is
 * matched to its role through the directory of the finding's location (the statement may sit in another
 * file of the same Terraform module).
 */
export function vendorVerdicts(
  roles: readonly Role[],
  findings: readonly Finding[],
): Record<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of roles) {
    if (r.source.location.file.startsWith('vendor/')) out.set(resourceKey(r.source.location.file, r.id), []);
  }
  for (const f of findings) {
    const key = resourceKey(f.location.file, f.resource.id);
    if (!f.location.file.startsWith('vendor/') && !out.has(key)) continue;
    const list = out.get(key) ?? [];
    list.push(findingKey(f));
    out.set(key, list);
  }
  return Object.fromEntries(
    [...out.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, [...new Set(v)].sort()]),
  );
}

/**
 * Resource ids that more than one file produced (with how many files). The engine keys findings by
 * resource id, so two such roles with the same principals yield one finding: listed for review.
 */
export function sharedIds(roles: readonly Role[]): Record<string, number> {
  const files = new Map<string, Set<string>>();
  for (const r of roles) {
    const set = files.get(r.id) ?? new Set();
    set.add(r.source.location.file);
    files.set(r.id, set);
  }
  return Object.fromEntries(
    [...files.entries()]
      .filter(([, s]) => s.size > 1)
      .map(([id, s]) => [id, s.size] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
