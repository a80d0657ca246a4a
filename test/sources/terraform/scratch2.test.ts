import { it } from 'vitest';
import { conditionsOf, loadFixture, principalsOf } from './helpers.js';

it('scratch2', async () => {
  for (const fx of (process.env.FX ?? '').split(',')) {
    const r = await loadFixture(fx, { variables: { from_cli: '444444444444' } });
    console.log('=== ', fx);
    for (const e of r.errors) console.log('ERR', e.code, e.file, e.line, e.column, e.message);
    for (const role of r.roles) {
      console.log(
        role.id,
        '|',
        role.name,
        '|',
        role.account,
        role.source.location.file,
        role.source.location.line,
        JSON.stringify(role.extra),
        JSON.stringify(role.inlineSuppressions ?? []),
      );
      for (const s of role.trustPolicy.statements) {
        console.log(
          '   ',
          s.sid,
          s.effect,
          s.location?.file,
          s.location?.line,
          'actions',
          JSON.stringify(s.actions),
        );
        for (const p of s.principals ?? [])
          console.log(
            '      P',
            p.type,
            JSON.stringify(p.value),
            p.location?.file,
            p.location?.line,
            p.location?.column,
          );
        for (const p of s.notPrincipals ?? [])
          console.log('      NP', p.type, JSON.stringify(p.value), p.location?.line);
        for (const c of s.conditions)
          console.log(
            '      C',
            c.operator,
            c.key,
            JSON.stringify(c.values),
            c.location?.file,
            c.location?.line,
            c.location?.column,
          );
      }
      for (const i of role.trustPolicy.issues) console.log('   issue', i.code, i.message, i.location?.line);
    }
  }
});
