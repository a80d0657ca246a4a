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
    default: 1_000_000,
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
  'stack-depth': {
    default: 16,
    what: 'levels of nested CloudFormation stacks (nested stacks, SAM applications, stack sets) read under one template',
  },
  'nested-templates': {
    default: 500,
    what: 'nested CloudFormation templates evaluated under one template (each set of parameters the parent can pass counts once)',
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

/** Where in the input a limit ran out (1-based). */
export interface BudgetPlace {
  file?: string;
  line?: number;
  column?: number;
}

/** A place, or a function giving it (worked out only when a limit runs out). */
export type BudgetWhere = BudgetPlace | (() => BudgetPlace | undefined);

function place(w: BudgetWhere | undefined): BudgetPlace | undefined {
  return typeof w === 'function' ? w() : w;
}

/** Thrown by evaluators when a budget runs out; caught at the file or module boundary. */
export class BudgetExceeded extends Error {
  constructor(
    readonly budget: BudgetName,
    readonly limit: number,
    detail?: string,
    /** The expression or node being evaluated when the limit ran out, when known. */
    readonly at?: BudgetPlace,
  ) {
    super(`${detail ? `${detail}: ` : ''}${budgetAdvice(budget, limit)}`);
    this.name = 'BudgetExceeded';
  }
}

/** Characters of built string that count as one evaluation step. */
export const CHARS_PER_STEP = 16;

/**
 * The running counts of one evaluation (one Terraform root module, one CloudFormation template):
 * created by the caller for each unit and passed down, so nothing is shared between units.
 */
export class BudgetMeter {
  private steps = 0;
  private instances = 0;
  /** Current nesting of the evaluation (expressions inside expressions, references followed). */
  private depth = 0;

  constructor(readonly budgets: Budgets) {}

  /** Counts `n` evaluation steps; throws once the `eval-steps` budget is spent. */
  step(n = 1, at?: BudgetWhere): void {
    this.steps += n;
    if (this.steps > this.budgets['eval-steps'])
      throw new BudgetExceeded(
        'eval-steps',
        this.budgets['eval-steps'],
        'the evaluation takes too many steps',
        place(at),
      );
  }

  get stepsTaken(): number {
    return this.steps;
  }

  /** Enters one level of nesting (leave with {@link leave}); throws past the `nesting-depth` budget. */
  enter(at?: BudgetWhere): void {
    if (++this.depth > this.budgets['nesting-depth']) {
      this.depth--;
      throw new BudgetExceeded(
        'nesting-depth',
        this.budgets['nesting-depth'],
        'the expression is nested too deeply',
        place(at),
      );
    }
  }

  leave(): void {
    this.depth--;
  }

  /** A collection about to hold `n` elements. */
  size(n: number, at?: BudgetWhere): void {
    if (n > this.budgets['collection-size'])
      throw new BudgetExceeded(
        'collection-size',
        this.budgets['collection-size'],
        `a collection of ${n} elements`,
        place(at),
      );
  }

  /** A string about to be `n` characters long. */
  length(n: number, at?: BudgetWhere): void {
    if (n > this.budgets['string-length'])
      throw new BudgetExceeded(
        'string-length',
        this.budgets['string-length'],
        `a string of ${n} characters`,
        place(at),
      );
  }

  /**
   * A string of `n` characters about to be built: checks `string-length`, and counts one step per
   * {@link CHARS_PER_STEP} characters, so many strings just under the limit still add up.
   */
  text(n: number, at?: BudgetWhere): void {
    this.length(n, at);
    this.step(Math.floor(n / CHARS_PER_STEP), at);
  }

  /** A collection of `n` elements about to be built: checks `collection-size` and counts `n` steps. */
  elements(n: number, at?: BudgetWhere): void {
    this.size(n, at);
    this.step(n, at);
  }

  /** A collection growing to `n` elements, one at a time: checks `collection-size` and counts one step. */
  grow(n: number, at?: BudgetWhere): void {
    this.size(n, at);
    this.step(1, at);
  }

  /** One more module instance. */
  instance(at?: BudgetWhere): void {
    if (++this.instances > this.budgets['module-instances'])
      throw new BudgetExceeded(
        'module-instances',
        this.budgets['module-instances'],
        'the module calls expand to too many instances',
        place(at),
      );
  }
}

/** The scan error for a budget that ran out: the place it names, or `fallback` (the file or module). */
export function budgetError(
  source: string,
  e: BudgetExceeded,
  fallback: BudgetPlace,
  outcome: string,
): { source: string; code: string; message: string; file?: string; line?: number; column?: number } {
  const at = e.at?.file ? e.at : fallback;
  const out: {
    source: string;
    code: string;
    message: string;
    file?: string;
    line?: number;
    column?: number;
  } = {
    source,
    code: `limit-${e.budget}`,
    message: `${e.message}; ${outcome}`,
  };
  if (at.file !== undefined) out.file = at.file;
  if (at.line !== undefined) out.line = at.line;
  if (at.column !== undefined) out.column = at.column;
  return out;
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
