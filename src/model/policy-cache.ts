import { parseTrustDocument } from './normalise.js';
import type { JsonLike, TrustPolicy } from './types.js';

/**
 * Parses each distinct trust document once. Real accounts repeat trust policies a lot (every Lambda
 * role trusts the same document), so roles with the same document share one `TrustPolicy` object. It
 * has no location, nor have its elements: the document is where its role is (`Role.source.location`),
 * which is where readers fall back to. Sharing also lets later stages recognise equal policies by
 * identity (see `policyKeys` in the rule engine). The shared policy is read-only.
 */
export class TrustPolicyCache {
  private readonly parsed = new Map<string, TrustPolicy>();

  constructor(private readonly file: string) {}

  /** The trust policy of a role whose document is `doc`. */
  policyFor(doc: JsonLike | string): TrustPolicy {
    const key = contentKey(doc);
    let shared = key === undefined ? undefined : this.parsed.get(key);
    if (shared === undefined) {
      shared = parseTrustDocument(doc, { file: this.file, positionless: true });
      if (key !== undefined) this.parsed.set(key, shared);
    }
    return shared;
  }
}

/** A string that equals for equal documents; undefined when the document cannot be serialised (too deep). */
function contentKey(doc: JsonLike | string): string | undefined {
  if (typeof doc === 'string') return `s${doc}`;
  try {
    return `o${JSON.stringify(doc)}`;
  } catch {
    return undefined;
  }
}
