/**
 * Condition operator names and the registry of base operator modules.
 *
 * Case: AWS treats operator names case-sensitively. IAM rejects a policy that spells one in another case
 * (CreateRole answers `MalformedPolicyDocument: Invalid Condition type : stringEquals`, as reported in
 * ministryofjustice/modernisation-platform-environments PR #8893), so `stringequals` is an unknown operator
 * here (parseOperator returns undefined) and the normaliser can report it. Condition *keys*, by contrast,
 * are case-insensitive.
 */
import { ArnEquals } from './ArnEquals.js';
import { ArnLike } from './ArnLike.js';
import { ArnNotEquals } from './ArnNotEquals.js';
import { ArnNotLike } from './ArnNotLike.js';
import { BinaryEquals } from './BinaryEquals.js';
import { Bool } from './Bool.js';
import { DateEquals } from './DateEquals.js';
import { DateGreaterThan } from './DateGreaterThan.js';
import { DateGreaterThanEquals } from './DateGreaterThanEquals.js';
import { DateLessThan } from './DateLessThan.js';
import { DateLessThanEquals } from './DateLessThanEquals.js';
import { DateNotEquals } from './DateNotEquals.js';
import { IpAddress } from './IpAddress.js';
import { NotIpAddress } from './NotIpAddress.js';
import { Null } from './Null.js';
import { NumericEquals } from './NumericEquals.js';
import { NumericGreaterThan } from './NumericGreaterThan.js';
import { NumericGreaterThanEquals } from './NumericGreaterThanEquals.js';
import { NumericLessThan } from './NumericLessThan.js';
import { NumericLessThanEquals } from './NumericLessThanEquals.js';
import { NumericNotEquals } from './NumericNotEquals.js';
import { StringEquals } from './StringEquals.js';
import { StringEqualsIgnoreCase } from './StringEqualsIgnoreCase.js';
import { StringLike } from './StringLike.js';
import { StringNotEquals } from './StringNotEquals.js';
import { StringNotEqualsIgnoreCase } from './StringNotEqualsIgnoreCase.js';
import { StringNotLike } from './StringNotLike.js';
import type { OperatorModule } from './types.js';

export type { Matcher, OperatorFamily, OperatorModule, Seg } from './types.js';

/** Parsed form of an operator name such as `ForAnyValue:StringLikeIfExists`. */
export interface ParsedOperator {
  /** Base operator, canonical case, e.g. `StringLike`, `Bool`, `Null`. */
  base: string;
  ifExists: boolean;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
}

const ALL: readonly OperatorModule[] = [
  StringEquals,
  StringNotEquals,
  StringEqualsIgnoreCase,
  StringNotEqualsIgnoreCase,
  StringLike,
  StringNotLike,
  NumericEquals,
  NumericNotEquals,
  NumericLessThan,
  NumericLessThanEquals,
  NumericGreaterThan,
  NumericGreaterThanEquals,
  DateEquals,
  DateNotEquals,
  DateLessThan,
  DateLessThanEquals,
  DateGreaterThan,
  DateGreaterThanEquals,
  Bool,
  BinaryEquals,
  IpAddress,
  NotIpAddress,
  ArnEquals,
  ArnLike,
  ArnNotEquals,
  ArnNotLike,
  Null,
];

/** Every base operator by canonical name (a constant table). */
export const OPERATORS: ReadonlyMap<string, OperatorModule> = new Map(ALL.map((m) => [m.name, m]));

/** The module of a base operator (canonical case), or undefined. */
export function operatorModule(base: string): OperatorModule | undefined {
  return OPERATORS.get(base);
}

/**
 * Parse an operator name; undefined when AWS does not know it. Names are case-sensitive (see the
 * module comment). `IfExists` may follow any base operator except `Null`; `ForAnyValue:` and
 * `ForAllValues:` may precede any base operator except `Null`.
 */
export function parseOperator(name: string): ParsedOperator | undefined {
  return PARSED.get(name);
}

function parseName(name: string): ParsedOperator | undefined {
  let rest = name;
  let setOperator: ParsedOperator['setOperator'];
  if (rest.startsWith('ForAnyValue:')) {
    setOperator = 'ForAnyValue';
    rest = rest.slice(12);
  } else if (rest.startsWith('ForAllValues:')) {
    setOperator = 'ForAllValues';
    rest = rest.slice(13);
  }
  let ifExists = false;
  if (rest.endsWith('IfExists')) {
    ifExists = true;
    rest = rest.slice(0, -8);
  }
  const m = OPERATORS.get(rest);
  if (!m) return undefined;
  if (m.name === 'Null' && (ifExists || setOperator)) return undefined;
  return setOperator ? { base: m.name, ifExists, setOperator } : { base: m.name, ifExists };
}

/** Everything an operator name says, for every place that reads one (evaluation, analysis, fixes). */
export interface OperatorDescription extends ParsedOperator {
  /** `StringNotEquals`, `ArnNotLike`, `NotIpAddress`...: met when the key matches none of the values. */
  negated: boolean;
  /** `*` and `?` in the values are wildcards (StringLike, StringNotLike and the Arn operators). */
  wildcards: boolean;
  /** The family of the base operator (string, arn, numeric, date, ip, bool, binary, null). */
  family: OperatorModule['family'];
}

/** Describe an operator name; undefined when AWS does not know it (same rules as `parseOperator`). */
export function describeOperator(name: string): OperatorDescription | undefined {
  return DESCRIPTIONS.get(name);
}

/**
 * Every operator name AWS accepts (each base, with and without `IfExists`, with and without a set
 * qualifier), described once: a constant table, so parsing a name costs one lookup and no allocation.
 */
const { PARSED, DESCRIPTIONS } = ((): {
  PARSED: ReadonlyMap<string, ParsedOperator>;
  DESCRIPTIONS: ReadonlyMap<string, OperatorDescription>;
} => {
  const parsedByName = new Map<string, ParsedOperator>();
  const described = new Map<string, OperatorDescription>();
  for (const m of ALL) {
    for (const prefix of ['', 'ForAnyValue:', 'ForAllValues:']) {
      for (const suffix of ['', 'IfExists']) {
        const name = `${prefix}${m.name}${suffix}`;
        const parsed = parseName(name);
        if (!parsed) continue;
        parsedByName.set(name, Object.freeze(parsed));
        described.set(
          name,
          Object.freeze({ ...parsed, negated: m.negated, wildcards: m.wildcards, family: m.family }),
        );
      }
    }
  }
  return { PARSED: parsedByName, DESCRIPTIONS: described };
})();
