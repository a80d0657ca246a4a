/**
 * 10,000 generated and damaged inputs through the export source and every registered rule.
 * Nothing may throw; every input ends as roles (with issues) or typed scan errors.
 * Deterministic: fast-check with a fixed seed, mutations driven by values fast-check generates.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import type { Role, ScanError } from '../../src/model/types.js';
import { runRules } from '../../src/rules/engine.js';
import { allRules } from '../../src/rules/index.js';
import { exportSource } from '../../src/sources/export/index.js';
import type { InputFile, SourceContext } from '../../src/sources/types.js';
import { testSourceContext } from '../helpers/source-context.js';

const SEED = 20261128;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');

const ctx: SourceContext = testSourceContext({ maxFileBytes: 8 * 1024 * 1024 });

type J = unknown;

// ---------- generated documents ----------
const scalar = fc.oneof(
  fc.constantFrom(
    '*',
    '111122223333',
    'arn:aws:iam::111122223333:root',
    'arn:aws:iam::111122223333:role/x',
    'arn:aws:iam::*:root',
    'arn:aws:sts::111122223333:assumed-role/r/s',
    'AROAEXAMPLEEXAMPLE1234',
    'ec2.amazonaws.com',
    'accounts.google.com',
    'sts:AssumeRole',
    'sts:*',
    'AssumeRole',
    '',
    'true',
    '%7B',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const valueOrList = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 2 }),
);
const principal = fc.oneof(
  fc.constant('*'),
  fc.dictionary(fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser', 'IAM', 'aws'), valueOrList, {
    maxKeys: 3,
  }),
  valueOrList,
);
const operator = fc.oneof(
  fc.constantFrom(
    'StringEquals',
    'StringLike',
    'StringNotEquals',
    'Bool',
    'BoolIfExists',
    'Null',
    'NullIfExists',
    'ForAnyValue:StringLike',
    'ForAllValues:StringEquals',
    'StringEqual',
    'ArnLike',
    'NumericLessThan',
  ),
  fc.string({ maxLength: 12 }),
);
const condKey = fc.constantFrom(
  'sts:ExternalId',
  'aws:MultiFactorAuthPresent',
  'aws:PrincipalOrgID',
  'aws:SourceArn',
  'x',
  '',
);
const condition = fc.oneof(
  fc.dictionary(operator, fc.oneof(fc.dictionary(condKey, valueOrList, { maxKeys: 3 }), scalar), {
    maxKeys: 3,
  }),
  valueOrList,
);
const statement = fc.oneof(
  fc.record(
    {
      Sid: scalar,
      Effect: fc.oneof(fc.constantFrom('Allow', 'Deny', 'allow', 'Permit'), scalar),
      Principal: principal,
      NotPrincipal: principal,
      Action: valueOrList,
      NotAction: valueOrList,
      Resource: valueOrList,
      Condition: condition,
      dAction: scalar,
      principal: principal,
    },
    { requiredKeys: [] },
  ),
  scalar,
);
const document = fc.oneof(
  fc.record(
    {
      Version: fc.oneof(fc.constantFrom('2012-10-17', '2008-10-17', '2012-10-18'), scalar),
      Id: scalar,
      Statement: fc.oneof(fc.array(statement, { maxLength: 4 }), statement),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
);
const encoding = fc.constantFrom('object', 'json', 'url', 'url-damaged');
const shape = fc.constantFrom('bare', 'get-role', 'list-roles', 'authz', 'array');

function encodeDoc(doc: J, enc: string, n: number): J {
  if (enc === 'object') return doc;
  const json = JSON.stringify(doc) ?? 'null';
  if (enc === 'json') return json;
  const url = encodeURIComponent(json);
  if (enc === 'url') return url;
  const cut = n % Math.max(1, url.length);
  return `${url.slice(0, cut)}%${url.slice(cut + 1)}`;
}

function roleEntry(doc: J, i: number): J {
  return {
    Path: '/',
    RoleName: `r${i}`,
    RoleId: `AROAFUZZ${String(i).padStart(13, '0')}`,
    Arn: `arn:aws:iam::123456789012:role/r${i}`,
    AssumeRolePolicyDocument: doc,
    Tags: i % 2 ? [{ Key: 'k', Value: 'v' }] : undefined,
  };
}

function wrap(doc: J, sh: string, pretty = true): string {
  const indent = pretty ? 2 : undefined;
  switch (sh) {
    case 'bare':
      return typeof doc === 'string' ? doc : (JSON.stringify(doc) ?? '');
    case 'get-role':
      return JSON.stringify({ Role: roleEntry(doc, 0) });
    case 'list-roles':
      return JSON.stringify({ Roles: [roleEntry(doc, 0), roleEntry(doc, 1)] }, null, indent);
    case 'authz':
      return JSON.stringify(
        { UserDetailList: [], RoleDetailList: [roleEntry(doc, 0)], Policies: [] },
        null,
        indent,
      );
    default:
      return JSON.stringify([roleEntry(doc, 0)]);
  }
}

// ---------- mutations of real documents ----------
function realDocuments(): J[] {
  const out: J[] = [];
  const walk = (d: string, files: string[]): void => {
    for (const e of readdirSync(d)) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p, files);
      else if (p.endsWith('.json')) files.push(p);
    }
  };
  const files: string[] = [];
  walk(path.join(corpus, 'account-authorization-details'), files);
  walk(path.join(corpus, 'cloudformation/cfn_nag-test-templates/json'), files);
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) visit(x);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'AssumeRolePolicyDocument' && !JSON.stringify(x).includes('Fn::')) out.push(x);
        else visit(x);
      }
    }
  };
  for (const f of files) {
    try {
      visit(JSON.parse(readFileSync(f, 'utf8')));
    } catch {
      // cfn_nag has deliberately broken templates; they are not documents.
    }
  }
  return out;
}

const ODD = ['\uD800', '\u202E', '\u200B', '\u0000', '😀', 'e\u0301', '\uFEFF', '"', '\\', '%', '\n'];

/** Every (container, key) pair inside a value, for picking mutation targets. */
function slots(
  v: J,
  acc: [Record<string, J> | J[], string | number][] = [],
  depth = 0,
): [Record<string, J> | J[], string | number][] {
  if (depth > 12) return acc;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      acc.push([v, i]);
      slots(x, acc, depth + 1);
    });
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      acc.push([v as Record<string, J>, k]);
      slots(x, acc, depth + 1);
    }
  }
  return acc;
}

