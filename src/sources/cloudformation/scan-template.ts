/**
 * One template and the templates it nests: parse, extract the roles, then evaluate every local child
 * (nested stack, SAM application, stack set body, CDK nested stack) with the parameters the parent
 * passes it, down the tree. Files a template names are read only through the scan root; the tree is
 * bounded by the `stack-depth` and `nested-templates` budgets and shares one `eval-steps` meter, and a
 * template that nests itself (A -> B -> A) is reported, never followed again.
 */
import { dirname, posix, relative, sep } from 'node:path';
import type { TrustedAccount } from '../../analysis/zone.js';
import type { Role, ScanError, Symbolic } from '../../model/types.js';
import {
  BudgetExceeded,
  BudgetMeter,
  type Budgets,
  budgetAdvice,
  DEFAULT_BUDGETS,
} from '../../scan/budgets.js';
import type { ScanRoot } from '../../scan/scan-root.js';
import { append } from '../../util/append.js';
import { parameterSets } from './child-parameters.js';
import { valueOffsets } from './embedded.js';
import { type ChildLink, childLinks, notReadWarning } from './nested-stacks.js';
import { get, type LineIndex, MappedLines, type Pos } from './nodes.js';
import { parseTemplateText } from './parse.js';
import type { PassedValue } from './resolve.js';
import { type ExtractOptions, extractRoles } from './roles.js';
import { indexTemplate, looksLikeTemplate, type TemplateModel } from './template.js';

/** How to follow a template's children. Without it, nested templates are not read (warnings). */
export interface TreeOptions {
  root: ScanRoot;
  /** Folder of the template on disk (a local `TemplateURL` is relative to it); undefined for stdin. */
  dir?: string;
  /** Absolute path of the template, so a child that names it again is a cycle. */
  real?: string;
  /** Called with the absolute path of every nested template file read (`cdk`: a CDK nested stack). */
  onFile?: (abs: string, cdk: boolean) => void;
}

export type TemplateScanOptions = ExtractOptions & {
  maxFileBytes: number;
  explicit?: boolean;
  allowAliases?: boolean;
  tree?: TreeOptions;
};

/**
 * A template's roles (its own and its children's) and errors, and warnings when there are any.
 * `nestedFrom` maps each role judged through a parent to the absolute path of the child file it is
 * written in (not for stack set bodies written inside the parent), so the caller can tell it from
 * the same file scanned on its own.
 */
export type TemplateScan = {
  roles: Role[];
  errors: ScanError[];
  warnings?: ScanError[];
  nestedFrom?: Map<Role, string>;
  /**
   * The account that administers a stack set (the parent's account, when known): the stack set's
   * instances are created from it, so it is one of the user's own accounts.
   */
  trusted?: TrustedAccount[];
};

function scanError(file: string, code: string, message: string, at?: Pos): ScanError {
  const e: ScanError = { source: 'cloudformation', code, message, file };
  if (at) {
    e.line = at.line;
    e.column = at.column;
  }
  return e;
}

function failure(file: string, e: unknown): ScanError {
  const deep = e instanceof RangeError;
  return scanError(
    file,
    deep ? 'too-deep' : 'internal',
    deep
      ? 'the template is nested too deeply to read'
      : `the template could not be read: ${(e as Error)?.message ?? String(e)}`,
  );
}

/** Parse one template and extract its roles (and its children's). Never throws. */
export function scanTemplate(text: string, file: string, opts: TemplateScanOptions): TemplateScan {
  const out: Out = { roles: [], errors: [], warnings: [], nestedFrom: new Map(), trusted: new Map() };
  const budgets = opts.budgets ?? DEFAULT_BUDGETS;
  const walk: Walk = {
    meter: opts.meter ?? new BudgetMeter(budgets),
    budgets,
    templates: 0,
    exhausted: false,
    ...(opts.tree ? { tree: opts.tree } : {}),
  };
  try {
    const read = readModel(text, file, opts);
    append(out.errors, read.errors);
    append(out.warnings, read.warnings);
    if (read.model) {
      const frame: Frame = {
        dir: opts.tree?.dir,
        chain: opts.tree?.real ? [opts.tree.real] : [],
        depth: 0,
        prefix: '',
        inline: false,
        nestedIn: [],
      };
      scanModel(read.model, { ...opts, meter: walk.meter }, frame, walk, out);
    }
  } catch (e) {
    out.errors.push(failure(file, e));
  }
  return {
    roles: out.roles,
    errors: out.errors,
    ...(out.warnings.length > 0 ? { warnings: out.warnings } : {}),
    ...(out.nestedFrom.size > 0 ? { nestedFrom: out.nestedFrom } : {}),
    ...(out.trusted.size > 0 ? { trusted: [...out.trusted.values()] } : {}),
  };
}

