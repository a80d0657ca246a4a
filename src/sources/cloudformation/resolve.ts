// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
/**
 * Static resolution of CloudFormation intrinsic functions. What can be known from the template, its
 * parameter defaults and the user's overrides is computed; what cannot (`Fn::GetAtt`, imports, a
 * parameter without a default, a resource's `Ref`) becomes a `Symbolic` value that names it.
 *
 * The result keeps positions: every resolved node remembers where it was written, so a trust
 * policy's statements, principals and conditions point at their line in the template.
 */
import { DEPLOYING_ACCOUNT, isSymbolic, type JsonLike, type Symbolic } from '../../model/types.js';
import { BudgetMeter, type BudgetPlace, type Budgets, DEFAULT_BUDGETS } from '../../scan/budgets.js';
import { valueOffsets } from './embedded.js';
import type { CNode, CScalar, Pos } from './nodes.js';
import { get, scalarText } from './nodes.js';
import type { RKid, RNode } from './rnode.js';
import type { TemplateModel } from './template.js';

export type { RKid, RNode } from './rnode.js';

/** `Ref: AWS::NoValue` (or an `Fn::If` branch giving it): the property or element disappears. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Resolved = RNode | typeof NO_VALUE;

export interface ResolveIssue {
  code: string;
  message: string;
  pos?: Pos;
}

/** Thrown while judging one alternative when an `Fn::If` names a condition that has not been fixed yet. */
export class NeedCondition extends Error {
  constructor(readonly condition: string) {
    super(`condition ${condition} is not fixed`);
  }
}

export interface ResolveOptions {
  /** Parameter overrides (and pseudo parameters such as `AWS::Region`, when the user gives them). */
  parameters: ReadonlyMap<string, string>;
  /**
   * Values a parent stack passes to this template's parameters (a nested stack's `Parameters`). Below
   * `parameters` (the user's overrides), above the defaults. A value the parent took from one of its own
   * parameter defaults is not `fixed`: like a default, it may be changed at deploy time.
   */
  passed?: ReadonlyMap<string, PassedValue>;
  /** The account the template is deployed into, when known (`--account`). */
  owner?: string;
  /** The limits (`--limit`); the defaults when not given. */
  budgets?: Budgets;
  /**
   * The running counts of the template being read: one meter for every resolution of one template, so
   * its `eval-steps` cover all of them. A resolver makes its own when none is given.
   */
  meter?: BudgetMeter;
}

/** A value a parent stack passes to a parameter: known text or a Symbolic, and whether it is certain. */
export interface PassedValue {
  value: string | Symbolic;
  /** False when the parent's value rests on its own parameter defaults (changeable at deploy time). */
  fixed: boolean;
}

const PSEUDO = new Set([
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackName',
  'AWS::StackId',
  'AWS::URLSuffix',
  'AWS::NotificationARNs',
  'AWS::NoValue',
]);

/** Intrinsics the resolver understands but whose value is only known at deploy time. */
const DEPLOY_TIME = new Set(['Fn::GetAZs', 'Fn::Cidr', 'Fn::ImportValue', 'Fn::Transform', 'Fn::GetAtt']);
const RULE_FUNCTIONS = new Set([
  'Fn::Contains',
  'Fn::EachMemberEquals',
  'Fn::EachMemberIn',
  'Fn::RefAll',
  'Fn::ValueOf',
  'Fn::ValueOfAll',
]);
const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not']);

export function partitionOfRegion(region: string): string | undefined {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (/^[a-z]{2}-[a-z]+-\d$/.test(region)) return 'aws';
  return undefined;
}

function sym(description: string, text?: string): Symbolic {
  return text === undefined ? { symbolic: true, description } : { symbolic: true, description, text };
}

/** Text of a value inside a larger string: `${...}` for what is unknown. */
function textPart(v: string | Symbolic): string {
  return typeof v === 'string' ? v : (v.text ?? `\${${v.description}}`);
}

/** Concatenate known and unknown parts: a plain string when all are known, else a Symbolic naming every unknown. */
export function concat(parts: readonly (string | Symbolic)[]): string | Symbolic {
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  const descriptions: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') {
      for (const d of p.description.split('; ')) if (!descriptions.includes(d)) descriptions.push(d);
    }
  }
  return sym(descriptions.join('; '), parts.map(textPart).join(''));
}

function containsSymbolic(v: JsonLike): boolean {
  if (isSymbolic(v)) return true;
  if (Array.isArray(v)) return v.some(containsSymbolic);
  if (v !== null && typeof v === 'object') return Object.values(v).some(containsSymbolic);
  return false;
}

function asText(v: JsonLike): string | Symbolic | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isSymbolic(v)) return v;
  return undefined;
}

