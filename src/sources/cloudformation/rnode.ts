/**
 * A resolved value with positions: what the resolver (`resolve.ts`) produces and what the embedded-JSON
 * reader (`embedded.ts`) and the other sources that reuse them consume. Kept apart so that neither
 * module depends on the other for its types.
 */
import type { JsonLike } from '../../model/types.js';
import type { CScalar, Pos } from './nodes.js';

/** A resolved value with the position it was written at and, for collections, its children. */
export interface RNode {
  v: JsonLike;
  pos?: Pos;
  kids?: Map<string | number, RKid>;
  /** For strings taken verbatim from the template: the scalar, so offsets inside it can be mapped. */
  src?: CScalar;
  /** For strings built by `Fn::Sub` (value or symbolic text): the file offset of each character. */
  offsets?: number[];
}

export interface RKid {
  node: RNode;
  /** For map entries: where the key is written. */
  keyPos?: Pos;
}
