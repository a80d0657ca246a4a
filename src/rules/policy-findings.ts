import type { Evidence, FindingDraft, FindingPrincipal, Remediation } from '../findings/types.js';
import type { JsonLike, Role } from '../model/types.js';
import { NO_FINDINGS } from './types.js';

/**
 * The parts of a finding that follow from the policy alone: a rule builds them once per policy (in its
 * memoised analysis) and every role with that policy shares them.
 */
export interface PolicyFindingParts {
  /** The message after the role's name. */
  tail: string;
  statement: { index: number; sid?: string };
  principals: FindingPrincipal[];
  evidence: Evidence;
  /** The remediation summary. */
  summary: string;
  correctedPolicy?: JsonLike;
}

/** One role's drafts from its policy's shared parts: the message, location and remediation are the role's. */
export function draftsFor<P extends PolicyFindingParts>(
  role: Role,
  parts: readonly P[],
  remediation: (role: Role, p: P) => Remediation,
): readonly FindingDraft[] {
  if (parts.length === 0) return NO_FINDINGS;
  const out: FindingDraft[] = [];
  for (const p of parts) {
    out.push({
      message: `Role ${role.name} ${p.tail}`,
      // Undefined for a document shared by several roles: the engine then uses the role's location.
      location: role.trustPolicy.statements[p.statement.index]?.location,
      statement: p.statement,
      principals: p.principals,
      evidence: p.evidence,
      remediation: remediation(role, p),
    });
  }
  return out;
}