function leaf(v: JsonLike, pos: Pos | undefined): RNode {
  return pos ? { v, pos } : { v };
}

function listNode(items: RNode[], pos: Pos | undefined): RNode {
  const kids = new Map<string | number, RKid>();
  items.forEach((n, i) => {
    kids.set(i, { node: n });
  });
  return { v: items.map((n) => n.v), ...(pos ? { pos } : {}), kids };
}

const DYNAMIC_REF = /\{\{resolve:[^}]*\}\}/g;

/**
 * One resolution pass over a template under one set of condition choices. Create one per alternative:
 * it caches condition values and collects the issues it meets.
 */
export class Resolver {
  readonly issues: ResolveIssue[] = [];
  /** Parameters fixed by the chosen conditions (`IsGov` true fixes `AWS::Partition` to `aws-us-gov`). */
  private readonly bindings = new Map<string, string | Symbolic>();
  private readonly condCache = new Map<string, boolean | undefined>();
  private readonly condBusy = new Set<string>();
  private strict = false;
  private readonly meter: BudgetMeter;

  constructor(
    private readonly tpl: TemplateModel,
    private readonly opts: ResolveOptions,
    private readonly assignment: ReadonlyMap<string, boolean> = new Map(),
    /** Throw `NeedCondition` at an undecided `Fn::If` (else follow the parameter defaults). */
    private readonly fork = false,
  ) {
    this.meter = opts.meter ?? new BudgetMeter(opts.budgets ?? DEFAULT_BUDGETS);
    for (const [name, value] of assignment) {
      const def = tpl.conditions.get(name);
      if (def) this.constrain(def.value, value, new Set());
    }
  }

  private issue(code: string, message: string, pos: Pos | undefined): void {
    if (this.issues.some((i) => i.code === code && i.message === message && i.pos?.offset === pos?.offset))
      return;
    this.issues.push(pos ? { code, message, pos } : { code, message });
  }

  // ---------------------------------------------------------------- values

  private place(pos: Pos | undefined): BudgetPlace {
    return pos ? { file: this.tpl.file, line: pos.line, column: pos.column } : { file: this.tpl.file };
  }

  /**
   * Every resolution goes through here: one `eval-steps` step and one level of `nesting-depth` per node
   * (the template's own nesting, plus the `Fn::FindInMap`, `Fn::If` and `Fn::Sub` variables followed).
   * Throws `BudgetExceeded` (located at the node) when a limit runs out; the template is then reported.
   */
  resolve(n: CNode): Resolved {
    const where = (): BudgetPlace => this.place(n.pos);
    this.meter.step(1, where);
    this.meter.enter(where);
    try {
      return this.resolveNode(n);
    } finally {
      this.meter.leave();
    }
  }

  /** `concat`, after checking the length of the result against `string-length`. */
  private joined(parts: readonly (string | Symbolic)[], pos: Pos): string | Symbolic {
    let n = 0;
    for (const p of parts) n += textPart(p).length;
    this.meter.text(n, this.place(pos));
    return concat(parts);
  }

  private resolveNode(n: CNode): Resolved {
    if (n.t === 'scalar') return this.scalar(n);
    if (n.t === 'seq') {
      this.meter.size(n.items.length, () => this.place(n.pos));
      const items: RNode[] = [];
      for (const it of n.items) {
        const r = this.resolve(it);
        if (r !== NO_VALUE) items.push(r);
      }
      return listNode(items, n.pos);
    }
    const first = n.entries[0];
    if (n.entries.length === 1 && first && (first.key === 'Ref' || first.key.startsWith('Fn::'))) {
      return this.intrinsic(first.key, first.value, first.keyPos);
    }
    const kids = new Map<string | number, RKid>();
    const pairs: [string, JsonLike][] = [];
    for (const e of n.entries) {
      const r = this.resolve(e.value);
      if (r === NO_VALUE) continue;
      kids.set(e.key, { node: r, keyPos: e.keyPos });
      pairs.push([e.key, r.v]);
    }
    return { v: Object.fromEntries(pairs) as JsonLike, pos: n.pos, kids };
  }

  /**
   * Resolve counting only what is certain (the user's overrides, the chosen conditions, literals): a
   * value that rests on a parameter default comes out Symbolic. Used to tell a parent's fixed values
   * from its defaults when it passes them to a nested stack.
   */
  resolveFixed(n: CNode): Resolved {
    return this.withStrict(true, () => this.resolve(n));
  }

  /** Resolve to a string (or Symbolic); undefined when the value is not text (a list or a map). */
  text(n: CNode): string | Symbolic | undefined {
    const r = this.resolve(n);
    if (r === NO_VALUE) return undefined;
    return asText(r.v);
  }

