import { hash } from 'node:crypto';
import type { JsonLike } from '../model/types.js';
import type { Finding } from './types.js';

/**
 * The corrected trust policies of a report, each written once. Findings of one rule on one trust document
 * share one corrected policy object (see `sharedCorrection` in src/rules/policy-findings.ts); reports list
 * each object once under an id and findings name that id, so a policy of N statements with N findings costs
 * one copy of the document, not N.
 */
export interface CorrectedPolicyTable {
  /** The id of each corrected policy object that findings hold. */
  readonly idOf: ReadonlyMap<JsonLike, string>;
  /** The policies by id, in the order the findings first name them. */
  readonly policies: Readonly<Record<string, JsonLike>>;
}

/**
 * The table of every corrected policy the findings hold. Ids are content hashes (`cp-` and 16 hex
 * digits), so the same corrected document gets the same id in every run and two equal documents one entry.
 * Each distinct object is serialised once.
 */
export function correctedPolicyTable(findings: readonly Finding[]): CorrectedPolicyTable {
  const idOf = new Map<JsonLike, string>();
  const policies: Record<string, JsonLike> = {};
  for (const f of findings) {
    const p = f.remediation.correctedPolicy;
    if (p === undefined || idOf.has(p)) continue;
    const id = `cp-${hash('sha256', JSON.stringify(p) ?? 'null', 'hex').slice(0, 16)}`;
    idOf.set(p, id);
    if (!Object.hasOwn(policies, id)) policies[id] = p;
  }
  return { idOf, policies };
}

/** A finding as reports write it: the corrected policy replaced by its id in `table`. */
export type WrittenFinding = Omit<Finding, 'remediation'> & {
  remediation: Omit<Finding['remediation'], 'correctedPolicy'> & { correctedPolicyId?: string };
};

/** `f` with `remediation.correctedPolicy` replaced by `remediation.correctedPolicyId` (same key order otherwise). */
export function withPolicyId(f: Finding, table: CorrectedPolicyTable): WrittenFinding {
  const rem = f.remediation;
  const correctedPolicy = rem.correctedPolicy;
  if (correctedPolicy === undefined) return f as WrittenFinding;
  // The remediation's other members copied in their order by hand: this runs for every finding written,
  // and an object rest (`{ correctedPolicy, ...rest }`) takes V8's slow generic copy.
  const remediation: Record<string, unknown> = {};
  for (const k in rem) if (k !== 'correctedPolicy') remediation[k] = rem[k as keyof typeof rem];
  const id = table.idOf.get(correctedPolicy);
  if (id !== undefined) remediation.correctedPolicyId = id;
  return { ...f, remediation } as WrittenFinding;
}
