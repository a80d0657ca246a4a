import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** What a secret is replaced with, wherever it would leave trustaudit. */
export const REDACTED = '[redacted]';

/** Values shorter than this are never treated as secrets ("1", "true", a region...). */
export const MIN_SECRET_LENGTH = 8;

/**
 * Words that make an environment variable's value a secret when they appear in its name
 * (case-insensitive, anywhere in the name): `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`,
 * `MY_APIKEY`, `SNYK_AUTH`, `NPM_CONFIG__AUTH`, `SSH_PRIVATE`, `AWS_SESSION_TOKEN`, `COOKIE_JAR`...
 */
export const SECRET_NAME_WORDS = [
  'SECRET',
  'TOKEN',
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'CREDENTIAL',
  'AUTH',
  'PRIVATE',
  'SESSION',
  'KEY',
  'COOKIE',
  'SIGNATURE',
] as const;

/**
 * Names that contain a secret word but hold a location or a label, not a secret:
 * `AWS_WEB_IDENTITY_TOKEN_FILE`, `SSH_AUTH_SOCK`, `GNUPG_KEY_DIR`, `AWS_ROLE_SESSION_NAME`,
 * `SECRETS_MANAGER_REGION`, `AUTH_SERVER_URL` (a password in a URL is still taken, by `urlSecrets`).
 * For `..._FILE` names the content of the file is the secret (read by `secretsFromEnvironment`).
 */
const NOT_SECRET_SUFFIXES = [
  '_FILE',
  '_PATH',
  '_DIR',
  '_SOCK',
  '_SOCKET',
  '_NAME',
  '_ARN',
  '_REGION',
  '_URL',
  '_URI',
  '_HOST',
  '_PORT',
  '_TYPE',
  '_MODE',
] as const;

/** Files named by `..._TOKEN_FILE`-style variables are read up to this size (a token is a few KiB). */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** Replaces every known secret in text and values that leave the tool. Build one per run; never global. */
export interface Redactor {
  /** Learn secrets (credentials the SDK resolved, a URL's password). Trivial values are ignored. */
  add(...values: (string | undefined | null)[]): void;
  /** `text` with every known secret replaced by `[redacted]`. */
  text(text: string): string;
  /**
   * A copy of `value` (JSON-like: objects, arrays, strings...) with every string and key redacted.
   * Parts that hold no secret are returned as they are (shared, not copied); with no secret known,
   * `value` itself comes back without a walk.
   */
  value<T>(value: T): T;
  /** How many distinct secrets are known. */
  readonly size: number;
}

/** True when a value is worth redacting: long enough, and not a number or a yes/no word. */
export function isNonTrivialSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < MIN_SECRET_LENGTH) return false;
  if (/^[0-9.,:-]+$/.test(v)) return false; // numbers, account ids, dates, ports: they appear in every report
  return !/^(true|false|yes|no|on|off|null|none|undefined|disabled|enabled)$/i.test(v);
}

/** Whether an environment variable's name says that its value is a secret. */
export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (NOT_SECRET_SUFFIXES.some((s) => upper.endsWith(s))) return false;
  return SECRET_NAME_WORDS.some((w) => upper.includes(w));
}

/**
 * `text` with the `user:password` of every URL (`scheme://user:password@host`) redacted. Only a part
 * with a password counts: `ssh://git@host` and e-mail addresses stay. One pass, linear in the text.
 */
export function redactUrlUserinfo(text: string): string {
  let at = text.indexOf('://');
  if (at < 0) return text;
  let out = '';
  let copied = 0;
  while (at >= 0) {
    const start = at + 3;
    let end = start;
    let colon = false;
    while (end < text.length) {
      const ch = text.charCodeAt(end);
      // Stop at the end of the authority: / ? # @ or whitespace.
      if (ch === 47 || ch === 63 || ch === 35 || ch === 64 || ch <= 32) break;
      if (ch === 58) colon = true;
      end++;
    }
    if (end < text.length && text.charCodeAt(end) === 64 && colon && end > start) {
      out += text.slice(copied, start) + REDACTED;
      copied = end;
    }
    at = text.indexOf('://', Math.max(end, start));
  }
  return copied === 0 ? text : out + text.slice(copied);
}