  private scalar(n: CScalar): RNode {
    if (typeof n.v === 'string' && n.v.includes('{{resolve:')) {
      const parts: (string | Symbolic)[] = [];
      let last = 0;
      for (const m of n.v.matchAll(DYNAMIC_REF)) {
        parts.push(n.v.slice(last, m.index));
        parts.push(sym(`dynamic reference ${m[0]}`, `\${${m[0].slice(2, -2)}}`));
        last = (m.index ?? 0) + m[0].length;
      }
      parts.push(n.v.slice(last));
      return leaf(concat(parts.filter((p) => p !== '')), n.pos);
    }
    return { v: n.v, pos: n.pos, src: n };
  }

  private intrinsic(fn: string, arg: CNode, pos: Pos): Resolved {
    switch (fn) {
      case 'Ref':
        return this.ref(arg, pos);
      case 'Fn::If':
        return this.fnIf(arg, pos);
      case 'Fn::Sub':
        return this.fnSub(arg, pos);
      case 'Fn::Join':
        return this.fnJoin(arg, pos);
      case 'Fn::Select':
        return this.fnSelect(arg, pos);
      case 'Fn::Split':
        return this.fnSplit(arg, pos);
      case 'Fn::FindInMap':
        return this.fnFindInMap(arg, pos);
      case 'Fn::GetAtt':
        return this.fnGetAtt(arg, pos);
      case 'Fn::Base64': {
        const t = this.text(arg);
        if (typeof t === 'string') {
          this.meter.text(Math.ceil((Buffer.byteLength(t, 'utf8') * 4) / 3), this.place(pos));
          return leaf(Buffer.from(t, 'utf8').toString('base64'), pos);
        }
        if (t === undefined) return this.malformed(fn, 'expects a string', pos);
        return leaf(sym(`Fn::Base64 of ${t.description}`, `\${Fn::Base64(${textPart(t)})}`), pos);
      }
      case 'Fn::ImportValue': {
        const t = this.text(arg);
        if (t === undefined) return this.malformed(fn, 'expects the name of an export', pos);
        return leaf(sym(`Fn::ImportValue ${textPart(t)}`, `\${ImportValue:${textPart(t)}}`), pos);
      }
      case 'Fn::GetAZs':
        return leaf(sym('Fn::GetAZs (the availability zones of the region)', '${Fn::GetAZs}'), pos);
      case 'Fn::Cidr':
        return leaf(sym('Fn::Cidr (address blocks computed at deploy time)', '${Fn::Cidr}'), pos);
      case 'Fn::Transform': {
        const name = scalarText(get(arg, 'Name')) ?? '?';
        return leaf(sym(`Fn::Transform ${name} (macro output)`, `\${Fn::Transform:${name}}`), pos);
      }
      case 'Fn::ToJsonString': {
        const r = this.resolve(arg);
        if (r === NO_VALUE) return this.malformed(fn, 'expects a value', pos);
        if (!containsSymbolic(r.v)) {
          const json = JSON.stringify(r.v);
          this.meter.text(json.length, this.place(pos));
          return leaf(json, pos);
        }
        return leaf(sym('Fn::ToJsonString of a value known only at deploy time', '${Fn::ToJsonString}'), pos);
      }
      case 'Fn::Length': {
        const r = this.resolve(arg);
        if (r !== NO_VALUE && Array.isArray(r.v)) return leaf(String(r.v.length), pos);
        if (r !== NO_VALUE && isSymbolic(r.v)) return leaf(sym(`Fn::Length of ${r.v.description}`), pos);
        return this.malformed(fn, 'expects a list', pos);
      }
      default:
        break;
    }
    if (CONDITION_FUNCTIONS.has(fn)) {
      const v = this.evalCondition({ t: 'map', pos, entries: [{ key: fn, keyPos: pos, value: arg }] }, true);
      return leaf(v === undefined ? sym(`${fn} decided at deploy time`) : String(v), pos);
    }
    if (RULE_FUNCTIONS.has(fn) || DEPLOY_TIME.has(fn)) {
      return leaf(sym(`${fn} (known only at deploy time)`, `\${${fn}}`), pos);
    }
    this.issue(
      'cfn-unknown-intrinsic',
      `unknown intrinsic function ${fn}: CloudFormation would reject the template`,
      pos,
    );
    return leaf(sym(`unsupported intrinsic ${fn}`, `\${${fn}}`), pos);
  }

  private malformed(fn: string, why: string, pos: Pos): RNode {
    this.issue('cfn-malformed-intrinsic', `${fn} ${why}`, pos);
    return leaf(sym(`malformed ${fn}`, `\${${fn}}`), pos);
  }

  // ---------------------------------------------------------------- Ref and pseudo parameters

