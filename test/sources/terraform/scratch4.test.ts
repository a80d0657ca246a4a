import { it } from 'vitest';
import path from 'node:path';
import { Parser, Language } from 'web-tree-sitter';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { grammarWasmPath } from '../../../src/sources/terraform/hcl.js';
import { corpusDir, inputsUnder } from './helpers.js';

it('scratch4', async () => {
  const all = [...inputsUnder(path.join(corpusDir, 'terraform'), corpusDir), ...inputsUnder(path.join(corpusDir, 'vendor'), corpusDir)];
  const files = all.filter((f) => terraformSource.claim(f) && f.path.endsWith('.tf'));
  await Parser.init();
  const lang = await Language.load(grammarWasmPath());
  const p = new Parser(); p.setLanguage(lang);
  let t = Date.now();
  for (const f of files) { const tr = p.parse(f.text); tr?.delete(); }
  console.log('parse only', Date.now() - t);
  t = Date.now();
  let n = 0;
  for (const f of files) { const tr = p.parse(f.text)!; const c = tr.walk(); 
    let more = true; while (more) { n++; const _x = c.nodeType; const _s = c.startIndex; const _sp = c.startPosition;
      if (c.gotoFirstChild()) continue; while (!c.gotoNextSibling()) { if (!c.gotoParent()) { more = false; break; } } }
    c.delete(); tr.delete(); }
  console.log('cursor walk', n, Date.now() - t);
});
