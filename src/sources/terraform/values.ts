/**
 * The evaluator's values: strings (with a map back to the file), numbers, booleans, null, lists,
 * objects and symbolic (unknown) values, and the helpers that print, compare and locate them.
 */
import type { JsonLike, SourceLocation, Symbolic } from '../../model/types.js';

/**
 * Maps offsets of an evaluated string back to the file: segment `i` starts at output offset `out` and
 * sits at (`line`, `col`) (1-based); following characters advance the column unless `fixed`.
 */
export interface SrcMap {
  file: string;
  segs: { out: number; line: number; col: number; fixed?: boolean }[];
}

/** A part of a template whose value is not fully known. */
export type TplPart = { lit: string; map?: SrcMap } | { val: Val };

/** An evaluated HCL value with the location of the expression that produced it. */
export type Val =
  | { t: 'str'; v: string; loc?: SourceLocation; map?: SrcMap; json?: Val }
  | { t: 'num'; v: number; loc?: SourceLocation }
  | { t: 'bool'; v: boolean; loc?: SourceLocation }
  | { t: 'null'; loc?: SourceLocation }
  | { t: 'list'; v: Val[]; loc?: SourceLocation }
  | { t: 'obj'; v: Map<string, Val>; loc?: SourceLocation }
  | {
      t: 'sym';
      description: string;
      text: string;
      loc?: SourceLocation;
      parts?: TplPart[];
      /** Terraform would reject the expression (missing attribute, null in a template...): `try()` skips it. */
      err?: boolean;
    };

export type SymVal = Extract<Val, { t: 'sym' }>;

export const str = (v: string, loc?: SourceLocation): Val => (loc ? { t: 'str', v, loc } : { t: 'str', v });
export const NULL: Val = { t: 'null' };

export function sym(description: string, text: string, loc?: SourceLocation): SymVal {
  const s: SymVal = { t: 'sym', description, text };
  if (loc) s.loc = loc;
  return s;
}

/** A value Terraform would fail to evaluate. */
export function errSym(description: string, text: string, loc?: SourceLocation): SymVal {
  return { ...sym(description, text, loc), err: true };
}

/** `${expr}` text for a symbolic reference written as `expr`. */
export function wrap(exprText: string): string {
  return exprText.startsWith('${') && exprText.endsWith('}') ? exprText : `\${${exprText}}`;
}

export function withLoc<T extends Val>(v: T, loc: SourceLocation | undefined): T {
  if (!loc || v.loc) return v;
  return { ...v, loc };
}

export function isKnownScalar(v: Val): v is Extract<Val, { t: 'str' | 'num' | 'bool' }> {
  return v.t === 'str' || v.t === 'num' || v.t === 'bool';
}

/** Scalar to string the way Terraform converts (numbers in shortest form, booleans as true/false). */
export function scalarText(v: Val): string | undefined {
  if (v.t === 'str') return v.v;
  if (v.t === 'num') return String(v.v);
  if (v.t === 'bool') return v.v ? 'true' : 'false';
  return undefined;
}

/** Does the value contain anything symbolic? */
export function hasSym(v: Val): boolean {
  if (v.t === 'sym') return true;
  if (v.t === 'list') return v.v.some(hasSym);
  if (v.t === 'obj') for (const x of v.v.values()) if (hasSym(x)) return true;
  if (v.t === 'str' && v.json) return hasSym(v.json);
  return false;
}

/** Text of a value inside a template or description. */
export function displayText(v: Val): string {
  switch (v.t) {
    case 'sym':
      return v.text;
    case 'null':
      return 'null';
    case 'list':
    case 'obj':
      return jsonText(v);
    default:
      return scalarText(v) ?? '';
  }
}

/** JSON text of a value; symbolic parts are written as their `${...}` text. */
export function jsonText(v: Val): string {
  switch (v.t) {
    case 'str':
      return JSON.stringify(v.v);
    case 'num':
      return String(v.v);
    case 'bool':
      return v.v ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'sym':
      return JSON.stringify(v.text);
    case 'list':
      return `[${v.v.map(jsonText).join(',')}]`;
    case 'obj':
      return `{${[...v.v].map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`;
  }
}