  private ref(arg: CNode, pos: Pos): Resolved {
    const name = scalarText(arg);
    if (name === undefined) return this.malformed('Ref', 'expects the name of a parameter or resource', pos);
    const v = this.refValue(name, pos);
    if (v === NO_VALUE) return NO_VALUE;
    return Array.isArray(v)
      ? listNode(
          v.map((s) => leaf(s, pos)),
          pos,
        )
      : leaf(v, pos);
  }

  /** The value of `Ref name` (a list for list-typed parameters). */
  private refValue(name: string, pos: Pos | undefined): string | string[] | Symbolic | typeof NO_VALUE {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (PSEUDO.has(name)) return this.pseudo(name);
    const p = this.tpl.params.get(name);
    if (p) {
      const isList =
        /^(CommaDelimitedList|List<)/.test(p.type) || /^AWS::SSM::Parameter::Value<List</.test(p.type);
      const split = (s: string) => (isList ? s.split(',').map((x) => x.trim()) : s);
      const given = this.opts.parameters.get(name);
      if (given !== undefined) return split(given);
      const passed = this.opts.passed?.get(name);
      if (passed?.fixed && typeof passed.value === 'string' && !p.type.startsWith('AWS::SSM::'))
        return split(passed.value);
      const bound = this.bindings.get(name);
      if (bound !== undefined) return typeof bound === 'string' ? split(bound) : bound;
      if (p.type.startsWith('AWS::SSM::Parameter::Value')) {
        const ssm = passed ? passed.value : p.default;
        return sym(
          typeof ssm === 'string'
            ? `parameter ${name} (read from SSM parameter ${ssm})`
            : `parameter ${name} (SSM parameter${ssm ? `, named by ${ssm.description}` : ', no default'})`,
          `\${${name}}`,
        );
      }
      if (passed !== undefined) {
        if (typeof passed.value !== 'string') return passed.value;
        if (this.strict) return sym(`parameter ${name} (as the parent stack passes it)`, `\${${name}}`);
        return split(passed.value);
      }
      if (this.strict) return sym(`parameter ${name}`, `\${${name}}`);
      if (p.default !== undefined) return split(p.default);
      return sym(`parameter ${name} (no default)`, `\${${name}}`);
    }
    const type = this.tpl.resourceTypes.get(name);
    if (type !== undefined || this.tpl.resources.has(name)) {
      return sym(`Ref ${name}${type ? ` (${type})` : ''}`, `\${${name}}`);
    }
    this.issue('cfn-unresolved-reference', `Ref ${name}: no parameter or resource has this name`, pos);
    return sym(`Ref ${name} (undefined)`, `\${${name}}`);
  }

  private given(name: string): string | Symbolic | undefined {
    return this.opts.parameters.get(name) ?? this.bindings.get(name);
  }

  /** The partition as far as known: from an override or binding, else from a known region, else `aws`. */
  partition(): string | Symbolic {
    const g = this.given('AWS::Partition');
    if (g !== undefined) return g;
    const region = this.given('AWS::Region');
    if (typeof region === 'string') {
      const p = partitionOfRegion(region);
      if (p) return p;
    }
    return this.strict ? sym('pseudo parameter AWS::Partition', '${AWS::Partition}') : 'aws';
  }

  private pseudo(name: string): string | Symbolic {
    switch (name) {
      case 'AWS::AccountId': {
        const g = this.given(name) ?? this.opts.owner;
        if (g !== undefined) return g;
        return this.strict ? sym('pseudo parameter AWS::AccountId', '${AWS::AccountId}') : DEPLOYING_ACCOUNT;
      }
      case 'AWS::Partition':
        return this.partition();
      case 'AWS::URLSuffix': {
        const g = this.given(name);
        if (g !== undefined) return g;
        const p = this.partition();
        if (typeof p !== 'string') return sym('pseudo parameter AWS::URLSuffix', '${AWS::URLSuffix}');
        return p === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      }
      default: {
        const g = this.given(name);
        if (g !== undefined) return g;
        return sym(`pseudo parameter ${name}`, `\${${name}}`);
      }
    }
  }

  // ---------------------------------------------------------------- functions

  private fnIf(arg: CNode, pos: Pos): Resolved {
    if (arg.t !== 'seq' || arg.items.length !== 3)
      return this.malformed('Fn::If', 'expects [condition, value if true, value if false]', pos);
    const [c, a, b] = arg.items as [CNode, CNode, CNode];
    const name = scalarText(c);
    if (name === undefined) return this.malformed('Fn::If', 'expects a condition name first', pos);
    if (!this.tpl.conditions.has(name)) {
      this.issue(
        'cfn-unknown-condition',
        `Fn::If names condition ${name}, which the template does not define`,
        pos,
      );
    }
    let v = this.assignment.get(name) ?? this.conditionValue(name, true);
    if (v === undefined) {
      if (this.fork) throw new NeedCondition(name);
      v = this.conditionValue(name, false) ?? true;
    }
    return this.resolve(v ? a : b);
  }

