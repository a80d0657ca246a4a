/**
 * The functions a Terragrunt file may call, as far as a file scan can know them. Path functions answer
 * from the unit's folder and its includes, always inside the scan root; `file()` reads through the scan
 * root. What only the deployment knows (the environment, the AWS caller, a command's output, a secret)
 * is an unknown value: `get_env` NEVER reads this process's environment, even with a default, because
 * the value at deploy time is not ours to guess. Terraform functions Terragrunt also offers are here
 * only where the result is exactly Terraform's; any other function gives an unknown.
 */
import path from 'node:path';
import type { ScanError } from '../../model/types.js';
import { isInside, type ScanRoot } from '../../scan/scan-root.js';
import { type Ast, locOf, textOf } from './hcl.js';
import { firstSym, unknownOf } from './terragrunt-eval.js';
import { DECIMAL } from './type-constraint.js';
import { errSym, hasSym, NULL, scalarText, sym, type Val, wrap } from './values.js';

export interface TgCallEnv {
  eval(n: Ast): Val;
  /** Real folder of the unit (the `terragrunt.hcl` Terragrunt runs). */
  unitDir: string;
  /** Folder of the file being evaluated (the unit's, or an included or read file's). */
  fileDir: string;
  /** The unit's includes: label ('' for a bare `include`) -> real path of the parent file. */
  includes: ReadonlyMap<string, string>;
  root: ScanRoot;
  /** The deploying account (`--account`, else the deploying-account marker), as for `aws_caller_identity`. */
  owner: string;
  warn(w: ScanError): void;
  /** `read_terragrunt_config`: the evaluated file, or an unknown saying why not. */
  readConfig(abs: string, node: Ast): Val;
  meterText(n: number, node: Ast): void;
}

/** Answers only the deployment has: never evaluated by a file scan. */
const DEPLOY_TIME: Record<string, string> = {
  get_env: 'an environment variable of the deployment, never read by a scan',
  run_cmd: 'the output of a command, never run by a scan',
  get_aws_caller_identity_arn: 'the AWS caller of the deployment',
  get_aws_caller_identity_user_id: 'the AWS caller of the deployment',
  get_terraform_command: 'the command Terragrunt runs',
  get_terraform_cli_args: 'the command Terragrunt runs',
  sops_decrypt_file: 'a secret, never decrypted by a scan',
  get_repo_root: 'the git checkout of the deployment',
  get_path_from_repo_root: 'the git checkout of the deployment',
  get_path_to_repo_root: 'the git checkout of the deployment',
};

export function callTg(env: TgCallEnv, name: string, args: Ast[], node: Ast): Val {
  const loc = locOf(node);
  const text = textOf(node).trim();
  const unknown = (why: string): Val => sym(`${name}(...) (${why})`, wrap(text), loc);
  const fail = (why: string): Val => errSym(`${name}(...) (${why})`, wrap(text), loc);
  // Own names only: a call named like an inherited property (`toString`, `constructor`) is no function.
  const deploy = Object.hasOwn(DEPLOY_TIME, name) ? DEPLOY_TIME[name] : undefined;
  if (deploy) return unknown(deploy);
  const vals = (): Val[] => args.map((a) => env.eval(a));
  const strArg = (i: number): string | Val => {
    const a = args[i];
    if (!a) return fail(`argument ${i + 1} is missing`);
    const v = env.eval(a);
    if (v.t === 'sym') return unknownOf(v, node);
    return scalarText(v) ?? fail(`argument ${i + 1} is not a string`);
  };
  const parentOf = (): string | undefined => {
    const label = args[0] ? strArg(0) : '';
    if (typeof label !== 'string') return undefined;
    if (label !== '') return env.includes.get(label);
    return env.includes.get('') ?? (env.includes.size === 1 ? [...env.includes.values()][0] : undefined);
  };
  switch (name) {
    case 'get_terragrunt_dir':
    case 'get_original_terragrunt_dir':
      return { t: 'str', v: env.unitDir, loc };
    case 'get_parent_terragrunt_dir': {
      const p = parentOf();
      return { t: 'str', v: p ? path.dirname(p) : env.fileDir, loc };
    }
    case 'path_relative_to_include':
    case 'path_relative_from_include': {
      const p = parentOf();
      if (!p) return { t: 'str', v: '.', loc };
      const parentDir = path.dirname(p);
      const rel =
        name === 'path_relative_to_include'
          ? path.relative(parentDir, env.unitDir)
          : path.relative(env.unitDir, parentDir);
      return { t: 'str', v: rel === '' ? '.' : rel.split(path.sep).join('/'), loc };
    }
    case 'find_in_parent_folders':
      return findInParents(env, args, node, strArg);
    case 'get_aws_account_id':
      return { t: 'str', v: env.owner, loc };
    case 'read_terragrunt_config': {
      const p = strArg(0);
      if (typeof p !== 'string') return p;
      const read = env.readConfig(path.resolve(env.fileDir, p), node);
      if (read.t === 'sym' && read.err && args[1]) return env.eval(args[1]);
      return read;
    }
    case 'mark_as_read':
      return args[0] ? env.eval(args[0]) : NULL;
    case 'file': {
      const p = strArg(0);
      if (typeof p !== 'string') return p;
      const r = env.root.read(p, env.fileDir);
      if (r.ok) {
        env.meterText(r.text.length, node);
        return { t: 'str', v: r.text, loc };
      }
      if (r.refusal === 'missing') return fail(`${p} does not exist`);
      env.warn({
        source: 'terraform',
        code: 'file-refused',
        message: `${text} was not read: ${r.reason}`,
        file: loc.file,
        ...(loc.line !== undefined ? { line: loc.line, column: loc.column ?? 1 } : {}),
      });
      return unknown('the file was not read');
    }
    case 'try': {
      for (const a of args) {
        const v = env.eval(a);
        if (v.t === 'sym' && v.err) continue;
        return v;
      }
      return fail('no argument could be evaluated');
    }
    default:
      return pure(name, vals, node, unknown, fail, env);
  }
}