/** Descriptions of the symbolic parts of a value, deduplicated. */
export function symDescriptions(v: Val, out: string[] = []): string[] {
  if (v.t === 'sym') {
    if (v.parts) for (const p of v.parts) if ('val' in p) symDescriptions(p.val, out);
    if (!v.parts || out.length === 0) if (!out.includes(v.description)) out.push(v.description);
  } else if (v.t === 'list') for (const x of v.v) symDescriptions(x, out);
  else if (v.t === 'obj') for (const x of v.v.values()) symDescriptions(x, out);
  return out;
}

export type JsonPath = (string | number)[];

/** A value converted for the normaliser, with the location of every node by path. */
export interface LocatedJson {
  json: JsonLike;
  locations: Map<string, SourceLocation>;
}

export const pathKey = (p: readonly (string | number)[]): string => p.map(String).join('\u0000');

export function toJsonLike(v: Val): LocatedJson {
  const locations = new Map<string, SourceLocation>();
  const walk = (x: Val, p: JsonPath): JsonLike => {
    if (x.loc) locations.set(pathKey(p), x.loc);
    switch (x.t) {
      case 'str':
        return x.v;
      case 'num':
        return x.v;
      case 'bool':
        return x.v;
      case 'null':
        return null;
      case 'sym': {
        const s: Symbolic = { symbolic: true, description: x.description, text: x.text };
        return s;
      }
      case 'list':
        return x.v.map((e, i) => walk(e, [...p, i]));
      case 'obj': {
        const o: { [k: string]: JsonLike } = {};
        for (const [k, e] of x.v) o[k] = walk(e, [...p, k]);
        return o;
      }
    }
  };
  return { json: walk(v, []), locations };
}

/** Location of the node at `path`, else of its nearest located ancestor. */
export function locator(
  locations: Map<string, SourceLocation>,
): (path: readonly (string | number)[]) => SourceLocation | undefined {
  return (p) => {
    for (let n = p.length; n >= 0; n--) {
      const l = locations.get(pathKey(p.slice(0, n)));
      if (l) return l;
    }
    return undefined;
  };
}

/** File location of offset `off` in a mapped string. */
export function mapOffset(map: SrcMap, off: number): SourceLocation | undefined {
  const segs = map.segs;
  if (segs.length === 0) return undefined;
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((segs[mid] as SrcMap['segs'][number]).out <= off) lo = mid;
    else hi = mid - 1;
  }
  const s = segs[lo] as SrcMap['segs'][number];
  return { file: map.file, line: s.line, column: s.fixed ? s.col : s.col + Math.max(0, off - s.out) };
}

/** Builds a string and its SrcMap piece by piece. */
export class MappedText {
  text = '';
  segs: SrcMap['segs'] = [];
  constructor(readonly file: string) {}
  /** Append `s`, whose first char sits at (line, col) and whose chars advance the column (newlines start new lines at col 1). */
  addSource(s: string, line: number, col: number): void {
    const base = this.text.length;
    this.segs.push({ out: base, line, col });
    let l = line;
    for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) {
      l++;
      this.segs.push({ out: base + i + 1, line: l, col: 1 });
    }
    this.text += s;
  }
  /** Append text that all maps to one place (an interpolation). */
  addFixed(s: string, line: number, col: number): void {
    this.segs.push({ out: this.text.length, line, col, fixed: true });
    this.text += s;
  }
  /** Append text that carries its own map. */
  addMapped(s: string, map: SrcMap | undefined, fallback?: SourceLocation): void {
    if (map && map.file === this.file) {
      for (const seg of map.segs) this.segs.push({ ...seg, out: seg.out + this.text.length });
      this.text += s;
    } else if (fallback?.line) this.addFixed(s, fallback.line, fallback.column ?? 1);
    else this.text += s;
  }
  map(): SrcMap {
    return { file: this.file, segs: this.segs };
  }
}

/** Removes locations (values taken from variable defaults, tfvars or callers are located where they are used). */
export function stripLocs(v: Val): Val {
  switch (v.t) {
    case 'list':
      return { t: 'list', v: v.v.map(stripLocs) };
    case 'obj':
      return { t: 'obj', v: new Map([...v.v].map(([k, x]) => [k, stripLocs(x)])) };
    case 'str': {
      const out: Val = { t: 'str', v: v.v };
      if (v.json) out.json = stripLocs(v.json);
      return out;
    }
    case 'sym': {
      const { loc: _loc, ...rest } = v;
      return rest;
    }
    default: {
      const { loc: _loc, ...rest } = v;
      return rest as Val;
    }
  }
}
