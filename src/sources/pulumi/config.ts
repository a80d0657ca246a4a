/**
 * Pulumi configuration: what the project file declares (`config:` with `default`, `type`, `secret`) and
 * what each stack's settings file (`Pulumi.<stack>.yaml`, `config:` with `project:key` names) sets.
 * A secret (`secure:`) value is never known.
 */
import type { JsonLike } from '../../model/types.js';
import type { CNode } from '../cloudformation/nodes.js';
import { get, scalarText } from '../cloudformation/nodes.js';
import type { ConfigValue } from './evaluate.js';

/** A node as plain data (config values are data: no interpolation). */
export function plain(n: CNode): JsonLike {
  if (n.t === 'scalar') return n.v === null ? null : typeof n.v === 'boolean' ? n.v : String(n.v);
  if (n.t === 'seq') return n.items.map(plain);
  return Object.fromEntries(n.entries.map((e) => [e.key, plain(e.value)])) as JsonLike;
}

/** The project's own declarations: every declared key, and the defaults. */
export function projectConfig(section: CNode | undefined): {
  declared: Set<string>;
  defaults: Map<string, ConfigValue>;
} {
  const declared = new Set<string>();
  const defaults = new Map<string, ConfigValue>();
  if (section?.t !== 'map') return { declared, defaults };
  for (const e of section.entries) {
    declared.add(e.key);
    const v = e.value;
    if (v.t !== 'map') {
      // `key: value` is the short form of a value.
      if (!(v.t === 'scalar' && v.v === null)) defaults.set(e.key, { known: plain(v) });
      continue;
    }
    const def = get(v, 'default') ?? get(v, 'value');
    if (def !== undefined) defaults.set(e.key, { known: plain(def) });
    else if (scalarText(get(v, 'secret')) === 'true')
      defaults.set(e.key, { unknown: `secret config ${e.key}` });
  }
  return { declared, defaults };
}

/**
 * One stack's settings: `project:key` (and bare `key`) for the project's own keys, other namespaces
 * (`aws:region`) kept with theirs.
 */
export function stackConfig(root: CNode | undefined, project: string | undefined): Map<string, ConfigValue> {
  const out = new Map<string, ConfigValue>();
  const section = get(root, 'config');
  if (section?.t !== 'map') return out;
  for (const e of section.entries) {
    const colon = e.key.indexOf(':');
    const ns = colon < 0 ? undefined : e.key.slice(0, colon);
    const key = colon >= 0 && ns === project ? e.key.slice(colon + 1) : e.key;
    const secure = get(e.value, 'secure');
    if (secure !== undefined)
      out.set(key, { unknown: `secret config ${key} (encrypted in the stack settings)` });
    else out.set(key, { known: plain(e.value) });
  }
  return out;
}

/** `aws:allowedAccountIds` naming exactly one account: the stack's own account. */
export function stackAccount(config: ReadonlyMap<string, ConfigValue>): string | undefined {
  const c = config.get('aws:allowedAccountIds');
  if (!c || !('known' in c)) return undefined;
  const v = c.known;
  const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return list.length === 1 && typeof list[0] === 'string' && /^\d{12}$/.test(list[0]) ? list[0] : undefined;
}
