/**
 * Terraform's file functions (`file`, `templatefile`, `fileexists`, `filebase64` and the file hashes).
 * Every path goes through the scan root (src/scan/scan-root.ts): a path that leaves the root, a device,
 * a FIFO or an oversized file is never read. The call then has an unknown value named after it, and a
 * warning names the expression's file, line and column and the refused path; the role is still judged.
 */
import { createHash } from 'node:crypto';
import type { ScanError } from '../../model/types.js';
import { type SrcFile, textOf } from './hcl.js';
import type { CallCtx, Fn } from './scope.js';
import { errSym, scalarText, str, sym, type Val, wrap } from './values.js';

type Read = { ok: true; file: SrcFile; bytes: Buffer } | { ok: false; val: Val };

/** Read the file a function argument names, relative to the root module's folder (as Terraform does). */
function readArg(name: string, c: CallCtx, p: Val | undefined): Read {
  if (!p) return { ok: false, val: c.unknown() };
  const target = scalarText(p);
  if (target === undefined) {
    if (p.t === 'sym') return { ok: false, val: c.unknown(p) };
    return { ok: false, val: errSym(`${name}(...): the path is not a string`, exprText(c), c.loc) };
  }
  const r = c.ev.readFile(target);
  if (r.ok) return r;
  // Terraform itself fails on a missing file; anything refused is a value we chose not to read.
  if (r.missing) return { ok: false, val: errSym(`${name}(...): ${r.reason}`, exprText(c), c.loc) };
  c.ev.warn(refusedWarning(name, c, r.reason));
  return { ok: false, val: sym(`${name}(...) not read: ${r.reason}`, exprText(c), c.loc) };
}

function refusedWarning(name: string, c: CallCtx, reason: string): ScanError {
  const w: ScanError = {
    source: 'terraform',
    code: 'file-refused',
    message: `${name}() was not evaluated: ${reason}; its value is unknown`,
    file: c.loc.file,
  };
  if (c.loc.line !== undefined) w.line = c.loc.line;
  if (c.loc.column !== undefined) w.column = c.loc.column;
  return w;
}

function exprText(c: CallCtx): string {
  return wrap(textOf(c.node).trim());
}

/** A function of the file's bytes. */
const ofBytes =
  (name: string, f: (bytes: Buffer) => string): Fn =>
  ([p], c) => {
    const r = readArg(name, c, p);
    return r.ok ? str(f(r.bytes)) : r.val;
  };

const hash = (algorithm: string, encoding: 'hex' | 'base64') => (b: Buffer) =>
  createHash(algorithm).update(b).digest(encoding);

export const FILE_FUNCTIONS: Record<string, Fn> = {
  file: ([p], c) => {
    const r = readArg('file', c, p);
    return r.ok ? fileString(r.file) : r.val;
  },
  templatefile: ([p, vars], c) => {
    const r = readArg('templatefile', c, p);
    if (!r.ok) return r.val;
    const names = new Map<string, Val>();
    if (vars?.t === 'obj') for (const [k, v] of vars.v) names.set(k, v);
    else if (vars && vars.t !== 'null') return c.unknown(vars);
    return c.ev.renderTemplateFile(r.file, names);
  },
  fileexists: ([p], c) => {
    if (!p) return c.unknown();
    const target = scalarText(p);
    if (target === undefined) return c.unknown(p);
    const r = c.ev.readFile(target);
    if (r.ok) return { t: 'bool', v: true };
    if (r.missing) return { t: 'bool', v: false };
    c.ev.warn(refusedWarning('fileexists', c, r.reason));
    return sym(`fileexists(...) not evaluated: ${r.reason}`, exprText(c), c.loc);
  },
  filebase64: ofBytes('filebase64', (b) => b.toString('base64')),
  filemd5: ofBytes('filemd5', hash('md5', 'hex')),
  filesha1: ofBytes('filesha1', hash('sha1', 'hex')),
  filesha256: ofBytes('filesha256', hash('sha256', 'hex')),
  filesha512: ofBytes('filesha512', hash('sha512', 'hex')),
  filebase64sha256: ofBytes('filebase64sha256', hash('sha256', 'base64')),
  filebase64sha512: ofBytes('filebase64sha512', hash('sha512', 'base64')),
};

/** The content of a file as a string whose offsets map to the file's lines and columns. */
function fileString(file: SrcFile): Val {
  const segs: { out: number; line: number; col: number }[] = [{ out: 0, line: 1, col: 1 }];
  let line = 1;
  for (let i = file.text.indexOf('\n'); i !== -1; i = file.text.indexOf('\n', i + 1)) {
    line++;
    segs.push({ out: i + 1, line, col: 1 });
  }
  return {
    t: 'str',
    v: file.text,
    loc: { file: file.path, line: 1, column: 1 },
    map: { file: file.path, segs },
  };
}
