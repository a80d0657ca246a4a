import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { KnownAccount } from '../analysis/zone.js';
import { type RootRead, readRegularFile } from '../scan/scan-root.js';
import { ConfigError } from './errors.js';

/** One entry of a vendor list in the known_aws_accounts format (a YAML list). */
const EntrySchema = z
  .object({
    name: z.string().min(1),
    source: z.array(z.string()).optional(),
    // An unquoted id is read by YAML as a number and loses its leading zeros: put them back.
    accounts: z.array(z.union([z.string(), z.number().transform((v) => String(v).padStart(12, '0'))])),
    type: z.literal('aws').optional(),
    enabled: z.boolean().optional(),
    deprecated_date: z.union([z.string(), z.date()]).optional(),
  })
  .passthrough();

const ListSchema = z.array(EntrySchema);

/** A vendor list is small (the public one is about 100 KB): anything larger is refused. */
export const MAX_KNOWN_ACCOUNTS_BYTES = 16 * 1024 * 1024;

/**
 * How a vendor list is read: by default any regular file (a path the user typed), bounded; a list
 * named by a config file inside the scanned tree is read through the scan root instead.
 */
export type KnownAccountsReader = (file: string) => RootRead;

const trustedRead: KnownAccountsReader = (file) => readRegularFile(file, MAX_KNOWN_ACCOUNTS_BYTES);

/**
 * Read a vendor list (known_aws_accounts YAML or JSON format) into account id -> vendor.
 * Entries marked `enabled: false` are still named (an old vendor account is still that vendor's),
 * with "(retired)" so the reader knows. Only a regular file is read (never `/dev/zero` or a FIFO).
 */
export function loadKnownAccounts(
  file: string,
  read: KnownAccountsReader = trustedRead,
): Map<string, KnownAccount> {
  const r = read(file);
  if (!r.ok) throw new ConfigError(`cannot read known accounts: ${r.reason}`);
  return parseKnownAccounts(r.text, file);
}

export function parseKnownAccounts(text: string, file: string): Map<string, KnownAccount> {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = e.linePos?.[0];
    throw new ConfigError(`${file}:${p ? `${p.line}:${p.col}` : '1:1'}: ${e.message.split('\n')[0]}`);
  }
  const parsed = ListSchema.safeParse(doc.toJS({ maxAliasCount: 0 }));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
    let at: { line: number; col: number } | undefined;
    for (let n = path.length; !at && n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) at = lc.linePos(node.range[0]);
    }
    throw new ConfigError(
      `${file}${at ? `:${at.line}:${at.col}` : ''}: not a known-accounts list (${path.join('.') || 'top level'}: ${i.message})`,
    );
  }
  const out = new Map<string, KnownAccount>();
  for (const entry of parsed.data) {
    const retired = entry.enabled === false || entry.deprecated_date !== undefined;
    const name = entry.type === 'aws' ? `AWS ${entry.name}` : entry.name;
    for (const id of entry.accounts) {
      if (!/^\d{12}$/.test(id))
        throw new ConfigError(`${file}: "${id}" (${entry.name}) is not a 12-digit account id`);
      if (out.has(id)) continue; // first entry wins; lists sometimes repeat an account
      out.set(id, {
        id,
        name: retired ? `${name} (retired)` : name,
        ...(entry.source?.[0] ? { source: entry.source[0] } : {}),
      });
    }
  }
  return out;
}

/** The YAML lists in order, parsed: an account in an earlier list is never overridden by a later one. */
export function parseBundledAccounts(
  lists: readonly { rel: string; text: string }[],
): Map<string, KnownAccount> {
  const out = new Map<string, KnownAccount>();
  for (const { rel, text } of lists) {
    for (const [id, entry] of parseKnownAccounts(text, rel.slice('data/'.length))) {
      if (!out.has(id)) out.set(id, entry);
    }
  }
  return out;
}
