/** Helpers shared by the operator modules: segment text, wildcard patterns, numbers, dates, IPs, ARNs. */
import type { Matcher, Seg } from './types.js';

export function segText(segs: readonly Seg[]): string {
  if (segs.length === 1) return segs[0]!.text;
  let s = '';
  for (const g of segs) s += g.text;
  return s;
}

// ---------------------------------------------------------------------------------------------- globs

const LIT = 0;
const STAR = 1;
const ONE = 2;

/** A wildcard pattern: `chars[i]` with `kinds[i]` (literal, `*`, `?`). */
export interface Glob {
  chars: string;
  kinds: Uint8Array;
  /** No wildcard at all: plain comparison. */
  literal: boolean;
  /** Only `*`s (or empty of literals and `?`): matches every string. */
  matchesAll: boolean;
}

/** Build a glob from segments; wildcards only in `wild` segments (and only when `wildcards` is true). */
export function compileGlob(segs: readonly Seg[], wildcards = true): Glob {
  const chars = segText(segs);
  const kinds = new Uint8Array(chars.length);
  let i = 0;
  let literal = true;
  let allStar = chars.length > 0;
  for (const g of segs) {
    for (let j = 0; j < g.text.length; j++, i++) {
      const c = g.text.charCodeAt(j);
      if (wildcards && g.wild && c === 42 /* * */) {
        kinds[i] = STAR;
        literal = false;
      } else if (wildcards && g.wild && c === 63 /* ? */) {
        kinds[i] = ONE;
        literal = false;
        allStar = false;
      } else {
        allStar = false;
      }
    }
  }
  return { chars, kinds, literal, matchesAll: allStar };
}

/** A glob from plain text where every `*` and `?` is a wildcard. */
export function globOf(text: string): Glob {
  return compileGlob([{ text, wild: true }]);
}

/** Wildcard match (`*` any run, `?` exactly one character) without regular expressions. */
export function globMatch(g: Glob, s: string, from = 0, to = g.chars.length): boolean {
  if (g.literal && from === 0 && to === g.chars.length) return s === g.chars;
  if (g.matchesAll && from === 0 && to === g.chars.length) return true;
  const p = g.chars;
  const k = g.kinds;
  let pi = from;
  let si = 0;
  let starP = -1;
  let starS = 0;
  const n = s.length;
  while (si < n) {
    if (pi < to && (k[pi] === ONE || (k[pi] === LIT && p.charCodeAt(pi) === s.charCodeAt(si)))) {
      pi++;
      si++;
    } else if (pi < to && k[pi] === STAR) {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pi < to && k[pi] === STAR) pi++;
  return pi === to;
}

/** Case-insensitive variant: lower-cases both sides (the glob must be built from lower-cased text). */
export function globMatchLower(g: Glob, s: string): boolean {
  return globMatch(g, s.toLowerCase());
}

// -------------------------------------------------------------------------------------------- numbers

const NUM_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A decimal number as AWS writes them (`10`, `-3`, `2.5`); anything else is undefined. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (!NUM_RE.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function numericOperator(cmp: (request: number, policy: number) => boolean) {
  return (segs: readonly Seg[]): Matcher | undefined => {
    const p = parseNumber(segText(segs));
    if (p === undefined) return undefined;
    return (r) => {
      const n = parseNumber(r);
      return n === undefined ? undefined : cmp(n, p);
    };
  };
}

// ---------------------------------------------------------------------------------------------- dates

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const EPOCH_RE = /^-?\d+$/;

/**
 * Milliseconds since the epoch for an ISO 8601 date/time (`2024-01-31`, `2024-01-31T10:00:00Z`, with an
 * offset or fraction) or a POSIX epoch in seconds (`1706695200`). A date/time without a zone is UTC.
 */
export function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (EPOCH_RE.test(t)) return Number(t) * 1000;
  const m = ISO_RE.exec(t);
  if (!m) return undefined;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let iso = t.replace(' ', 'T');
  if (m[4] !== undefined && m[7] === undefined) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

export function dateOperator(cmp: (request: number, policy: number) => boolean) {
  return (segs: readonly Seg[]): Matcher | undefined => {
    const p = parseDate(segText(segs));
    if (p === undefined) return undefined;
    return (r) => {
      const n = parseDate(r);
      return n === undefined ? undefined : cmp(n, p);
    };
  };
}

// ------------------------------------------------------------------------------------------------ IPs

/** An address as 4 (IPv4) or 8 (IPv6) numbers, or undefined. */
export function parseIp(s: string): number[] | undefined {
  if (s.includes(':')) return parseIpv6(s);
  return parseIpv4(s);
}

/** Dotted-quad IPv4 as a 32-bit unsigned number; -1 when malformed. Allocation-free. */
export function ipv4ToNumber(s: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 3) return -1;
      octet = octet * 10 + (c - 48);
      digits++;
    } else if (c === 46 /* . */) {
      if (digits === 0 || octet > 255 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0 || octet > 255) return -1;
  return value * 256 + octet;
}

function parseIpv4(s: string): number[] | undefined {
  const n = ipv4ToNumber(s);
  if (n < 0) return undefined;
  return [Math.floor(n / 16777216) % 256, Math.floor(n / 65536) % 256, Math.floor(n / 256) % 256, n % 256];
}

function parseIpv6(s: string): number[] | undefined {
  let text = s;
  let tail: number[] = [];
  // embedded IPv4 in the last 32 bits (::ffff:1.2.3.4)
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    const head = text.slice(0, lastColon + 1); // ends with ':'
    // "::" right before the IPv4 part stays a compression marker; a single ':' is just a separator
    text = head.endsWith('::') ? head : head.slice(0, -1);
  }
  const dbl = text.indexOf('::');
  if (dbl !== text.lastIndexOf('::')) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const h of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(h)) return undefined;
      out.push(Number.parseInt(h, 16));
    }
    return out;
  };
  const want = 8 - tail.length;
  if (dbl >= 0) {
    const head = parse(text.slice(0, dbl));
    const rest = parse(text.slice(dbl + 2));
    if (!head || !rest || head.length + rest.length >= want) return undefined;
    return [...head, ...new Array<number>(want - head.length - rest.length).fill(0), ...rest, ...tail];
  }
  const all = parse(text);
  if (!all || all.length !== want) return undefined;
  return [...all, ...tail];
}

