import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { emptyZone } from '../../src/analysis/zone.js';
import { fileSources } from '../../src/sources/index.js';
import type { InputFile } from '../../src/sources/types.js';

it('scratch', { timeout: 600_000 }, async () => {
  const root = path.resolve('../shared/corpus');
  const files: string[] = [];
  const walk = (d: string): void => { for (const e of readdirSync(d)) { const p = path.join(d, e); if (statSync(p).isDirectory()) walk(p); else files.push(p); } };
  walk(root);
  const groups = new Map<string, InputFile[]>();
  for (const f of files) {
    if (!/\.(json|ya?ml|template|tf|tpl)$/.test(f)) continue;
    const file: InputFile = { path: path.relative(root, f), absPath: f, text: readFileSync(f, 'utf8'), explicit: false };
    const s = fileSources.find((x) => x.claim(file));
    if (!s) continue;
    const g = groups.get(s.name) ?? []; g.push(file); groups.set(s.name, g);
  }
  const tally = new Map<string, string[]>();
  let roles = 0;
  for (const s of fileSources) {
    const fs = groups.get(s.name) ?? [];
    const r = await s.load(fs, { zone: emptyZone(), parameters: new Map(), variables: new Map(), allFiles: files, maxFileBytes: 5e6 });
    roles += r.roles.length;
    console.log(s.name, 'files', fs.length, 'roles', r.roles.length, 'errors', r.errors.length);
    for (const role of r.roles) for (const i of role.trustPolicy.issues) { const a = tally.get(i.code) ?? []; a.push(`${s.name} ${i.location?.file}:${i.location?.line ?? ''} ${i.message}`); tally.set(i.code, a); }
  }
  console.log('roles', roles);
  for (const [c, a] of tally) console.log(c, a.length, '\n   ' + [...new Set(a)].slice(0, 8).join('\n   '));
});
