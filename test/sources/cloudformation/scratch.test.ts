import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { it } from 'vitest';
import { emptyZone } from '../../../src/analysis/zone.js';
import { cloudformationSource } from '../../../src/sources/cloudformation/index.js';
import type { InputFile } from '../../../src/sources/types.js';

const root = resolve(__dirname, '../../..');
const corpus = resolve(root, '../shared/corpus');
function walk(d: string, out: string[] = []): string[] {
  for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p, out); else out.push(p); }
  return out;
}
it('scratch', async () => {
  const t0 = Date.now();
  const files: InputFile[] = [];
  for (const sub of ['cloudformation', 'vendor', 'snippets']) for (const abs of walk(join(corpus, sub))) {
    const f = { path: relative(corpus, abs), absPath: abs, text: readFileSync(abs, 'utf8'), explicit: false };
    if (cloudformationSource.claim(f)) files.push(f);
  }
  const t1 = Date.now();
  const r = await cloudformationSource.load(files, { zone: emptyZone(), parameters: new Map(), variables: new Map(), allFiles: [], maxFileBytes: 5e6 });
  const t2 = Date.now();
  const lines: string[] = [`claimed ${files.length} claim ${t1-t0}ms load ${t2-t1}ms roles ${r.roles.length} errors ${r.errors.length}`];
  for (const e of r.errors) lines.push(`ERR ${e.code} ${e.file}:${e.line}:${e.column} ${e.message}`);
  for (const role of r.roles) {
    if (!role.id.startsWith('vendor/')) continue;
    lines.push(`ROLE ${role.id} name=${role.name} variant=${role.variant ?? ''} line=${role.source.location.line}`);
    for (const s of role.trustPolicy.statements) lines.push(`   st${s.index} L${s.location?.line} ${s.effect} P=${JSON.stringify(s.principals?.map(p=>[p.type,p.value, p.location?.line]))} C=${JSON.stringify(s.conditions.map(c=>[c.operator,c.key,c.values,c.location?.line]))}`);
    for (const i of role.trustPolicy.issues) lines.push(`   issue ${i.code} ${i.message} L${i.location?.line}`);
  }
  writeFileSync('/tmp/cfnx/scratch.txt', lines.join('\n'));
});
