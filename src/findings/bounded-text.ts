import { hash } from 'node:crypto';
import type { ScanError } from '../model/types.js';
import type { ExampleRequest, Finding } from './types.js';

/**
 * Text from the input, kept to a readable length in every report. A scanned file can hold a 20 MB Sid
 * or role name; messages quote such values, and without a bound each report would repeat them (one
 * message per finding, per format). Each value longer than the `message-length` budget is cut, with a
 * visible marker saying how much was left out, wherever a message quotes it, and in the display fields
 * (name, Sid). Fields that identify something for tools (`resource.id`, `resource.arn`, principal
 * values) keep the full value up to a much larger bound, past any valid ARN (IAM allows 2,048
 * characters); beyond it they are cut too, with a hash of the whole value in the marker so that two
 * different values stay different. `evidence.data` and file paths are kept (fingerprints are hashes).
 */

/** How much longer than the budget a whole message may grow (it can quote several values). */
const FIELD_FACTOR = 64;

/** `s` cut to `max` characters plus a marker naming how many were left out (never splits a surrogate pair). */
export function boundText(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max);
  const c = s.charCodeAt(cut - 1);
  if (c >= 0xd800 && c <= 0xdbff) cut--;
  return `${s.slice(0, cut)}…[${s.length - cut} more characters]`;
}

/** The bound of identity fields and of whole messages, for a `message-length` budget of `max`. */
export function fieldMax(max: number): number {
  return max * FIELD_FACTOR;
}

/** An identity field cut to `max` characters; the marker names a hash of the whole value. */
export function boundId(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${boundText(s, max)}[sha256 ${hash('sha256', s, 'hex').slice(0, 16)}]`;
}

/** Replaces every long input value quoted in `s` with its cut form, then bounds `s` as a whole. */
function boundField(s: string, long: readonly string[], max: number): string {
  let out = s;
  for (const v of long) if (out.includes(v)) out = out.split(v).join(boundText(v, max));
  return boundText(out, max * FIELD_FACTOR);
}

function same<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The values of a finding that come from the input and may be quoted in its messages, longest first. */
function longValues(f: Finding, max: number): string[] {
  const vals = [
    f.resource.name,
    f.resource.id,
    f.resource.arn,
    f.resource.construct,
    f.resource.variant,
    f.statement?.sid,
    ...f.principals.map((p) => p.value),
  ];
  const long = new Set<string>();
  for (const v of vals) if (v !== undefined && v.length > max) long.add(v);
  return [...long].sort((a, b) => b.length - a.length);
}

/** Whether an input value of `f` is longer than the budget (no allocation: this runs for every finding). */
function hasLongValue(f: Finding, max: number): boolean {
  const r = f.resource;
  if (r.name.length > max || r.id.length > max || (r.arn?.length ?? 0) > max) return true;
  if ((r.construct?.length ?? 0) > max || (r.variant?.length ?? 0) > max) return true;
  if ((f.statement?.sid?.length ?? 0) > max) return true;
  for (let i = 0; i < f.principals.length; i++) if ((f.principals[i]?.value.length ?? 0) > max) return true;
  return false;
}

/** Whether any text field of `f` is longer than the budget could allow without a long value in it. */
function hasLongText(f: Finding, max: number): boolean {
  const limit = max * FIELD_FACTOR;
  if (f.message.length > limit || f.title.length > limit) return true;
  if (f.evidence.summary.length > limit || anyOver(f.evidence.details, limit)) return true;
  if (f.remediation.summary.length > limit || anyOver(f.remediation.steps, limit)) return true;
  if ((f.suppression?.reason.length ?? 0) > limit) return true;
  for (let i = 0; i < f.principals.length; i++) {
    const p = f.principals[i] as Finding['principals'][number];
    if ((p.note?.length ?? 0) > limit || (p.accountName?.length ?? 0) > Math.min(limit, max)) return true;
  }
  return false;
}

function anyOver(list: readonly string[], limit: number): boolean {
  for (let i = 0; i < list.length; i++) if ((list[i] as string).length > limit) return true;
  return false;
}

function boundRequest(r: ExampleRequest, long: readonly string[], max: number): ExampleRequest {
  const context: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.context)) {
    context[boundText(k, max)] = Array.isArray(v)
      ? v.map((x) => boundField(x, long, max))
      : boundField(v, long, max);
  }
  return { ...r, principal: boundField(r.principal, long, max), context };
}

/**
 * `f` with its text bounded (a new object only when something had to be cut: findings share evidence
 * and principals between roles, so nothing is changed in place).
 */
export function boundFinding(f: Finding, max: number): Finding {
  if (!hasLongValue(f, max) && !hasLongText(f, max) && !requestIsLong(f.evidence.request, max)) return f;
  const long = longValues(f, max);
  const t = (s: string) => boundField(s, long, max);
  const idMax = fieldMax(max);
  const resource = {
    ...f.resource,
    id: boundId(f.resource.id, idMax),
    name: boundText(f.resource.name, max),
  };
  if (f.resource.arn !== undefined) resource.arn = boundId(f.resource.arn, idMax);
  if (f.resource.construct !== undefined) resource.construct = boundText(f.resource.construct, max);
  if (f.resource.variant !== undefined) resource.variant = boundText(f.resource.variant, max);
  const details = f.evidence.details.map(t);
  const evidence = {
    ...f.evidence,
    summary: t(f.evidence.summary),
    details: same(details, f.evidence.details) ? f.evidence.details : details,
  };
  if (f.evidence.request) evidence.request = boundRequest(f.evidence.request, long, max);
  const { command, ...rem } = f.remediation;
  const remediation: Finding['remediation'] = {
    ...rem,
    summary: t(rem.summary),
    steps: rem.steps.map(t),
  };
  // A command naming a cut value would name another role: it is left out (no valid IAM name is this long).
  if (command !== undefined && !long.some((v) => command.includes(v)) && command.length <= max * FIELD_FACTOR)
    remediation.command = command;
  const out: Finding = {
    ...f,
    title: t(f.title),
    message: t(f.message),
    resource,
    principals: f.principals.map((p) => {
      const q = { ...p, value: boundId(p.value, idMax) };
      if (p.note !== undefined) q.note = t(p.note);
      if (p.accountName !== undefined) q.accountName = boundText(p.accountName, max);
      return q;
    }),
    evidence,
    remediation,
  };
  if (f.statement?.sid !== undefined)
    out.statement = { ...f.statement, sid: boundText(f.statement.sid, max) };
  if (f.suppression) out.suppression = { ...f.suppression, reason: t(f.suppression.reason) };
  return out;
}

function requestIsLong(r: ExampleRequest | undefined, max: number): boolean {
  if (!r) return false;
  if (r.principal.length > max) return true;
  // for-in rather than Object.entries: no arrays made for each finding of the report.
  const context = r.context;
  for (const k in context) {
    if (k.length > max) return true;
    const v = context[k] as string | string[];
    if (typeof v === 'string') {
      if (v.length > max) return true;
    } else {
      for (let i = 0; i < v.length; i++) if ((v[i] as string).length > max) return true;
    }
  }
  return false;
}

/** `e` with its message bounded (file paths are bounded by the file system and kept whole). */
export function boundError(e: ScanError, max: number): ScanError {
  if (e.message.length <= max * FIELD_FACTOR) return e;
  return { ...e, message: boundText(e.message, max * FIELD_FACTOR) };
}
