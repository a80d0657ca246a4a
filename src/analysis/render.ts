import { isSymbolic, type JsonLike, type PolicyValue } from '../model/types.js';

/** A policy value as shown to people: symbolic values become `${description}`. */
export function renderValue(v: PolicyValue | JsonLike): string {
  if (typeof v === 'string') return v;
  if (isSymbolic(v)) return `\${${v.description}}`;
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** `statement 2 (Sid "Vendor")` or `statement 2`. */
export function statementLabel(index: number, sid?: string): string {
  return sid ? `statement ${index} (Sid "${sid}")` : `statement ${index}`;
}

/** Quote a list of names: `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Like `renderValue`, but a symbolic value whose text is partly known shows that text (`ec2.${AWS::URLSuffix}`). */
export function displayValue(v: PolicyValue): string {
  return isSymbolic(v) && v.text ? v.text : renderValue(v);
}