interface Out {
  roles: Role[];
  errors: ScanError[];
  warnings: ScanError[];
  nestedFrom: Map<Role, string>;
  trusted: Map<string, TrustedAccount>;
}

/** The state of one walk down a template tree. */
interface Walk {
  meter: BudgetMeter;
  budgets: Budgets;
  /** Nested templates evaluated so far (each parameter set counts once). */
  templates: number;
  /** The `nested-templates` budget ran out (reported once). */
  exhausted: boolean;
  tree?: TreeOptions;
}

/** Where one template sits in the tree. */
interface Frame {
  /** Folder its local children are relative to. */
  dir: string | undefined;
  /** Real paths of the template files from the top down to this one. */
  chain: string[];
  depth: number;
  /** Prefix of its role ids (`parent.yaml#Stack/`), '' at the top. */
  prefix: string;
  /** Written inside its parent (a stack set body): ids without a file part. */
  inline: boolean;
  /** `file#LogicalId` of every nesting resource above it. */
  nestedIn: string[];
  /** Which parameters the parents passed, when they can pass several sets. */
  label?: string;
  /** Absolute path of its file, when it is a child file of its own. */
  abs?: string;
}

type ReadModel = { model?: TemplateModel; errors: ScanError[]; warnings: ScanError[] };

function readModel(
  text: string,
  file: string,
  opts: TemplateScanOptions,
  embedded?: { lines: LineIndex; syntaxHint: string },
  /** Named by a parent as its template: any map with a `Resources` map is one (even an empty one). */
  child = false,
): ReadModel {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > opts.maxFileBytes) {
    return {
      errors: [
        scanError(
          file,
          'file-too-large',
          `the file is ${size} bytes, over the ${opts.maxFileBytes}-byte limit for one file; it was not read (raise the limit to scan it)`,
        ),
      ],
      warnings: [],
    };
  }
  const parsed = parseTemplateText(text, embedded?.syntaxHint ?? file, {
    allowAliases: opts.allowAliases === true,
    ...(opts.budgets ? { budgets: opts.budgets } : {}),
    ...(embedded ? { lines: embedded.lines } : {}),
  });
  const o = parsed.outcome;
  if (!o.ok) return { errors: [scanError(file, o.code, o.message, o.pos)], warnings: [] };
  // A repeated key was resolved (the last one, as CloudFormation keeps it) and scanned: a warning.
  const warnings = o.warnings.map((w) => scanError(file, w.code, w.message, w.pos));
  const isTemplate = looksLikeTemplate(o.root) || (child && get(o.root, 'Resources')?.t === 'map');
  if (!isTemplate || o.root.t !== 'map') {
    // Looked like CloudFormation from its text but is something else: say so only when asked for by name.
    return {
      errors: opts.explicit
        ? [
            scanError(
              file,
              'not-a-template',
              'not a CloudFormation template (it has no Resources section with AWS:: resource types)',
            ),
          ]
        : [],
      warnings,
    };
  }
  return { model: indexTemplate(file, text, parsed.lines, o.root), errors: [], warnings };
}

/** The roles of one template, then its children. */
function scanModel(model: TemplateModel, opts: ExtractOptions, frame: Frame, walk: Walk, out: Out): void {
  const r = extractRoles(model, opts);
  for (const role of r.roles) {
    if (frame.depth > 0) {
      if (frame.label) role.variant = role.variant ? `${frame.label}; ${role.variant}` : frame.label;
      if (frame.abs) out.nestedFrom.set(role, frame.abs);
    }
    out.roles.push(role);
  }
  append(out.errors, r.errors);
  for (const link of childLinks(model.root)) {
    try {
      scanChild(model, opts, link, frame, walk, out);
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      out.errors.push(
        scanError(
          model.file,
          `limit-${e.budget}`,
          `${e.message}; the nested template of ${link.logicalId} was not judged`,
          link.at,
        ),
      );
    }
  }
}

type Child = { model: TemplateModel; dir: string | undefined; chain: string[]; abs?: string };