function findInParents(env: TgCallEnv, args: Ast[], node: Ast, strArg: (i: number) => string | Val): Val {
  const loc = locOf(node);
  const name = args[0] ? strArg(0) : 'terragrunt.hcl';
  if (typeof name !== 'string') return name;
  // Terragrunt starts in the folder above the unit and walks up; the scan never looks above its root.
  for (let prev = env.unitDir, dir = path.dirname(prev); dir !== prev; prev = dir, dir = path.dirname(dir)) {
    if (!isInside(env.root.dir, dir)) break;
    const candidate = path.join(dir, name);
    if (env.root.contains(candidate)) return { t: 'str', v: candidate, loc };
  }
  if (args[1]) return env.eval(args[1]);
  return sym(
    `find_in_parent_folders(${JSON.stringify(name)}) (not found inside the scan root ${env.root.dir})`,
    wrap(textOf(node).trim()),
    loc,
  );
}

const READS_ELEMENTS = new Set(['join', 'contains', 'format', 'coalesce']);

/** Terraform functions whose result is certain; an unknown argument gives an unknown result. */
function pure(
  name: string,
  vals: () => Val[],
  node: Ast,
  unknown: (why: string) => Val,
  fail: (why: string) => Val,
  env: TgCallEnv,
): Val {
  const loc = locOf(node);
  const FNS: Record<string, (a: Val[]) => Val> = {
    merge: (a) => {
      const out = new Map<string, Val>();
      for (const x of a) {
        if (x.t === 'null') continue;
        if (x.t !== 'obj') return fail('an argument is not a map');
        for (const [k, v] of x.v) out.set(k, v);
      }
      return { t: 'obj', v: out, loc };
    },
    concat: (a) => {
      const out: Val[] = [];
      for (const x of a) {
        if (x.t !== 'list') return fail('an argument is not a list');
        out.push(...x.v);
      }
      return { t: 'list', v: out, loc };
    },
    lookup: ([m, k, d]) => {
      const key = k ? scalarText(k) : undefined;
      if (m?.t !== 'obj' || key === undefined) return fail('not a map and a key');
      return m.v.get(key) ?? d ?? fail(`no key ${key}`);
    },
    coalesce: (a) => a.find((x) => x.t !== 'null' && !(x.t === 'str' && x.v === '')) ?? fail('no value'),
    join: ([sep, list]) => {
      const s = sep ? scalarText(sep) : undefined;
      if (s === undefined || list?.t !== 'list') return fail('not a separator and a list');
      const items = list.v.map(scalarText);
      if (items.some((x) => x === undefined)) return fail('an element is not a string');
      return str(items.join(s), node, env);
    },
    split: ([sep, s]) => {
      const a = sep ? scalarText(sep) : undefined;
      const b = s ? scalarText(s) : undefined;
      if (a === undefined || b === undefined) return fail('not two strings');
      return { t: 'list', v: b.split(a).map((v) => ({ t: 'str', v })), loc };
    },
    replace: ([s, sub, rep]) => {
      const [a, b, c] = [s, sub, rep].map((x) => (x ? scalarText(x) : undefined));
      if (a === undefined || b === undefined || c === undefined) return fail('not three strings');
      if (b.length > 1 && b.startsWith('/') && b.endsWith('/'))
        return unknown('regular expressions are not evaluated');
      return str(b === '' ? a : a.split(b).join(c), node, env);
    },
    lower: ([s]) => strFn(s, (x) => x.toLowerCase()),
    upper: ([s]) => strFn(s, (x) => x.toUpperCase()),
    trimspace: ([s]) => strFn(s, (x) => x.trim()),
    chomp: ([s]) => strFn(s, (x) => x.replace(/(?:\r\n|\r|\n)+$/, '')),
    basename: ([s]) => strFn(s, (x) => path.posix.basename(x)),
    dirname: ([s]) => strFn(s, (x) => path.posix.dirname(x)),
    tostring: ([s]) => strFn(s, (x) => x),
    tolist: ([l]) => (l?.t === 'list' ? l : fail('not a list')),
    tomap: ([m]) => (m?.t === 'obj' ? m : fail('not a map')),
    tonumber: ([s]) =>
      s?.t === 'num'
        ? s
        : s?.t === 'str' && DECIMAL.test(s.v)
          ? { t: 'num', v: Number(s.v), loc }
          : fail('not a number'),
    tobool: ([s]) =>
      s?.t === 'bool'
        ? s
        : s?.t === 'str' && (s.v === 'true' || s.v === 'false')
          ? { t: 'bool', v: s.v === 'true', loc }
          : fail('not a boolean'),
    keys: ([m]) =>
      m?.t === 'obj'
        ? { t: 'list', v: [...m.v.keys()].sort().map((v) => ({ t: 'str', v })), loc }
        : fail('not a map'),
    values: ([m]) =>
      m?.t === 'obj'
        ? { t: 'list', v: [...m.v.keys()].sort().map((k) => m.v.get(k) as Val), loc }
        : fail('not a map'),
    contains: ([l, x]) =>
      l?.t === 'list' && x
        ? { t: 'bool', v: l.v.some((e) => same(e, x)), loc }
        : fail('not a list and a value'),
    length: ([x]) => {
      if (x?.t === 'list') return { t: 'num', v: x.v.length, loc };
      if (x?.t === 'obj') return { t: 'num', v: x.v.size, loc };
      // Terraform counts user-perceived characters: certain here only for ASCII text.
      if (x?.t === 'str')
        return /^[\x20-\x7e]*$/.test(x.v) ? { t: 'num', v: x.v.length, loc } : unknown('non-ASCII text');
      return fail('not a collection or a string');
    },
    format: (a) => format(a, node, unknown, fail, env),
  };
  const fn = Object.hasOwn(FNS, name) ? FNS[name] : undefined;
  if (!fn) return unknown('a function the scan does not evaluate in Terragrunt files');
  const a = vals();
  // Structure functions keep unknown elements as they are; text functions need every part known.
  const open = a.find((x) => x.t === 'sym' || (READS_ELEMENTS.has(name) && hasSym(x)));
  if (open) {
    const s = firstSym(open);
    if (s.t === 'sym' && s.err) return s;
    return unknownOf(s, node);
  }
  const out = fn(a);
  return out.loc ? out : { ...out, loc };

  function strFn(s: Val | undefined, f: (x: string) => string): Val {
    const t = s ? scalarText(s) : undefined;
    return t === undefined ? fail('not a string') : str(f(t), node, env);
  }
}

