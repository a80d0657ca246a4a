import { JsonIds } from './json-ids.js';
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
  // Documents given as text (URL-encoded or JSON) and as parsed JSON are kept apart: equal content in
  // the two forms still differs in `raw`, which corrected policies are built from.
  private readonly byText = new Map<string, TrustPolicy>();
  private readonly byJson = new Map<number, TrustPolicy>();
  private readonly ids = new JsonIds();

  constructor(private readonly file: string) {}

  /** The trust policy of a role whose document is `doc`. */
  policyFor(doc: JsonLike | string): TrustPolicy {
    if (typeof doc === 'string') return this.shared(this.byText, doc, doc);
    return this.shared(this.byJson, this.ids.id(doc), doc);
  }

  private shared<K>(map: Map<K, TrustPolicy>, key: K | undefined, doc: JsonLike | string): TrustPolicy {
    let policy = key === undefined ? undefined : map.get(key);
    if (policy === undefined) {
      // A document that cannot be keyed (nested too deep) is parsed on its own.
      policy = parseTrustDocument(doc, { file: this.file, positionless: true });
      if (key !== undefined) map.set(key, policy);
    }
    return policy;
  }
}