function scanChild(
  parent: TemplateModel,
  parentOpts: ExtractOptions,
  link: ChildLink,
  frame: Frame,
  walk: Walk,
  out: Out,
): void {
  if (link.source.kind === 'remote') {
    out.warnings.push(notReadWarning(link, parent.file, link.source.why));
    return;
  }
  if (!walk.tree) {
    out.warnings.push(notReadWarning(link, parent.file, 'was not followed by this reader'));
    return;
  }
  const maxDepth = walk.budgets['stack-depth'];
  if (frame.depth + 1 > maxDepth) {
    out.errors.push(
      scanError(
        parent.file,
        'limit-stack-depth',
        `${link.logicalId}: the nested template is more than ${maxDepth} stacks deep: ${budgetAdvice('stack-depth', maxDepth)}; its roles were not judged through this parent`,
        link.at,
      ),
    );
    return;
  }
  const child = childModel(parent, parentOpts, link, frame, walk, out);
  if (!child) return;

  const sets = parameterSets(parent, link, parentOpts);
  for (const i of sets.issues)
    out.errors.push(scanError(parent.file, i.code, `${link.logicalId}: ${i.message}`, i.pos));
  if (sets.unknownCondition)
    out.errors.push(
      scanError(
        parent.file,
        'cfn-unknown-condition',
        `${link.logicalId} names condition ${sets.unknownCondition.name}, which the template does not define`,
        sets.unknownCondition.pos,
      ),
    );
  if (sets.capped)
    out.errors.push(
      scanError(
        parent.file,
        'cfn-variants-capped',
        `${link.logicalId}: more than ${sets.sets.length} combinations of conditions shape the parameters it passes; the remaining conditions follow the parameter defaults`,
        link.entry.keyPos,
      ),
    );

  const stackSet = link.type === 'AWS::CloudFormation::StackSet';
  const here = `${parent.file}#${link.logicalId}`;
  const nestingId = `${frame.prefix}${frame.inline ? link.logicalId : here}/`;
  for (const set of sets.sets) {
    if (walk.exhausted) return;
    if (++walk.templates > walk.budgets['nested-templates']) {
      walk.exhausted = true;
      out.errors.push(
        scanError(
          parent.file,
          'limit-nested-templates',
          `${link.logicalId}: too many nested templates under this template: ${budgetAdvice('nested-templates', walk.budgets['nested-templates'])}; this and the remaining nested templates were not judged through their parents`,
          link.at,
        ),
      );
      return;
    }
    const passed = new Map(set.passed);
    if (set.unknownAll) fillUnknown(passed, child.model, set.unknownAll);
    const inline = child.abs === undefined;
    const opts: ExtractOptions = {
      parameters: inherited(parentOpts.parameters, stackSet),
      passed,
      ...(parentOpts.budgets ? { budgets: parentOpts.budgets } : {}),
      meter: walk.meter,
      // A nested stack is created in its parent's account; a stack set's instances in their target accounts.
      ...(parentOpts.owner && !stackSet ? { owner: parentOpts.owner } : {}),
      extra: { ...(parentOpts.extra ?? {}), nestedIn: [...frame.nestedIn, here] },
      nesting: { prefix: nestingId, inline },
    };
    // "condition Require of parent.yaml is false": the parent's choice that made this set of parameters.
    const parts = set.chosen.map(([c, v]) => `condition ${c} of ${parent.file} is ${v}`);
    if (set.groups) {
      const which = `StackInstancesGroup ${set.groups.indexes.join(', ')} of ${here}`;
      parts.push(
        set.groups.overrides
          ? `in ${which} (its ParameterOverrides)`
          : `in ${which} (the stack set's Parameters)`,
      );
    }
    const label = parts.length > 0 ? parts.join(', ') : undefined;
    if (
      stackSet &&
      parentOpts.owner &&
      /^\d{12}$/.test(parentOpts.owner) &&
      !out.trusted.has(parentOpts.owner)
    )
      out.trusted.set(parentOpts.owner, {
        id: parentOpts.owner,
        name: `stack set administrator (${parent.file}#${link.logicalId})`,
      });
    const childFrame: Frame = {
      dir: child.dir,
      chain: child.chain,
      depth: frame.depth + 1,
      prefix: nestingId,
      inline,
      nestedIn: [...frame.nestedIn, here],
      ...(child.abs ? { abs: child.abs } : {}),
    };
    const combined = [frame.label, label].filter((x): x is string => x !== undefined).join('; ');
    if (combined) childFrame.label = combined;
    try {
      scanModel(child.model, opts, childFrame, walk, out);
    } catch (e) {
      if (e instanceof BudgetExceeded) throw e;
      out.errors.push(failure(child.model.file, e));
    }
  }
}

