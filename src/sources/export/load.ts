/**
 * The export reader: a bare trust policy, `aws iam get-account-authorization-details`, `aws iam
 * list-roles` and `aws iam get-role` output (JSON; stdin as `-`) -> roles. Imported by index.ts only
 * when a file was claimed (claims.ts decides which).
 */

import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { decodePolicyText } from '../../model/decode.js';
import { LineIndex } from '../../model/line-index.js';
import { parseTrustDocument } from '../../model/normalise.js';
import { TrustPolicyCache } from '../../model/policy-cache.js';
import type { JsonLike, Role, ScanError, SourceKind, SourceLocation } from '../../model/types.js';
import type { InputFile, SourceContext, SourceResult } from '../types.js';
import { firstChar } from './claims.js';
import { jsonSyntaxError } from './json-error.js';
import { buildRole, isObj, type Obj, RoleLocator } from './roles.js';

const SOURCE = 'export';

export type ExportShape =
  | { kind: 'account-authorization-details'; roles: unknown; key: string }
  | { kind: 'list-roles'; roles: unknown; key?: string }
  | { kind: 'get-role'; role: unknown }
  | { kind: 'policy-file'; doc: JsonLike }
  | { kind: 'unknown' };

/** Which export a parsed JSON value is. */
export function detectShape(v: unknown): ExportShape {
  if (Array.isArray(v)) {
    const first = v[0];
    if (isObj(first) && ('RoleName' in first || 'AssumeRolePolicyDocument' in first))
      return { kind: 'list-roles', roles: v };
    return { kind: 'unknown' };
  }
  if (!isObj(v)) return { kind: 'unknown' };
  if ('RoleDetailList' in v || 'UserDetailList' in v || 'GroupDetailList' in v) {
    return { kind: 'account-authorization-details', roles: v.RoleDetailList, key: 'RoleDetailList' };
  }
  if ('Roles' in v) return { kind: 'list-roles', roles: v.Roles, key: 'Roles' };
  if ('Role' in v) return { kind: 'get-role', role: v.Role };
  if ('Statement' in v) return { kind: 'policy-file', doc: v as JsonLike };
  return { kind: 'unknown' };
}

/** Does a policy found by walking look like a role trust policy (not an identity or bucket policy)? */
function looksLikeTrustPolicy(doc: Obj): boolean {
  const st = doc.Statement;
  const list = Array.isArray(st) ? st : [st];
  let principal = false;
  let resource = false;
  for (const s of list) {
    if (!isObj(s)) continue;
    for (const k of ['Action', 'NotAction']) {
      const a = s[k];
      const acts = Array.isArray(a) ? a : [a];
      if (acts.some((x) => typeof x === 'string' && x.toLowerCase().startsWith('sts:'))) return true;
    }
    if ('Principal' in s || 'NotPrincipal' in s) principal = true;
    if ('Resource' in s || 'NotResource' in s) resource = true;
  }
  return principal && !resource;
}

/**
 * Positions of a bare policy file's elements (statements, principals, conditions). A policy file is
 * small, so a position-keeping parse is cheap here; the large exports are located per role instead.
 */