  private fnSub(arg: CNode, pos: Pos): RNode {
    let template: CNode | undefined = arg;
    let varsNode: CNode | undefined;
    if (arg.t === 'seq') {
      template = arg.items[0];
      varsNode = arg.items[1];
      if (arg.items.length !== 2 || (varsNode && varsNode.t !== 'map')) {
        return this.malformed('Fn::Sub', 'expects a string or [string, {variables}]', pos);
      }
    }
    const str = template ? scalarText(template) : undefined;
    if (template?.t !== 'scalar' || str === undefined)
      return this.malformed('Fn::Sub', 'expects a string', pos);
    const vars = new Map<string, CNode>();
    if (varsNode?.t === 'map') for (const e of varsNode.entries) vars.set(e.key, e.value);
    const parts: (string | Symbolic)[] = [];
    // Where each part starts in the template string: literal text maps character by character, a
    // substituted value to its `${`.
    const from: [number, boolean][] = [];
    const add = (part: string | Symbolic, at: number, literal: boolean) => {
      if (part === '') return;
      parts.push(part);
      from.push([at, literal]);
    };
    const seen = new Map<string, string | Symbolic>();
    let i = 0;
    while (i < str.length) {
      const open = str.indexOf('${', i);
      if (open < 0) {
        add(str.slice(i), i, true);
        break;
      }
      add(str.slice(i, open), i, true);
      const close = str.indexOf('}', open + 2);
      if (close < 0) {
        add(str.slice(open), open, true);
        break;
      }
      const inner = str.slice(open + 2, close);
      i = close + 1;
      if (inner.startsWith('!')) {
        add(`\${${inner.slice(1)}}`, open, false);
        continue;
      }
      // Each variable is resolved once per Fn::Sub, however often the string names it.
      const name = inner.trim();
      let value = seen.get(name);
      if (value === undefined) {
        value = this.subVariable(name, vars, pos);
        seen.set(name, value);
      }
      add(value, open, false);
    }
    const out = leaf(this.joined(parts, pos), pos);
    if (template.range) {
      const src = valueOffsets(str, this.tpl.text, template);
      const offsets: number[] = [];
      parts.forEach((p, k) => {
        const [at, literal] = from[k] as [number, boolean];
        const len = textPart(p).length;
        for (let c = 0; c < len; c++) offsets.push(src[literal ? at + c : at] ?? pos.offset);
      });
      out.offsets = offsets;
    }
    return out;
  }

  private subVariable(name: string, vars: Map<string, CNode>, pos: Pos): string | Symbolic {
    const local = vars.get(name);
    if (local) {
      const r = this.resolve(local);
      if (r === NO_VALUE) return '';
      const t = asText(r.v);
      if (t !== undefined) return t;
      this.issue('cfn-malformed-intrinsic', `Fn::Sub variable ${name} is not a string`, pos);
      return sym(`Fn::Sub variable ${name} (not a string)`, `\${${name}}`);
    }
    if (PSEUDO.has(name) || this.tpl.params.has(name) || this.tpl.resources.has(name)) {
      const v = this.refValue(name, pos);
      if (v === NO_VALUE) return '';
      if (Array.isArray(v)) {
        this.issue('cfn-malformed-intrinsic', `Fn::Sub cannot substitute the list parameter ${name}`, pos);
        return sym(`Fn::Sub of list parameter ${name}`, `\${${name}}`);
      }
      return v;
    }
    const dot = name.indexOf('.');
    if (dot > 0) {
      const res = name.slice(0, dot);
      if (!this.tpl.resources.has(res)) {
        this.issue('cfn-unresolved-reference', `Fn::Sub \${${name}}: no resource ${res}`, pos);
      }
      return this.getAttSymbol(res, name.slice(dot + 1), pos);
    }
    this.issue(
      'cfn-unresolved-reference',
      `Fn::Sub \${${name}}: no parameter, resource or variable has this name`,
      pos,
    );
    return sym(`\${${name}} (undefined)`, `\${${name}}`);
  }

