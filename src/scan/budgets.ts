/**
 * The limits every evaluation of scanned input runs under. The scanned tree is hostile: a template can
 * nest a value thousands of levels deep, build a list of 10^8 elements or a policy of 4,000 statements.
 * Each limit has a default no real repository reaches; exceeding one is an error for that file or
 * module only (naming the limit and how to raise it), and the rest of the scan goes on.
 *
 * This table is the one place that names the limits: the CLI's `--limit NAME=N`, the error texts and
 * `docs/security.md` all come from it.
 */

export interface BudgetDef {
  /** Default value. */
  readonly default: number;
  /** What is counted, for `--help`, the error text and the docs. */
  readonly what: string;
}

export const BUDGETS = {
  'nesting-depth': {
    default: 200,
    what: 'levels of nesting in one value or expression (HCL, YAML, JSON)',
  },
  'collection-size': {
    default: 100_000,
    what: 'elements in one list, map or for-expression result built while evaluating a template',
  },
  'string-length': {
    default: 4 * 1024 * 1024,
    what: 'characters in one string built while evaluating a template (format, join, replace, file…)',
  },
  'eval-steps': {
    default: 10_000_000,
    what: 'evaluation steps for one Terraform root module or one template',
  },
  'module-instances': {
    default: 2_000,
    what: 'Terraform module instances expanded under one root module',
  },
  'module-depth': {
    default: 32,
    what: 'levels of nested Terraform module calls',
  },
  statements: {
    default: 1_000,
    what: 'statements in one trust policy',
  },
  principals: {
    default: 5_000,
    what: 'principals named in one trust policy',
  },
  'condition-values': {
    default: 5_000,
    what: 'values in one condition of a trust policy',
  },
  'message-length': {
    default: 256,
    what: 'characters of text from the input (a Sid, a role name, a value) quoted in one message',
  },
} as const satisfies Record<string, BudgetDef>;

export type BudgetName = keyof typeof BUDGETS;
export type Budgets = Readonly<Record<BudgetName, number>>;

export const BUDGET_NAMES = Object.keys(BUDGETS) as BudgetName[];

export function isBudgetName(name: string): name is BudgetName {
  return Object.hasOwn(BUDGETS, name);
}

/** The defaults, with the given overrides. */
export function budgetsWith(overrides: Partial<Record<BudgetName, number>> = {}): Budgets {
  const out = {} as Record<BudgetName, number>;
  for (const name of BUDGET_NAMES) out[name] = overrides[name] ?? BUDGETS[name].default;
  return out;
}

export const DEFAULT_BUDGETS: Budgets = budgetsWith();

/** The sentence that ends every "limit exceeded" error: which limit, its value, how to raise it. */
export function budgetAdvice(name: BudgetName, value: number): string {
  return `the ${name} limit is ${value} (${BUDGETS[name].what}); raise it with --limit ${name}=${Math.max(value * 2, value + 1)} if this input is legitimate`;
}

/** Thrown by evaluators when a budget runs out; caught at the file or module boundary. */
export class BudgetExceeded extends Error {
  constructor(
    readonly budget: BudgetName,
    readonly limit: number,
    detail?: string,
  ) {
    super(`${detail ? `${detail}: ` : ''}${budgetAdvice(budget, limit)}`);
    this.name = 'BudgetExceeded';
  }
}

/** Parse the values of `--limit NAME=N` (repeatable). Throws an Error whose message is for the user. */
export function parseLimitFlags(values: readonly string[]): Partial<Record<BudgetName, number>> {
  const out: Partial<Record<BudgetName, number>> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    const name = i > 0 ? v.slice(0, i).trim() : '';
    const n = i > 0 ? Number(v.slice(i + 1).trim()) : Number.NaN;
    if (!isBudgetName(name))
      throw new Error(`--limit "${v}": unknown limit; the limits are ${BUDGET_NAMES.join(', ')}`);
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new Error(`--limit "${v}": the value must be a positive whole number`);
    out[name] = n;
  }
  return out;
}
