import type { ConfigSuppression } from '../config/schema.js';
import type { Finding, SuppressionInfo } from '../findings/types.js';
import type { InlineSuppression, Role, ScanError } from '../model/types.js';
import { describeSuppression, isExpired, ruleMatches } from './match.js';

export interface SuppressionOptions {
  /**
   * False (`--no-inline-suppressions`): suppressions written in the scanned templates do not apply; the
   * findings they would have suppressed are counted in `inlineIgnored` instead.
   */
  inline?: boolean;
}

/**
 * Mark findings suppressed by inline suppressions (on the role) or config suppressions.
 * Expired config suppressions no longer apply and come back as warnings.
 * `today` is YYYY-MM-DD (passed in, so the function stays pure).
 *
 * - Inline suppressions (CloudFormation `Metadata.trustaudit.skip`, Terraform `# trustaudit:skip=...`)
 *   apply to findings whose resource id is the role's id; rule `*` covers every rule. Several variants of
 *   one resource (`Fn::If`) share an id, so their inline suppressions are pooled.
 * - Config suppressions match on rule id (or `*`) and a glob over the resource id or ARN
 *   (see `compileResourceGlob`, glob.ts).
 * - When both match, the inline one is recorded (it sits next to the code). A config suppression that
 *   matched only already-suppressed findings still counts as used.
 * - Warnings (source `config`): `suppression-expired` for each expired config suppression (whether or not
 *   it matched anything), `suppression-unused` for each unexpired one that matched no finding.
 *
 * With `opts.inline === false` only config suppressions apply (the scanned tree is not trusted to
 * suppress its own findings).
 *
 * Findings are returned in the same order and nothing is modified: a suppressed finding comes back as a
 * new object, the others as they were (a large scan has tens of thousands, usually none suppressed).
 */
export async function applySuppressions(
  findings: Finding[],
  roles: readonly Role[],
  config: readonly ConfigSuppression[],
  today: string,
  opts: SuppressionOptions = {},
): Promise<{ findings: Finding[]; warnings: ScanError[]; inlineIgnored: number }> {
  const honourInline = opts.inline !== false;
  let inlineIgnored = 0;
  const inlineByResource = new Map<string, InlineSuppression[]>();
  for (const role of roles) {
    if (!role.inlineSuppressions?.length) continue;
    const list = inlineByResource.get(role.id) ?? [];
    for (const s of role.inlineSuppressions) {
      // Variants of one resource usually repeat the same suppression; keep one copy.
      if (!list.some((x) => sameInline(x, s))) list.push(s);
    }
    inlineByResource.set(role.id, list);
  }

  const active = await activeSuppressions(config, today);
  const used = new Set<number>();

  const out = findings.map((finding): Finding => {
    let suppression: SuppressionInfo | undefined;
    const inline = inlineByResource
      .get(finding.resource.id)
      ?.find((s) => ruleMatches(s.ruleId, finding.ruleId));
    if (inline && !honourInline) inlineIgnored++;
    else if (inline) {
      suppression = {
        kind: 'inline',
        reason: inline.reason,
        ...(inline.location ? { location: inline.location } : {}),
      };
    }
    for (const { s, index, matches } of active) {
      if (!ruleMatches(s.rule, finding.ruleId) || !matches(finding)) continue;
      used.add(index);
      suppression ??= { kind: 'config', reason: s.reason, ...(s.expires ? { expires: s.expires } : {}) };
    }
    return suppression ? { ...finding, suppressed: true, suppression } : finding;
  });

  const warnings: ScanError[] = [];
  config.forEach((s, index) => {
    if (isExpired(s, today)) {
      warnings.push({
        source: 'config',
        code: 'suppression-expired',
        message: `suppression of ${describeSuppression(s)} expired on ${s.expires} and no longer applies (reason given: ${s.reason})`,
      });
    } else if (!used.has(index)) {
      warnings.push({
        source: 'config',
        code: 'suppression-unused',
        message: `suppression of ${describeSuppression(s)} matched no finding; remove it or fix its rule or resource pattern`,
      });
    }
  });
  return { findings: out, warnings, inlineIgnored };
}

/** The unexpired config suppressions, each with its resource glob compiled. */
async function activeSuppressions(
  config: readonly ConfigSuppression[],
  today: string,
): Promise<{ s: ConfigSuppression; index: number; matches: (finding: Finding) => boolean }[]> {
  if (config.length === 0) return [];
  const { compileResourceGlob } = await import('./glob.js');
  return config
    .map((s, index) => ({ s, index, matches: compileResourceGlob(s.resource) }))
    .filter(({ s }) => !isExpired(s, today));
}

function sameInline(a: InlineSuppression, b: InlineSuppression): boolean {
  return a.ruleId === b.ruleId && a.reason === b.reason;
}