function str(v: string, node: Ast, env: TgCallEnv): Val {
  env.meterText(v.length, node);
  return { t: 'str', v, loc: locOf(node) };
}

function same(a: Val, b: Val): boolean {
  if (a.t !== b.t) return false;
  return scalarText(a) !== undefined ? scalarText(a) === scalarText(b) : false;
}

/** `format` with `%s`, `%d`, `%v` and `%%` only: widths, flags and other verbs are not guessed. */
function format(
  a: Val[],
  node: Ast,
  unknown: (why: string) => Val,
  fail: (why: string) => Val,
  env: TgCallEnv,
): Val {
  const [spec, ...rest] = a;
  const f = spec ? scalarText(spec) : undefined;
  if (f === undefined) return fail('the format is not a string');
  let out = '';
  let next = 0;
  for (let i = 0; i < f.length; i++) {
    const ch = f[i] as string;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    const verb = f[i + 1];
    i++;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (verb !== 's' && verb !== 'd' && verb !== 'v')
      return unknown('format verbs other than %s, %d and %v are not evaluated');
    const arg = rest[next++];
    if (!arg) return fail('too few arguments');
    if (verb === 'd' && !(arg.t === 'num' && Number.isInteger(arg.v))) return fail('%d needs a whole number');
    const t = scalarText(arg);
    if (t === undefined) return unknown('a collection formatted as text');
    out += t;
  }
  return str(out, node, env);
}
