import { it } from 'vitest';
import { runScan } from '/work/main/src/scan/run.js';
import { emptyZone } from '/work/main/src/analysis/zone.js';
it('dbg', async () => {
  const r = await runScan({ paths: [process.env.P as string], cwd: '/work/shared/corpus', zone: emptyZone() });
  for (const role of r.roles) for (const st of role.trustPolicy.statements) console.log(role.name, JSON.stringify({p: st.principals, a: st.actions, c: st.conditions.map(c => [c.operator, c.key, c.values])}));
  for (const f of r.findings.filter(f=>f.ruleId==='TA004')) console.log(f.message, f.evidence.details, JSON.stringify(f.evidence.request));
}, 60000);