  private fnJoin(arg: CNode, pos: Pos): RNode {
    if (arg.t !== 'seq' || arg.items.length !== 2)
      return this.malformed('Fn::Join', 'expects [delimiter, [values]]', pos);
    const delim =
      scalarText(arg.items[0]) ?? (arg.items[0]?.t === 'scalar' && arg.items[0].v === null ? '' : undefined);
    if (delim === undefined) return this.malformed('Fn::Join', 'expects a literal delimiter', pos);
    const list = this.resolve(arg.items[1] as CNode);
    if (list === NO_VALUE) return leaf('', pos);
    if (isSymbolic(list.v)) {
      return leaf(sym(`Fn::Join of ${list.v.description}`, `\${Fn::Join(${textPart(list.v)})}`), pos);
    }
    if (!Array.isArray(list.v)) return this.malformed('Fn::Join', 'expects a list of values', pos);
    const parts: (string | Symbolic)[] = [];
    list.v.forEach((item, idx) => {
      if (idx > 0) parts.push(delim);
      const t = asText(item);
      if (t === undefined) {
        this.issue('cfn-malformed-intrinsic', 'Fn::Join: every value must be a string', pos);
        parts.push(sym('Fn::Join of a non-string value', '${?}'));
      } else parts.push(t);
    });
    return leaf(
      this.joined(
        parts.filter((p) => p !== ''),
        pos,
      ),
      pos,
    );
  }

  private fnSelect(arg: CNode, pos: Pos): Resolved {
    if (arg.t !== 'seq' || arg.items.length !== 2)
      return this.malformed('Fn::Select', 'expects [index, list]', pos);
    const idx = this.text(arg.items[0] as CNode);
    const list = this.resolve(arg.items[1] as CNode);
    if (list === NO_VALUE) return this.malformed('Fn::Select', 'expects a list', pos);
    if (isSymbolic(idx) || isSymbolic(list.v)) {
      const what = isSymbolic(list.v) ? list.v.description : 'a list';
      const at = typeof idx === 'string' ? idx : 'an unknown index';
      return leaf(sym(`element ${at} of ${what}`, `\${Fn::Select(${at})}`), pos);
    }
    const n = typeof idx === 'string' && /^\d+$/.test(idx.trim()) ? Number(idx.trim()) : Number.NaN;
    if (!Array.isArray(list.v) || Number.isNaN(n))
      return this.malformed('Fn::Select', 'expects a numeric index and a list', pos);
    const kid = list.kids?.get(n);
    if (!kid)
      return this.malformed(
        'Fn::Select',
        `index ${n} is out of range (the list has ${list.v.length} values)`,
        pos,
      );
    return relocate(kid.node, pos);
  }

  private fnSplit(arg: CNode, pos: Pos): RNode {
    if (arg.t !== 'seq' || arg.items.length !== 2)
      return this.malformed('Fn::Split', 'expects [delimiter, string]', pos);
    const delim = scalarText(arg.items[0]);
    const s = this.text(arg.items[1] as CNode);
    if (delim === undefined || delim === '' || s === undefined)
      return this.malformed('Fn::Split', 'expects a delimiter and a string', pos);
    if (isSymbolic(s))
      return leaf(sym(`Fn::Split of ${s.description}`, `\${Fn::Split(${textPart(s)})}`), pos);
    const pieces = s.split(delim, this.meter.budgets['collection-size'] + 1);
    this.meter.elements(pieces.length, this.place(pos));
    return listNode(
      pieces.map((x) => leaf(x, pos)),
      pos,
    );
  }

  private fnGetAtt(arg: CNode, pos: Pos): RNode {
    let res: string | undefined;
    let attr: string | Symbolic | undefined;
    if (arg.t === 'seq' && arg.items.length === 2) {
      res = scalarText(arg.items[0]);
      attr = this.text(arg.items[1] as CNode);
    } else if (arg.t === 'scalar' && typeof arg.v === 'string' && arg.v.includes('.')) {
      const dot = arg.v.indexOf('.');
      res = arg.v.slice(0, dot);
      attr = arg.v.slice(dot + 1);
    }
    if (res === undefined || attr === undefined)
      return this.malformed('Fn::GetAtt', 'expects [resource, attribute]', pos);
    if (!this.tpl.resources.has(res)) {
      this.issue('cfn-unresolved-reference', `Fn::GetAtt ${res}.${textPart(attr)}: no resource ${res}`, pos);
    }
    return leaf(this.getAttSymbol(res, textPart(attr), pos), pos);
  }

  /**
   * `Fn::GetAtt Res.Attr` is known only at deploy time. The ARN of a role or user created in the same
   * stack is still known to be in the deploying account, which the symbolic text records so the
   * analysis does not take it for a third party.
   */
  private getAttSymbol(res: string, attr: string, pos: Pos): Symbolic {
    const name = `${res}.${attr}`;
    const type = this.tpl.resourceTypes.get(res);
    const kind = type === 'AWS::IAM::Role' ? 'role' : type === 'AWS::IAM::User' ? 'user' : undefined;
    if (kind && attr === 'Arn') {
      const account = this.refValue('AWS::AccountId', pos);
      if (typeof account === 'string') {
        return sym(
          `Fn::GetAtt ${name} (a ${kind} created in this stack)`,
          `arn:\${AWS::Partition}:iam::${account}:${kind}/\${${res}}`,
        );
      }
    }
    return sym(`Fn::GetAtt ${name}`, `\${${name}}`);
  }

