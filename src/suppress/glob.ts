/**
 * Resource globs of config suppressions, in a module of their own: the glob matcher (picomatch) is
 * loaded only for a config that has suppressions.
 */
import picomatch from 'picomatch';
import type { Finding } from '../findings/types.js';

/**
 * A resource glob compiled once. Resource ids and ARNs are not file paths, so `*` matches any run of
 * characters, slashes included (`arn:aws:iam::*:role/*` covers roles with a path); `?`, `[...]` and
 * `{a,b}` work as in a shell. The glob also matches a resource id or ARN equal to it character for
 * character, so a Terraform address such as `aws_iam_role.this["vendor"]` can be written as is.
 */
export function compileResourceGlob(glob: string): (finding: Finding) => boolean {
  const isMatch = picomatch(glob, { bash: true, dot: true });
  const test = (candidate: string): boolean => {
    if (candidate === glob || isMatch(candidate)) return true;
    // Resource ids built from Windows paths: let `infra/*.yaml#Role` match `infra\a.yaml#Role`.
    const slashed = candidate.replaceAll('\\', '/');
    return slashed !== candidate && (slashed === glob || isMatch(slashed));
  };
  return (finding) =>
    test(finding.resource.id) || (finding.resource.arn !== undefined && test(finding.resource.arn));
}
