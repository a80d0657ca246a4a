import { it } from 'vitest';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { corpusDir, ctxFor, inputsUnder } from './helpers.js';

it('scratch6', async () => {
  const files = inputsUnder(corpusDir, corpusDir).filter((f) => terraformSource.claim(f));
  const t = Date.now();
  const cpu = process.cpuUsage();
  const r = await terraformSource.load(files, ctxFor(files));
  console.log('ms', Date.now() - t, 'cpu', process.cpuUsage(cpu).user / 1000, 'roles', r.roles.length);
  for (const role of r.roles) {
    const sym = role.trustPolicy.issues.filter((i) => i.code === 'symbolic-structure');
    if (role.trustPolicy.statements.length === 0 || sym.length)
      console.log(
        `${role.source.location.file}:${role.source.location.line} ${role.id} :: ${sym
          .map((i) => i.message)
          .join(' / ')
          .slice(0, 300)}`,
      );
  }
});
