/**
 * Lengths of values' texts, counted without building them, against the `string-length` and
 * `nesting-depth` budgets: what templates, `==` and the functions that compare or print values check
 * before they turn a value into text.
 */
import type { SourceLocation } from '../../model/types.js';
import { BudgetExceeded, type BudgetMeter } from '../../scan/budgets.js';
import { type CallCtx, locPlace } from './scope.js';
import { jsonText, scalarText, type Val } from './values.js';

/** Length of a value's text in a template, without building the text of a collection first. */
export function partLength(v: Val, meter: BudgetMeter): number {
  if (v.t === 'sym') return v.text.length;
  if (v.t === 'list' || v.t === 'obj') return jsonLength(v, meter);
  return (scalarText(v) ?? '').length;
}

/**
 * Length of `jsonText(v)`, counted without building it; throws `string-length` as soon as the count
 * passes the limit (so a list of a million long strings is not turned into one huge string first).
 */
export function jsonLength(v: Val, meter: BudgetMeter, at?: SourceLocation): number {
  const limit = meter.budgets['string-length'];
  const maxDepth = meter.budgets['nesting-depth'];
  let n = 0;
  const stack: Val[] = [v];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const x = stack.pop() as Val;
    const d = depths.pop() as number;
    meter.step(1, at && locPlace(at));
    // A value can be deeper than any expression (a chain of locals each wrapping the last): checked
    // here, before the recursive writers (jsonText) see it.
    if (d > maxDepth)
      throw new BudgetExceeded(
        'nesting-depth',
        maxDepth,
        'the value is nested too deeply',
        at && locPlace(at),
      );
    switch (x.t) {
      case 'str':
        n += x.v.length + 2;
        break;
      case 'sym':
        n += x.text.length + 2;
        break;
      case 'list':
        n += 2 + Math.max(0, x.v.length - 1);
        for (const e of x.v) {
          stack.push(e);
          depths.push(d + 1);
        }
        break;
      case 'obj':
        n += 2 + Math.max(0, x.v.size - 1);
        for (const [k, e] of x.v) {
          n += k.length + 3;
          stack.push(e);
          depths.push(d + 1);
        }
        break;
      default:
        n += (scalarText(x) ?? 'null').length;
    }
    if (n > limit) meter.length(n, at && locPlace(at));
  }
  return n;
}

/** `jsonText`, after checking that its length is within `string-length` (and counting the work). */
export function boundedJsonText(v: Val, meter: BudgetMeter, at?: SourceLocation): string {
  meter.text(jsonLength(v, meter, at), at && locPlace(at));
  return jsonText(v);
}

/** Pre-checks a list of `n` elements (`collection-size`) and counts the work. */
export function checkSize(n: number, c: CallCtx): void {
  c.meter.elements(n, locPlace(c.loc));
}

/** Pre-checks a string of `n` characters (`string-length`) and counts the work. */
export function checkText(n: number, c: CallCtx): void {
  c.meter.text(n, locPlace(c.loc));
}