export interface Cidr {
  words: number[];
  /** IPv4 only: the address as a 32-bit unsigned number. */
  v4?: number;
  /** Prefix length in bits. */
  bits: number;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (full-length prefix). */
export function parseCidr(s: string): Cidr | undefined {
  const t = s.trim();
  const slash = t.indexOf('/');
  const addr = parseIp(slash < 0 ? t : t.slice(0, slash));
  if (!addr) return undefined;
  const max = addr.length === 4 ? 32 : 128;
  const v4 = addr.length === 4 ? ((addr[0]! * 256 + addr[1]!) * 256 + addr[2]!) * 256 + addr[3]! : undefined;
  let bits = max;
  if (slash >= 0) {
    const b = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return undefined;
    bits = Number(b);
    if (bits > max) return undefined;
  }
  return v4 === undefined ? { words: addr, bits } : { words: addr, bits, v4 };
}

/** Whether `ip` lies in `cidr`; undefined if `ip` is not an address; false across IPv4/IPv6. */
export function ipInCidr(cidr: Cidr, ip: string): boolean | undefined {
  if (cidr.words.length === 4 && !ip.includes(':')) {
    // IPv4 fast path: compare the top `bits` bits as numbers
    const a = ipv4ToNumber(ip.trim());
    if (a < 0) return undefined;
    if (cidr.bits === 0) return true;
    const div = 2 ** (32 - cidr.bits);
    return Math.floor(a / div) === Math.floor(cidr.v4! / div);
  }
  const a = parseIp(ip.trim());
  if (!a) return undefined;
  if (a.length !== cidr.words.length) return false;
  const wordBits = a.length === 4 ? 8 : 16;
  let left = cidr.bits;
  for (let i = 0; i < a.length && left > 0; i++) {
    const take = Math.min(wordBits, left);
    const shift = wordBits - take;
    if (a[i]! >> shift !== cidr.words[i]! >> shift) return false;
    left -= take;
  }
  return true;
}

// ----------------------------------------------------------------------------------------------- ARNs

/** Positions of the first five colons of an ARN-like string, or undefined when it has fewer. */
export function arnColons(s: string): number[] | undefined {
  const out: number[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const c = s.indexOf(':', from);
    if (c < 0) return undefined;
    out.push(c);
    from = c + 1;
  }
  return out;
}

/** ArnEquals/ArnLike: each of the six colon-separated parts matched separately, with wildcards. */
export function compileArnPattern(segs: readonly Seg[]): Matcher | undefined {
  const g = compileGlob(segs, true);
  // split at the first five colons that are literal characters of the pattern
  const cuts: number[] = [];
  for (let i = 0; i < g.chars.length && cuts.length < 5; i++) {
    if (g.kinds[i] === LIT && g.chars.charCodeAt(i) === 58) cuts.push(i);
  }
  if (cuts.length < 5) return undefined;
  const starts = [0, cuts[0]! + 1, cuts[1]! + 1, cuts[2]! + 1, cuts[3]! + 1, cuts[4]! + 1];
  const ends = [cuts[0]!, cuts[1]!, cuts[2]!, cuts[3]!, cuts[4]!, g.chars.length];
  return (r) => {
    const rc = arnColons(r);
    if (!rc) return undefined;
    const rs = [0, rc[0]! + 1, rc[1]! + 1, rc[2]! + 1, rc[3]! + 1, rc[4]! + 1];
    const re = [rc[0]!, rc[1]!, rc[2]!, rc[3]!, rc[4]!, r.length];
    for (let i = 0; i < 6; i++) {
      if (!globMatch(g, r.slice(rs[i], re[i]), starts[i], ends[i])) return false;
    }
    return true;
  };
}
