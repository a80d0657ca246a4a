import { it } from 'vitest';
import path from 'node:path';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { corpusDir, ctxFor, inputsUnder, principalsOf, conditionsOf } from './helpers.js';

it('scratch3', async () => {
  const all = inputsUnder(corpusDir, corpusDir);
  const files = all.filter((f) => terraformSource.claim(f));
  const outside = files.filter((f) => !/^(terraform|vendor|snippets)\//.test(f.path));
  console.log('claimed outside', outside.map((f) => f.path));
  const t1 = Date.now();
  const r = await terraformSource.load(files, ctxFor(files));
  console.log('load ms', Date.now() - t1, 'files', files.length, 'tf', files.filter(f=>f.path.endsWith('.tf')).length);
  for (const e of r.errors) console.log(`ERR ['${e.code}', '${e.file}', ${e.line}],`);
  const counts: Record<string, number> = {};
  for (const role of r.roles) { const k = role.source.location.file.split('/').slice(0, 2).join('/'); counts[k] = (counts[k] ?? 0) + 1; }
  console.log(JSON.stringify(counts, null, 2));
  const sum: string[] = [];
  for (const role of r.roles.filter((x) => x.source.location.file.startsWith('vendor/'))) {
    const st = role.trustPolicy.statements.map((s) => `${s.effect} P=[${principalsOf(s).join(', ')}] C=[${conditionsOf(s).join('; ')}]`);
    sum.push(`${role.source.location.file.split('/')[1]} ${role.id} :: ${st.join(' || ')}${role.trustPolicy.statements.length === 0 ? ' (no statements: ' + role.trustPolicy.issues.map(i=>i.message).join(';') + ')' : ''}`);
  }
  console.log(sum.join('\n'));
});
