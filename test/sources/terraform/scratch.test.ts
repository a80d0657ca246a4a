import { it } from 'vitest';
import path from 'node:path';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { corpusDir, ctxFor, inputsUnder, principalsOf, conditionsOf } from './helpers.js';

it('scratch', async () => {
  const t0 = Date.now();
  const all = [...inputsUnder(path.join(corpusDir, 'terraform'), corpusDir), ...inputsUnder(path.join(corpusDir, 'vendor'), corpusDir), ...inputsUnder(path.join(corpusDir, 'snippets'), corpusDir)];
  const files = all.filter((f) => terraformSource.claim(f));
  const t1 = Date.now();
  const r = await terraformSource.load(files, ctxFor(files));
  const t2 = Date.now();
  console.log('files', all.length, 'claimed', files.length, 'read ms', t1 - t0, 'load ms', t2 - t1, 'roles', r.roles.length, 'errors', r.errors.length);
  for (const e of r.errors) console.log('ERR', e.code, e.file, e.line, e.column, e.message);
  const counts = new Map<string, number>();
  for (const role of r.roles) { const k = role.source.location.file.split('/').slice(0, 2).join('/'); counts.set(k, (counts.get(k) ?? 0) + 1); }
  console.log(counts);
  for (const role of r.roles.filter((x) => process.env.SHOW ? x.source.location.file.includes(process.env.SHOW) : false)) {
    console.log(role.id, role.name, role.source.location.file, role.source.location.line);
    for (const s of role.trustPolicy.statements) console.log('   ', s.effect, principalsOf(s), conditionsOf(s), s.location?.line);
    for (const i of role.trustPolicy.issues) console.log('   issue', i.code, i.message);
  }
});
