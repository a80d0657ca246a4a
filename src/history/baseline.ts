import type { Report } from '../reporters/types.js';
import { readRegularFile } from '../scan/scan-root.js';

/** The largest baseline read: about the most one JavaScript string holds. */
const MAX_BASELINE_BYTES = 512 * 1024 * 1024;

/** A baseline file that cannot be used (unreadable, not JSON, not a trustaudit report). */
export class BaselineError extends Error {}

/**
 * Fingerprints in an earlier report: the JSON report (`findings[].fingerprint`), a bare array of findings,
 * or a SARIF log written by trustaudit (`partialFingerprints["trustaudit/..."]`).
 */
export function baselineFingerprints(text: string, file: string): Set<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`baseline ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const out = new Set<string>();
  const fromFindings = (list: unknown) => {
    if (!Array.isArray(list)) return false;
    for (const f of list) {
      const fp = (f as { fingerprint?: unknown } | null)?.fingerprint;
      if (typeof fp === 'string' && fp) out.add(fp);
    }
    return true;
  };
  if (Array.isArray(doc)) {
    fromFindings(doc);
    return out;
  }
  if (doc && typeof doc === 'object') {
    const o = doc as { findings?: unknown; runs?: unknown };
    if (fromFindings(o.findings)) return out;
    if (Array.isArray(o.runs)) {
      for (const run of o.runs) {
        const results = (run as { results?: unknown } | null)?.results;
        if (!Array.isArray(results)) continue;
        for (const r of results) {
          const pf = (r as { partialFingerprints?: Record<string, unknown> } | null)?.partialFingerprints;
          if (!pf || typeof pf !== 'object') continue;
          for (const [k, v] of Object.entries(pf))
            if (k.startsWith('trustaudit/') && typeof v === 'string') out.add(v);
        }
      }
      return out;
    }
  }
  throw new BaselineError(
    `baseline ${file} is not a trustaudit report: expected a JSON report (with "findings") or a SARIF log`,
  );
}

/**
 * A copy of `report` whose findings say whether the baseline already had them, and whose summary says
 * how many of the counted (not suppressed) findings are new and how many the baseline had.
 */
export function markBaseline(report: Report, fingerprints: ReadonlySet<string>): Report {
  const findings = report.findings.map((f) => ({ ...f, inBaseline: fingerprints.has(f.fingerprint) }));
  let inBaseline = 0;
  let fresh = 0;
  for (const f of findings) {
    if (f.suppressed) continue;
    if (f.inBaseline) inBaseline++;
    else fresh++;
  }
  // Copied by property descriptors, not spread: members made on first read (the report's roles, see
  // buildReport) stay unmade until a format reads them.
  const out = Object.defineProperties({}, Object.getOwnPropertyDescriptors(report)) as Report;
  out.findings = findings;
  out.summary = { ...report.summary, baseline: { new: fresh, inBaseline } };
  return out;
}

/** Read `file` (a JSON report or SARIF log from an earlier run) and mark the findings it already had. */
export function applyBaselineFile(report: Report, file: string): Report {
  // A regular file only (never a FIFO or /dev/zero), no larger than one string can hold.
  const r = readRegularFile(file, MAX_BASELINE_BYTES);
  if (!r.ok)
    throw new BaselineError(
      r.refusal === 'missing'
        ? `cannot read baseline ${file}: ENOENT (no such file)`
        : `cannot read baseline: ${r.reason}`,
    );
  return markBaseline(report, baselineFingerprints(r.text, file));
}