  private fnFindInMap(arg: CNode, pos: Pos): Resolved {
    if (arg.t !== 'seq' || arg.items.length < 3 || arg.items.length > 4) {
      return this.malformed('Fn::FindInMap', 'expects [map, top-level key, second-level key]', pos);
    }
    const [m, k1, k2] = [0, 1, 2].map((i) => this.text(arg.items[i] as CNode));
    const dflt = arg.items[3] ? get(arg.items[3], 'DefaultValue') : undefined;
    if (m === undefined || k1 === undefined || k2 === undefined) {
      return this.malformed('Fn::FindInMap', 'expects string keys', pos);
    }
    const label = `Fn::FindInMap ${[m, k1, k2].map(textPart).join('.')}`;
    if (isSymbolic(m)) return leaf(sym(label, `\${${label}}`), pos);
    const map = get(this.tpl.mappings, m);
    if (map?.t !== 'map') {
      if (dflt) return this.resolve(dflt);
      this.issue('cfn-unresolved-reference', `Fn::FindInMap: the template has no mapping ${m}`, pos);
      return leaf(sym(`${label} (no such mapping)`, `\${${label}}`), pos);
    }
    // Unknown keys: when every candidate gives the same value, that value is certain.
    const tops = isSymbolic(k1) ? map.entries.map((e) => e.value) : [get(map, k1)];
    const leaves: CNode[] = [];
    for (const t of tops) {
      if (t?.t !== 'map') continue;
      if (isSymbolic(k2)) leaves.push(...t.entries.map((e) => e.value));
      else {
        const l = get(t, k2);
        if (l) leaves.push(l);
      }
    }
    if (!isSymbolic(k1) && !isSymbolic(k2)) {
      const found = leaves[0];
      // The value is written in Mappings; what the reader looks at is the Fn::FindInMap.
      if (found) return relocateResolved(this.resolve(found), pos);
      if (dflt) return this.resolve(dflt);
      this.issue('cfn-malformed-intrinsic', `Fn::FindInMap: mapping ${m} has no entry ${k1}.${k2}`, pos);
      return leaf(sym(`${label} (no such entry)`, `\${${label}}`), pos);
    }
    const values = leaves.map((l) => this.resolve(l)).filter((r): r is RNode => r !== NO_VALUE);
    const first = values[0];
    if (first && values.every((r) => JSON.stringify(r.v) === JSON.stringify(first.v)) && !dflt) {
      return relocate(first, pos);
    }
    return leaf(sym(label, `\${${label}}`), pos);
  }

  // ---------------------------------------------------------------- conditions

  /**
   * The value of a named condition. `strict`: only what the user fixed (overrides, chosen conditions,
   * literals) counts, so a condition that rests on a parameter default stays undecided and both of its
   * branches are judged. Not strict: parameter defaults count too.
   */
  conditionValue(name: string, strict: boolean): boolean | undefined {
    const fixed = this.assignment.get(name);
    if (fixed !== undefined) return fixed;
    const key = `${strict ? 's' : 'd'}:${name}`;
    if (this.condCache.has(key)) return this.condCache.get(key);
    const def = this.tpl.conditions.get(name);
    if (!def || this.condBusy.has(key)) return undefined;
    this.condBusy.add(key);
    const v = this.evalCondition(def.value, strict);
    this.condBusy.delete(key);
    this.condCache.set(key, v);
    return v;
  }