function deep(n: number): J {
  let v: J = 'x';
  for (let i = 0; i < n; i++) v = [v];
  return v;
}

function mutate(doc: J, ops: number[][]): J {
  const d = structuredClone(doc);
  for (const [kind = 0, a = 0, b = 0] of ops) {
    const s = slots(d);
    if (s.length === 0) break;
    const [obj, key] = s[a % s.length] as [Record<string | number, J>, string | number];
    switch (kind % 7) {
      case 0:
        if (Array.isArray(obj)) obj.splice(key as number, 1);
        else delete obj[key];
        break;
      case 1:
        obj[key] = [42, true, null, [], {}, 'str', [obj[key]], { v: obj[key] }][b % 8] as J;
        break;
      case 2:
        obj[key] =
          b % 2
            ? 'A'.repeat(100_000)
            : Array.from({ length: 2_000 }, (_, i) => `arn:aws:iam::${String(i).padStart(12, '0')}:root`);
        break;
      case 3:
        obj[key] = deep(500 + (b % 3000));
        break;
      case 4: {
        const odd = ODD[b % ODD.length] as string;
        if (typeof obj[key] === 'string')
          obj[key] = `${String(obj[key]).slice(0, b % 8)}${odd}${String(obj[key]).slice(b % 8)}`;
        else if (!Array.isArray(obj)) {
          obj[`${key}${odd}`] = obj[key] as J;
          delete obj[key];
        }
        break;
      }
      case 5:
        if (!Array.isArray(obj) && typeof key === 'string') {
          obj[b % 2 ? key.toLowerCase() : `${key}s`] = obj[key] as J;
          delete obj[key];
        }
        break;
      default:
        obj[key] = encodeURIComponent(JSON.stringify(obj[key]) ?? '').slice(0, 1 + (b % 40));
    }
  }
  return d;
}

function damageText(text: string, kind: number, at: number): string {
  const i = at % Math.max(1, text.length);
  switch (kind % 4) {
    case 0:
      return text.slice(0, i);
    case 1:
      return `${text.slice(0, i)}${'{["}:,\\'[at % 7]}${text.slice(i)}`;
    case 2:
      return text.slice(0, i) + text.slice(i + 1);
    default:
      return encodeURIComponent(text).replace(/%22/, '%2');
  }
}

