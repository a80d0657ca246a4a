import { isSymbolic, type PolicyValue } from '../model/types.js';
import type { ContextValue, RequestContext } from './types.js';

/** What `makeContext` accepts per key: a full ContextValue, one value, or a list of values. */
export type ContextEntry = ContextValue | PolicyValue | readonly PolicyValue[];

export type ContextEntries = Readonly<Record<string, ContextEntry>> | ReadonlyMap<string, ContextEntry>;

const ABSENT: ContextValue = { kind: 'absent' };
const FREE: ContextValue = { kind: 'free' };

function isContextValue(e: ContextEntry): e is ContextValue {
  return typeof e === 'object' && !Array.isArray(e) && !isSymbolic(e) && 'kind' in (e as object);
}

function toContextValue(e: ContextEntry): ContextValue {
  if (typeof e === 'string' || isSymbolic(e)) return { kind: 'present', values: [e] };
  if (Array.isArray(e)) return { kind: 'present', values: [...(e as readonly PolicyValue[])] };
  if (isContextValue(e)) return e;
  return ABSENT;
}

/**
 * A request context from a table of keys. Keys are compared case-insensitively (`aws:SourceIp` ==
 * `AWS:sourceip`). Keys not listed are `absent`, or `free` when `fallback` is `'free'`.
 */
export function makeContext(entries: ContextEntries, fallback: 'absent' | 'free' = 'absent'): RequestContext {
  const map = new Map<string, ContextValue>();
  const it = entries instanceof Map ? entries.entries() : Object.entries(entries);
  for (const [k, v] of it as Iterable<[string, ContextEntry]>) map.set(k.toLowerCase(), toContextValue(v));
  const dflt = fallback === 'free' ? FREE : ABSENT;
  return {
    get(key: string): ContextValue {
      const hit = map.get(key);
      if (hit) return hit;
      const lower = key.toLowerCase();
      return (lower === key ? undefined : map.get(lower)) ?? dflt;
    },
  };
}

/** A context where every key is absent. */
export function emptyContext(): RequestContext {
  return { get: () => ABSENT };
}
