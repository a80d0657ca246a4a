import { TA000 } from './TA000.js';
import { TA001 } from './TA001.js';
import { TA002 } from './TA002.js';
import { TA003 } from './TA003.js';
import { TA004 } from './TA004.js';
import { TA005 } from './TA005.js';
import { TA006 } from './TA006.js';
import type { AnyRule } from './types.js';

/** Every rule trustaudit ships, in id order. Adding a rule: its module, test table, doc, and one line here. */
export const allRules: readonly AnyRule[] = [TA000, TA001, TA002, TA003, TA004, TA005, TA006];

export function findRule(id: string): AnyRule | undefined {
  const needle = id.toLowerCase();
  return allRules.find((r) => r.meta.id.toLowerCase() === needle || r.meta.name === needle);
}