/** Read and parse the child template `link` names, or report why it cannot be. */
function childModel(
  parent: TemplateModel,
  opts: ExtractOptions,
  link: ChildLink,
  frame: Frame,
  walk: Walk,
  out: Out,
): Child | undefined {
  const tree = walk.tree as TreeOptions;
  // The size of a child file is bounded by the scan root's read; a body, by the parent file's size.
  const scanOpts: TemplateScanOptions = {
    ...opts,
    maxFileBytes: Number.MAX_SAFE_INTEGER,
    explicit: true,
  };
  const source = link.source;
  if (source.kind === 'inline') {
    if (!looksLikeTemplate(source.node)) {
      out.errors.push(
        scanError(
          parent.file,
          'not-a-template',
          `${link.logicalId}: the TemplateBody is not a CloudFormation template (it has no Resources section with AWS:: resource types)`,
          link.at,
        ),
      );
      return undefined;
    }
    return {
      model: indexTemplate(parent.file, parent.text, parent.lines, source.node),
      dir: frame.dir,
      chain: frame.chain,
    };
  }
  if (source.kind === 'text') {
    const body = String(source.node.v);
    const offsets = valueOffsets(body, parent.text, source.node);
    const start = source.node.pos.offset;
    const lines = new MappedLines(
      body,
      (o) => offsets[o] ?? offsets[offsets.length - 1] ?? start,
      parent.lines,
    );
    const read = readModel(
      body,
      parent.file,
      { ...scanOpts, explicit: false },
      { lines, syntaxHint: 'TemplateBody' },
    );
    append(out.errors, read.errors);
    append(out.warnings, read.warnings);
    // A text that reads as something other than a template (a file name a preprocessor such as
    // `rain` replaces, `!Rain::Embed x.yaml`): what is deployed is not in this file.
    if (!read.model && read.errors.length === 0)
      out.warnings.push(
        notReadWarning(
          link,
          parent.file,
          `is the text ${JSON.stringify(body.slice(0, 80))}, which is not a template`,
        ),
      );
    return read.model ? { model: read.model, dir: frame.dir, chain: frame.chain } : undefined;
  }
  if (source.kind !== 'file') return undefined;
  if (frame.dir === undefined) {
    out.warnings.push(
      notReadWarning(
        link,
        parent.file,
        `is ${source.path}, but this template was read from standard input, so files it names are not followed`,
      ),
    );
    return undefined;
  }
  const r = tree.root.read(source.path, frame.dir);
  if (!r.ok) {
    if (r.refusal === 'outside' || r.refusal === 'not-regular') {
      out.warnings.push(
        scanError(
          parent.file,
          'file-refused',
          `${link.logicalId}: the nested template (${link.property}) ${JSON.stringify(source.path)} was not read: ${r.reason}`,
          link.at,
        ),
      );
    } else if (r.refusal === 'missing') {
      out.warnings.push(notReadWarning(link, parent.file, `is ${source.path}, which does not exist`));
    } else {
      out.errors.push(
        scanError(
          parent.file,
          r.refusal === 'too-large' ? 'file-too-large' : 'unreadable',
          `${link.logicalId}: the nested template (${link.property}) ${JSON.stringify(source.path)} was not read: ${r.reason}`,
          link.at,
        ),
      );
    }
    return undefined;
  }
  if (frame.chain.includes(r.real) || frame.chain.includes(r.abs)) {
    out.warnings.push(
      scanError(
        parent.file,
        'nested-stack-cycle',
        `${link.logicalId}: the nested template ${source.path} is one of the templates that contain it (${[...frame.nestedIn, `${parent.file}#${link.logicalId}`].join(' -> ')}); CloudFormation cannot create a stack that contains itself, so it was not read again`,
        link.at,
      ),
    );
    return undefined;
  }
  tree.onFile?.(r.abs, link.cdk);
  // Named after where it is, relative to the parent as the user sees the parent.
  const display = posix.join(
    posix.dirname(parent.file.split('\\').join('/')),
    relative(frame.dir, r.abs).split(sep).join('/'),
  );
  const read = readModel(r.text, display, scanOpts, undefined, true);
  append(out.errors, read.errors);
  append(out.warnings, read.warnings);
  if (!read.model) return undefined;
  return { model: read.model, dir: dirname(r.abs), chain: [...frame.chain, r.real], abs: r.abs };
}

/**
 * The parameters a child inherits: the pseudo parameters the user fixed (a nested stack runs in its
 * parent's account and region; a stack set's instances only share its partition), never the user's
 * values for the parent's own parameters, and never the parent's stack name or id.
 */
function inherited(parameters: ReadonlyMap<string, string>, stackSet: boolean): Map<string, string> {
  const keep = stackSet
    ? new Set(['AWS::Partition', 'AWS::URLSuffix'])
    : new Set(['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::NotificationARNs']);
  const out = new Map<string, string>();
  for (const [k, v] of parameters) if (keep.has(k)) out.set(k, v);
  return out;
}

/** The parent's whole `Parameters` is unknown: so is every parameter of the child. */
function fillUnknown(passed: Map<string, PassedValue>, child: TemplateModel, unknown: Symbolic): void {
  for (const name of child.params.keys()) {
    if (passed.has(name)) continue;
    passed.set(name, {
      value: {
        symbolic: true,
        description: `parameter ${name} (from ${unknown.description})`,
        text: `\${${name}}`,
      },
      fixed: false,
    });
  }
}