export function createRedactor(initial: readonly (string | undefined | null)[] = []): Redactor {
  const secrets = new Set<string>();
  // Every form a secret is looked for in, longest first (a secret that contains another is replaced
  // whole), rebuilt when a secret is added.
  let forms: string[] = [];
  let dirty = false;
  const currentForms = (): string[] => {
    if (dirty) {
      const all = new Set<string>();
      for (const s of secrets) {
        all.add(s);
        // The same secret as it appears in a URL query or a form body.
        all.add(encodeURIComponent(s));
      }
      forms = [...all].sort((a, b) => b.length - a.length);
      dirty = false;
    }
    return forms;
  };
  const text = (s: string): string => {
    if (s.length < MIN_SECRET_LENGTH) return s;
    let out = s;
    // `includes` first: almost no string holds a secret, and a plain search is much cheaper than a replace.
    for (const form of currentForms()) if (out.includes(form)) out = out.split(form).join(REDACTED);
    // A user name and password written into a URL (`https://user:pass@host`) never leave either.
    return out.includes('://') && out.includes('@') ? redactUrlUserinfo(out) : out;
  };
  // Reports are JSON (no cycles: they are serialised as they are). Shared parts are walked once per
  // reference, which is cheaper than remembering every object.
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const r = walk(item);
        if (r !== item) {
          copy ??= v.slice();
          copy[i] = r;
        }
      }
      return copy ?? v;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v; // Dates, Maps...: not report text
    const obj = v as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    let renamed = false;
    for (const key in obj) {
      const item = obj[key];
      const r = walk(item);
      if (r !== item) {
        copy ??= { ...obj };
        copy[key] = r;
      }
      // Keys are text too (tags, names of accounts and corrected policies).
      if (!renamed && text(key) !== key) renamed = true;
    }
    const out = copy ?? obj;
    if (!renamed) return out;
    const rekeyed: Record<string, unknown> = {};
    for (const key in out) rekeyed[text(key)] = out[key];
    return rekeyed;
  };
  const redactor: Redactor = {
    add(...values) {
      for (const raw of values) {
        if (typeof raw !== 'string') continue;
        for (const v of new Set([raw, raw.trim()])) {
          if (isNonTrivialSecret(v) && !secrets.has(v)) {
            secrets.add(v);
            dirty = true;
          }
        }
      }
    },
    text,
    value<T>(value: T): T {
      // Nothing to look for (no secret known): only URL user:password could be found, and in a report
      // without secrets that is text the scanned files wrote, shown as it is.
      if (secrets.size === 0) return value;
      return walk(value) as T;
    },
    get size() {
      return secrets.size;
    },
  };
  redactor.add(...initial);
  return redactor;
}

/** Reads a small regular file as text; undefined for anything else (FIFOs, devices, missing, too large). */
export type SecretFileReader = (path: string) => string | undefined;

export const readSmallRegularFile: SecretFileReader = (path) => {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO never blocks the open; fstat then refuses it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_SECRET_FILE_BYTES) return undefined;
    const buf = Buffer.alloc(Math.min(st.size, MAX_SECRET_FILE_BYTES));
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};

/**
 * Secret values of the environment: every variable whose name says it is secret (`isSecretName`), the
 * password of any URL in such a variable or in `AWS_ENDPOINT_URL*`, and the content of files named by
 * `..._TOKEN_FILE`-style variables (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`).
 */
export function secretsFromEnvironment(
  env: Record<string, string | undefined>,
  readFile: SecretFileReader = readSmallRegularFile,
): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    const upper = name.toUpperCase();
    if (isSecretName(name)) out.push(value);
    else if (upper.endsWith('_FILE') && isSecretName(upper.slice(0, -'_FILE'.length))) {
      const content = readFile(value);
      if (content !== undefined) out.push(content);
    }
    out.push(...urlSecrets(value));
  }
  return out.filter(isNonTrivialSecret);
}

/** The user name and password of a URL (`http://user:pass@host`), decoded, when it has them. */
export function urlSecrets(value: string): string[] {
  if (!value.includes('@') || !value.includes('://')) return [];
  try {
    const u = new URL(value);
    const out: string[] = [];
    if (u.password) out.push(u.password, decodeURIComponent(u.password));
    return out;
  } catch {
    return [];
  }
}

/** A URL without its user name and password; anything that is not a URL comes back unchanged. */
export function stripUrlCredentials(value: string): string {
  if (!value.includes('@') || !value.includes('://')) return value;
  try {
    const u = new URL(value);
    if (!u.username && !u.password) return value;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    // Not parseable as a whole: remove anything that looks like `scheme://user:pass@`.
    return value.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
  }
}

/** A writable stream (stderr) whose every write is redacted first. */
export function redactingStream<S extends { write(s: string): unknown; isTTY?: boolean }>(
  stream: S,
  redactor: Redactor,
): { write(s: string): unknown; isTTY?: boolean } {
  return {
    write: (s: string) => stream.write(redactor.text(s)),
    ...(stream.isTTY !== undefined ? { isTTY: stream.isTTY } : {}),
  };
}