// ---------- the run ----------
interface Case {
  label: string;
  text: string;
  explicit: boolean;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  const gen = fc.sample(fc.tuple(document, encoding, shape, fc.nat(), fc.boolean()), {
    seed: SEED,
    numRuns: 4500,
  });
  gen.forEach(([doc, enc, sh, n, explicit], i) => {
    cases.push({ label: `generated#${i} ${sh}/${enc}`, text: wrap(encodeDoc(doc, enc, n), sh), explicit });
  });
  const junk = fc.sample(fc.oneof(fc.string({ maxLength: 60 }), fc.json({ maxDepth: 3 })), {
    seed: SEED + 1,
    numRuns: 1000,
  });
  junk.forEach((t, i) => {
    cases.push({ label: `junk#${i}`, text: t, explicit: i % 2 === 0 });
  });

  const real = realDocuments();
  expect(real.length).toBeGreaterThan(80);
  const plans = fc.sample(
    fc.tuple(
      fc.nat(),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
      shape,
      encoding,
      fc.nat(),
      fc.nat(),
    ),
    { seed: SEED + 2, numRuns: 4500 },
  );
  plans.forEach(([pick, ops, sh, enc, tk, n], i) => {
    const mutated = mutate(
      real[pick % real.length],
      ops.map((o) => [...o]),
    );
    // Compact: pretty-printing a 3,000-deep value is quadratic.
    let text = wrap(encodeDoc(mutated, enc, n), sh, false);
    if (tk % 5 === 0) text = damageText(text, tk, n);
    cases.push({ label: `mutated#${i} ${sh}/${enc}`, text, explicit: true });
  });
  return cases;
}

/** Plain assertion: `expect` is too slow for ~100,000 checks. */
function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(`invariant broken: ${what}`);
}

function checkError(e: ScanError): void {
  assert(e.source === 'export', `error source ${e.source}`);
  assert(typeof e.code === 'string' && e.message.length > 0, 'error has code and message');
  assert(typeof e.file === 'string', 'error names its file');
  if (e.code === 'json-syntax')
    assert((e.line ?? 0) > 0 && (e.column ?? 0) > 0, 'syntax error has line and column');
}

function checkRole(r: Role): void {
  assert(typeof r.id === 'string' && typeof r.name === 'string', 'role has id and name');
  r.trustPolicy.statements.forEach((s, i) => {
    assert(s.index === i, 'statement index matches position');
    assert(s.effect === 'Allow' || s.effect === 'Deny', `effect ${String(s.effect)}`);
    assert(Array.isArray(s.conditions), 'conditions is a list');
  });
  for (const i of r.trustPolicy.issues)
    assert(typeof i.code === 'string' && i.message.length > 0, 'issue has code and message');
}

describe('fuzz: export source + all rules', () => {
  // About 5 s of CPU; the generous timeout only absorbs a busy shared machine.
  it('10,000 generated and mutated inputs: no throw, typed results', { timeout: 240_000 }, async () => {
    const cases = buildCases();
    expect(cases).toHaveLength(10_000);
    const zone = emptyZone();
    let roles = 0;
    let errors = 0;
    let issues = 0;
    let findings = 0;
    for (const c of cases) {
      const file: InputFile = {
        path: `fuzz/${c.label.replace(/[^\w#-]/g, '_')}.json`,
        absPath: '/fuzz.json',
        text: c.text,
        explicit: c.explicit,
      };
      try {
        exportSource.claim(file);
        const r = await exportSource.load([file], ctx);
        r.errors.forEach(checkError);
        r.roles.forEach(checkRole);
        // An explicit file is never silently dropped: it yields roles or errors (or is an export with no roles).
        if (c.explicit && r.roles.length === 0 && r.errors.length === 0) {
          assert(
            /"(Roles|RoleDetailList|UserDetailList)"|^\s*\[\s*\]\s*$/.test(c.text),
            'explicit file yields roles or errors',
          );
        }
        const fs = runRules(r.roles, allRules, { zone });
        for (const f of fs) assert(typeof f.fingerprint === 'string', 'finding has a fingerprint');
        roles += r.roles.length;
        errors += r.errors.length;
        issues += r.roles.reduce((n, x) => n + x.trustPolicy.issues.length, 0);
        findings += fs.length;
      } catch (e) {
        throw new Error(
          `${c.label} failed: ${(e as Error).stack?.split('\n').slice(0, 12).join('\n')}\ninput: ${c.text.slice(0, 400)}`,
        );
      }
    }
    // The mix really exercises both paths.
    expect(roles).toBeGreaterThan(3000);
    expect(errors).toBeGreaterThan(500);
    expect(issues).toBeGreaterThan(3000);
    expect(findings).toBeGreaterThan(1000);
  });
});
