import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { it } from 'vitest';
import { parseTemplateText } from '../../../src/sources/cloudformation/parse.js';
import { parseDocument } from 'yaml';
const corpus = resolve(__dirname, '../../../../shared/corpus');
function walk(d: string, out: string[] = []): string[] {
  for (const e of readdirSync(d)) { const p = join(d, e); if (statSync(p).isDirectory()) walk(p, out); else out.push(p); }
  return out;
}
it('perf', () => {
  const files = walk(join(corpus, 'cloudformation')).map((p) => [p, readFileSync(p, 'utf8')] as const);
  let t = Date.now();
  for (const [p, s] of files) parseTemplateText(s, p);
  console.log('parseTemplateText', Date.now() - t);
  t = Date.now();
  for (const [p, s] of files) if (!p.endsWith('.json')) parseDocument(s);
  console.log('yaml only', Date.now() - t);
  t = Date.now();
  for (const [p, s] of files) if (p.endsWith('.json')) JSON.parse(s);
  console.log('json.parse', Date.now() - t);
});
