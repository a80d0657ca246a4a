/**
 * No runtime import cycles in src/: a module in a cycle may run before the module it imports has
 * finished loading (a `class` or `const` it uses is then not yet initialised), and a cycle usually means
 * two modules share one job. Relative `import … from` / `export … from` statements are followed;
 * `import type` / `export type` and imports whose every name is marked `type` vanish at run time and
 * are ignored (an import with one value name counts, even if that name is only used as a type).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

/** The relative module specifiers a file imports or re-exports at run time. */
function runtimeSpecifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      if (clause?.isTypeOnly) continue;
      const named = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        clause.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) out.push(st.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      if (st.isTypeOnly) continue;
      const clause = st.exportClause;
      const onlyTypes =
        clause !== undefined &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) out.push(st.moduleSpecifier.text);
    }
  }
  return out.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** `./x.js` from `dir`: the `.ts` file it is compiled from (or the folder's index.ts). */
function resolveTs(dir: string, spec: string, known: ReadonlySet<string>): string | undefined {
  const base = path.resolve(dir, spec);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((c) => known.has(c));
}

/**
 * Every runtime cycle among the `.ts` files under `root`, one per strongly connected component (its
 * members, and one cycle through them as `a -> b -> a`), paths relative to `root`.
 */
function runtimeCycles(root: string): string[] {
  const files = tsFiles(root);
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const f of files) {
    const targets = runtimeSpecifiers(f)
      .map((s) => resolveTs(path.dirname(f), s, known))
      .filter((t): t is string => t !== undefined);
    edges.set(f, [...new Set(targets)].sort());
  }
  // Tarjan's strongly connected components, iteratively (the graph has hundreds of nodes).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  for (const start of files) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; i: number };
      const out = edges.get(top.node) ?? [];
      if (top.i < out.length) {
        const to = out[top.i++] as string;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(top.node, Math.min(low.get(top.node) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) === index.get(top.node)) {
        const comp: string[] = [];
        for (;;) {
          const x = stack.pop() as string;
          onStack.delete(x);
          comp.push(x);
          if (x === top.node) break;
        }
        const selfLoop = comp.length === 1 && (edges.get(top.node) ?? []).includes(top.node);
        if (comp.length > 1 || selfLoop) components.push(comp.sort());
      }
    }
  }
  const rel = (f: string): string => path.relative(root, f).split(path.sep).join('/');
  return components
    .map((comp) => {
      const members = new Set(comp);
      const first = comp[0] as string;
      return `${comp.map(rel).join(', ')}: ${cycleThrough(first, members, edges).map(rel).join(' -> ')}`;
    })
    .sort();
}

/** One shortest cycle from `start` back to itself inside its component (breadth first). */
function cycleThrough(
  start: string,
  members: ReadonlySet<string>,
  edges: ReadonlyMap<string, string[]>,
): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
    for (const to of edges.get(n) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const pathBack = [n];
        for (let p = prev.get(n); p !== undefined; p = prev.get(p)) pathBack.push(p);
        return [...pathBack.reverse(), start];
      }
      if (!prev.has(to) && to !== start) {
        prev.set(to, n);
        queue.push(to);
      }
    }
  }
  return [start];
}

describe('runtime import cycles', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'trustaudit-cycles-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('the detector finds a cycle through value imports and re-exports, and ignores type-only ones', () => {
    const write = (rel: string, text: string): void => {
      mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      writeFileSync(path.join(tmp, rel), text);
    };
    write('a.ts', "import { b } from './b.js';\nexport const a = b;\n");
    write('b.ts', "export { c as b } from './sub/c.js';\n");
    write('sub/c.ts', "import { a } from '../a.js';\nexport const c = 1;\nexport const d = () => a;\n");
    // Type-only back edges: no cycle at run time.
    write('d.ts', "import type { E } from './e.js';\nexport type D = E;\nexport const d = 1;\n");
    write('e.ts', "import { d } from './d.js';\nexport type E = number;\nexport const e = d;\n");
    write('f.ts', "import { type G } from './g.js';\nexport type { G } from './g.js';\nexport type F = G;\n");
    write(
      'g.ts',
      "import { f } from './h.js';\nimport type { F } from './f.js';\nexport type G = F;\nexport { f };\n",
    );
    write('h.ts', 'export const f = 1;\n');
    expect(runtimeCycles(tmp)).toEqual(['a.ts, b.ts, sub/c.ts: a.ts -> b.ts -> sub/c.ts -> a.ts']);
  });

  it('src/ has none', () => {
    expect(runtimeCycles(SRC)).toEqual([]);
  });
});