function jsonLocator(
  text: string,
  file: string,
  lines: LineIndex,
): (path: (string | number)[]) => SourceLocation | undefined {
  const tree = parseTree(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  return (path) => {
    const node = tree ? findNodeAtLocation(tree, path) : undefined;
    if (!node) return undefined;
    const start = lines.position(node.offset);
    const end = lines.position(node.offset + node.length);
    return { file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  };
}

function baseName(p: string): string {
  const b = p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
  return b.replace(/\.json$/i, '') || b;
}

function fileError(file: InputFile, code: string, message: string): ScanError {
  return { source: SOURCE, code, message, file: file.path };
}

/** Read one file; errors are collected, never thrown. */
export function loadExportFile(file: InputFile, ctx: Pick<SourceContext, 'maxFileBytes'>): SourceResult {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  const text = file.text;
  if (
    text.length > ctx.maxFileBytes ||
    (text.length * 3 > ctx.maxFileBytes && Buffer.byteLength(text) > ctx.maxFileBytes)
  ) {
    errors.push(
      fileError(
        file,
        'file-too-large',
        `${file.path} is ${Buffer.byteLength(text)} bytes, over the ${ctx.maxFileBytes}-byte limit; raise the limit to scan it`,
      ),
    );
    return { roles, errors };
  }
  const lead = firstChar(text);
  let value: unknown;
  if (lead === '%') {
    // A URL-encoded policy document saved as is.
    const d = decodePolicyText(text);
    if (!d.ok) {
      if (file.explicit) errors.push(fileError(file, 'unrecognised', `${file.path}: ${d.reason}`));
      return { roles, errors };
    }
    value = d.value;
  } else {
    try {
      value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      errors.push(jsonSyntaxError(text, file.path, e, SOURCE));
      return { roles, errors };
    }
  }
  const shape = detectShape(value);
  switch (shape.kind) {
    case 'unknown':
      if (file.explicit) {
        errors.push(
          fileError(
            file,
            'unrecognised',
            `${file.path} is JSON but not a trust policy nor list-roles, get-role or get-account-authorization-details output`,
          ),
        );
      }
      break;
    case 'policy-file': {
      if (!file.explicit && !looksLikeTrustPolicy(shape.doc as Obj)) break;
      const lines = new LineIndex(text);
      const location = { file: file.path, ...lines.position(Math.max(0, text.indexOf('{'))) };
      roles.push({
        id: file.path,
        name: baseName(file.path),
        partition: 'aws',
        source: { kind: 'policy-file', location },
        trustPolicy: parseTrustDocument(shape.doc, {
          file: file.path,
          base: location,
          ...(lead === '%' ? {} : { locate: jsonLocator(text, file.path, lines) }),
        }),
        extra: { rawTrustDocument: shape.doc },
      });
      break;
    }
    case 'get-role': {
      const locator = new RoleLocator(text, file.path, text.indexOf('"Role"'));
      addRole(
        buildRole(
          shape.role,
          'Role',
          undefined,
          'get-role',
          file.path,
          locator,
          new TrustPolicyCache(file.path),
        ),
        roles,
        errors,
      );
      break;
    }
    case 'account-authorization-details':
    case 'list-roles': {
      const kind: SourceKind = shape.kind;
      const list = shape.roles;
      if (list === undefined && shape.key !== undefined) break; // e.g. an export of users and policies only
      if (!Array.isArray(list)) {
        errors.push(
          fileError(file, 'invalid-export', `${file.path}: "${shape.key ?? 'Roles'}" is not a list`),
        );
        break;
      }
      const start = shape.key ? text.indexOf(`"${shape.key}"`) : 0;
      const locator = new RoleLocator(text, file.path, start);
      const where = shape.key ?? 'entry';
      const policies = new TrustPolicyCache(file.path);
      for (let i = 0; i < list.length; i++) {
        addRole(buildRole(list[i], where, i, kind, file.path, locator, policies), roles, errors);
      }
      break;
    }
  }
  return { roles, errors };
}

function addRole(b: ReturnType<typeof buildRole>, roles: Role[], errors: ScanError[]): void {
  if (b.role) roles.push(b.role);
  if (b.error) errors.push(b.error);
}

export async function loadExports(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
  const roles: Role[] = [];
  const errors: ScanError[] = [];
  for (const f of files) {
    try {
      const r = loadExportFile(f, ctx);
      for (const x of r.roles) roles.push(x);
      for (const x of r.errors) errors.push(x);
    } catch (e) {
      // Defensive: a bug here must cost one file, not the scan.
      errors.push(fileError(f, 'internal', `${f.path}: could not be read (${(e as Error).message})`));
    }
  }
  return { roles, errors };
}
