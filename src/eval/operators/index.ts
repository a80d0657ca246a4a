/** Parsed form of an operator name such as `ForAnyValue:StringLikeIfExists`. */
export interface ParsedOperator {
  /** Base operator, canonical case, e.g. `StringLike`, `Bool`, `Null`. */
  base: string;
  ifExists: boolean;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
}

/** Parse an operator name; undefined when AWS does not know it. Operator names are case-sensitive in AWS? See implementation notes. */
export function parseOperator(_name: string): ParsedOperator | undefined {
  throw new Error('not implemented yet');
}
