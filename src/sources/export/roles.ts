import type { TrustPolicyCache } from '../../model/policy-cache.js';
import type { JsonLike, Role, ScanError, SourceKind, SourceLocation } from '../../model/types.js';
import { LAST_USED_KEY, readRoleLastUsed } from '../../usage/last-used.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Account and partition of an ARN (`arn:partition:service:region:account:resource`), without a regex. */
export function arnParts(arn: string): { partition?: string; account?: string } {
  if (!arn.startsWith('arn:')) return {};
  const p2 = arn.indexOf(':', 4);
  if (p2 < 0) return {};
  const p3 = arn.indexOf(':', p2 + 1);
  const p4 = p3 < 0 ? -1 : arn.indexOf(':', p3 + 1);
  const p5 = p4 < 0 ? -1 : arn.indexOf(':', p4 + 1);
  const out: { partition?: string; account?: string } = {};
  const partition = arn.slice(4, p2);
  if (partition) out.partition = partition;
  if (p5 > p4 && p4 >= 0) {
    const account = arn.slice(p4 + 1, p5);
    if (/^\d{12}$/.test(account)) out.account = account;
  }
  return out;
}

function tagsOf(v: unknown): Record<string, string> | undefined {
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    const out: Record<string, string> = {};
    for (const t of v) {
      if (isObj(t) && typeof t.Key === 'string')
        out[t.Key] = typeof t.Value === 'string' ? t.Value : String(t.Value ?? '');
    }
    return out;
  }
  if (isObj(v)) {
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x);
    return out;
  }
  return undefined;
}

/**
 * Finds each role's position in the text. Roles appear in file order, so a cursor only moves forward
 * and lines are counted incrementally between successive roles (no line table for the whole file).
 */
export class RoleLocator {
  private cursor: number;
  /** Offset up to which newlines have been counted, the line there, and where that line starts. */
  private counted = 0;
  private line = 1;
  private lineStart = 0;
  private nextNewline: number;
  /** False once no `"RoleName"` key is left after the cursor. */
  private nameKeys = true;
  /** Needle kinds (by position) that could not be found once: not searched again. */
  private readonly lost: boolean[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
    start: number,
  ) {
    this.cursor = Math.max(0, start);
    this.nextNewline = text.indexOf('\n');
  }

  private position(offset: number): { line: number; column: number } {
    const t = this.text;
    if (offset < this.counted) {
      // Not expected (positions are monotonic), but stay correct: count from the start.
      this.counted = 0;
      this.line = 1;
      this.lineStart = 0;
      this.nextNewline = t.indexOf('\n');
    }
    // `nextNewline` is the first newline at or after `counted` (-1: none left), so a file on one line
    // (minified JSON) is never rescanned.
    let nl = this.nextNewline;
    while (nl >= 0 && nl < offset) {
      this.line++;
      this.lineStart = nl + 1;
      nl = t.indexOf('\n', nl + 1);
    }
    this.nextNewline = nl;
    this.counted = offset;
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  /**
   * Position of the next role: its `"RoleName"` key (followed by this role's name) after the cursor;
   * when the file is laid out differently, the first of `needles` (RoleId, ARN) found after the cursor.
   */
  locate(needles: (string | undefined)[], name?: string): SourceLocation {
    const t = this.text;
    const from = this.cursor;
    if (name !== undefined && this.nameKeys) {
      const q = JSON.stringify(name);
      // Bounded: a name key that belongs to something else (an instance profile's role list) is skipped.
      let k = t.indexOf('"RoleName"', from);
      if (k < 0) this.nameKeys = false;
      for (let tries = 0; k >= 0 && tries < 8; tries++) {
        let v = k + 10;
        while (v < t.length && (t.charCodeAt(v) <= 32 || t.charCodeAt(v) === 58)) v++; // spaces and ':'
        if (t.startsWith(q, v)) {
          this.cursor = v + q.length;
          return this.at(k);
        }
        k = t.indexOf('"RoleName"', k + 10);
      }
    }
    for (let i = 0; i < needles.length; i++) {
      const n = needles[i];
      if (!n || this.lost[i]) continue;
      const q = JSON.stringify(n);
      const at = t.indexOf(q, from);
      if (at < 0) {
        // Written differently in this file (escapes): stop looking for this kind, or every later role
        // would scan to the end of the file again.
        this.lost[i] = true;
        continue;
      }
      this.cursor = at + q.length;
      return this.at(at);
    }
    return { file: this.file };
  }

  private at(offset: number): SourceLocation {
    const { line, column } = this.position(offset);
    return { file: this.file, line, column };
  }
}

export interface RoleBuild {
  role?: Role;
  error?: ScanError;
}

/** One role entry of list-roles / get-role / get-account-authorization-details output. */
export function buildRole(
  entry: unknown,
  list: string,
  index: number | undefined,
  kind: SourceKind,
  file: string,
  locator: RoleLocator,
  policies: TrustPolicyCache,
): RoleBuild {
  // Built only when an error needs it.
  const where = (): string => (index === undefined ? list : `${list}[${index}]`);
  if (!isObj(entry)) {
    return {
      error: { source: 'export', code: 'invalid-role-entry', message: `${where()} is not an object`, file },
    };
  }
  const arn = typeof entry.Arn === 'string' ? entry.Arn : undefined;
  const roleId = typeof entry.RoleId === 'string' ? entry.RoleId : undefined;
  let name = typeof entry.RoleName === 'string' ? entry.RoleName : undefined;
  if (name === undefined && arn) name = arn.slice(arn.lastIndexOf('/') + 1) || undefined;
  const location = locator.locate([roleId, arn, name], name);
  if (name === undefined) {
    return {
      error: {
        source: 'export',
        code: 'invalid-role-entry',
        message: `${where()} has no RoleName or Arn`,
        file,
        ...lineCol(location),
      },
    };
  }
  const doc = entry.AssumeRolePolicyDocument;
  if (doc === undefined || doc === null) {
    return {
      error: {
        source: 'export',
        code: 'missing-trust-policy',
        message: `role ${name} (${where()}) has no AssumeRolePolicyDocument`,
        file,
        ...lineCol(location),
      },
    };
  }
  const parts = arn ? arnParts(arn) : {};
  const role: Role = {
    id: arn ?? `${file}#${name}`,
    name,
    partition: parts.partition ?? 'aws',
    source: { kind, location },
    trustPolicy: policies.policyFor(doc as JsonLike),
  };
  // The document exactly as written when it is not plain JSON (URL-encoded, as the IAM API returns it).
  if (typeof doc === 'string') role.extra = { rawTrustDocument: doc };
  if (arn) role.arn = arn;
  if (roleId) role.roleId = roleId;
  if (parts.account) role.account = parts.account;
  if (typeof entry.Path === 'string') role.path = entry.Path;
  if (typeof entry.Description === 'string') role.description = entry.Description;
  const tags = tagsOf(entry.Tags);
  if (tags) role.tags = tags;
  // get-account-authorization-details and get-role carry RoleLastUsed (`{}`: never used); list-roles does not.
  const lastUsed = 'RoleLastUsed' in entry ? readRoleLastUsed(entry.RoleLastUsed) : undefined;
  if (lastUsed) role.extra = { ...role.extra, [LAST_USED_KEY]: lastUsed };
  return { role };
}

function lineCol(l: SourceLocation): { line?: number; column?: number } {
  return l.line === undefined ? {} : { line: l.line, column: l.column ?? 1 };
}