  /** Three-valued evaluation of a condition expression (undefined: cannot be decided statically). */
  evalCondition(n: CNode, strict: boolean): boolean | undefined {
    const e = n.t === 'map' && n.entries.length === 1 ? n.entries[0] : undefined;
    if (!e) {
      if (n.t === 'scalar' && (n.v === true || n.v === 'true')) return true;
      if (n.t === 'scalar' && (n.v === false || n.v === 'false')) return false;
      this.issue(
        'cfn-malformed-condition',
        'a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition',
        n.pos,
      );
      return undefined;
    }
    const args = e.value.t === 'seq' ? e.value.items : [e.value];
    switch (e.key) {
      case 'Condition': {
        const name = scalarText(e.value);
        if (name === undefined) return undefined;
        if (!this.tpl.conditions.has(name)) {
          this.issue('cfn-unknown-condition', `condition ${name} is not defined`, e.keyPos);
        }
        return this.conditionValue(name, strict);
      }
      case 'Fn::Equals': {
        if (args.length !== 2) {
          this.issue('cfn-malformed-condition', 'Fn::Equals expects two values', e.keyPos);
          return undefined;
        }
        const [a, b] = args.map((x) => this.withStrict(strict, () => this.resolve(x)));
        if (!a || !b || a === NO_VALUE || b === NO_VALUE) return undefined;
        if (containsSymbolic(a.v) || containsSymbolic(b.v)) return undefined;
        return canonical(a.v) === canonical(b.v);
      }
      case 'Fn::Not': {
        const [x] = args;
        if (args.length !== 1 || !x) {
          this.issue('cfn-malformed-condition', 'Fn::Not expects one condition', e.keyPos);
          return undefined;
        }
        const v = this.evalCondition(x, strict);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = args.map((x) => this.evalCondition(x, strict));
        const stop = e.key === 'Fn::Or';
        if (values.includes(stop)) return stop;
        if (values.every((v) => v === !stop)) return !stop;
        return undefined;
      }
      default:
        this.issue('cfn-malformed-condition', `${e.key} cannot be used as a condition`, e.keyPos);
        return undefined;
    }
  }

  private withStrict<T>(strict: boolean, f: () => T): T {
    const was = this.strict;
    this.strict = strict;
    try {
      return f();
    } finally {
      this.strict = was;
    }
  }

  /**
   * Choosing a condition says something about the parameters: `IsGov: Equals [Ref AWS::Partition, aws-us-gov]`
   * chosen true means the partition is `aws-us-gov`; `HasExternalId: Not [Equals [Ref ExternalId, ""]]` chosen
   * true means ExternalId is some value other than "", known only at deploy time.
   */
  private constrain(n: CNode, value: boolean, seen: Set<string>): void {
    const e = n.t === 'map' && n.entries.length === 1 ? n.entries[0] : undefined;
    if (!e) return;
    const args = e.value.t === 'seq' ? e.value.items : [e.value];
    switch (e.key) {
      case 'Condition': {
        const name = scalarText(e.value);
        const def = name ? this.tpl.conditions.get(name) : undefined;
        if (name && def && !seen.has(name)) {
          seen.add(name);
          this.constrain(def.value, value, seen);
        }
        return;
      }
      case 'Fn::Not':
        if (args[0]) this.constrain(args[0], !value, seen);
        return;
      case 'Fn::And':
        if (value) for (const a of args) this.constrain(a, true, seen);
        else if (args[0]) this.constrain(args[0], false, seen);
        return;
      case 'Fn::Or':
        // Any one alternative makes it true: take the first, so the rest of the template reads consistently.
        if (!value) for (const a of args) this.constrain(a, false, seen);
        else if (args[0]) this.constrain(args[0], true, seen);
        return;
      case 'Fn::Equals': {
        if (args.length !== 2) return;
        const [a, b] = args as [CNode, CNode];
        const refA = refName(a);
        const refB = refName(b);
        const [name, other] = refA ? [refA, b] : refB ? [refB, a] : [undefined, undefined];
        if (!name || !other || this.opts.parameters.has(name) || this.bindings.has(name)) return;
        const passed = this.opts.passed?.get(name);
        if (passed?.fixed && typeof passed.value === 'string') return;
        if (name !== 'AWS::Partition' && name !== 'AWS::Region' && !this.tpl.params.has(name)) return;
        const lit = this.text(other);
        if (typeof lit !== 'string') return;
        if (value) {
          this.bindings.set(name, lit);
          return;
        }
        const current = name.startsWith('AWS::') ? this.pseudo(name) : this.refValue(name, undefined);
        if (current === lit || (Array.isArray(current) && current.join(',') === lit)) {
          this.bindings.set(name, sym(`parameter ${name} (a value other than "${lit}")`, `\${${name}}`));
        }
        return;
      }
      default:
        return;
    }
  }
}

/** The same value, placed at `pos` (and so are its parts): for values an intrinsic fetched from elsewhere. */
function relocate(n: RNode, pos: Pos): RNode {
  const out: RNode = { v: n.v, pos };
  if (n.kids) {
    out.kids = new Map([...n.kids].map(([k, kid]) => [k, { node: relocate(kid.node, pos), keyPos: pos }]));
  }
  return out;
}

function relocateResolved(r: Resolved, pos: Pos): Resolved {
  return r === NO_VALUE ? r : relocate(r, pos);
}

function refName(n: CNode): string | undefined {
  const e = n.t === 'map' && n.entries.length === 1 ? n.entries[0] : undefined;
  return e?.key === 'Ref' ? scalarText(e.value) : undefined;
}

function canonical(v: JsonLike): string {
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(String(v));
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return JSON.stringify(v);
}
