import { it } from 'vitest';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { conditionsOf, corpusDir, ctxFor, inputsUnder, principalsOf } from './helpers.js';

it('scratch7', async () => {
  const files = inputsUnder(corpusDir, corpusDir).filter((f) => terraformSource.claim(f));
  const r = await terraformSource.load(files, ctxFor(files));
  for (const role of r.roles.filter((x) => x.source.location.file.includes(process.env.SHOW ?? '@@'))) {
    const st = role.trustPolicy.statements.map(
      (s) =>
        `${s.effect} A=${JSON.stringify(s.actions)} P=[${principalsOf(s).join(', ')}] C=[${conditionsOf(s).join('; ')}]`,
    );
    console.log(
      `${role.source.location.file.split('/').slice(1).join('/')}:${role.source.location.line} ${role.id} (${role.name}) :: ${st.join(' || ')} ${role.trustPolicy.issues.map((i) => '!' + i.code).join(' ')}`,
    );
  }
});
