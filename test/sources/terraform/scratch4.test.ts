import path from 'node:path';
import { it } from 'vitest';
import { Language, Parser } from 'web-tree-sitter';
import { createHclParser, grammarWasmPath } from '../../../src/sources/terraform/hcl.js';
import { terraformSource } from '../../../src/sources/terraform/index.js';
import { corpusDir, inputsUnder } from './helpers.js';

it('scratch4', async () => {
  const all = [
    ...inputsUnder(path.join(corpusDir, 'terraform'), corpusDir),
    ...inputsUnder(path.join(corpusDir, 'vendor'), corpusDir),
  ];
  const files = all.filter((f) => terraformSource.claim(f) && f.path.endsWith('.tf'));
  await Parser.init();
  const lang = await Language.load(grammarWasmPath());
  const p = new Parser();
  p.setLanguage(lang);
  const hp = await createHclParser();
  for (let k = 0; k < 2; k++) {
    let t = process.cpuUsage();
    for (const f of files) {
      const tr = p.parse(f.text);
      tr?.delete();
    }
    console.log('parse only cpu ms', process.cpuUsage(t).user / 1000);
    t = process.cpuUsage();
    for (const f of files) hp.parse({ path: f.path, text: f.text });
    console.log('parse+convert cpu ms', process.cpuUsage(t).user / 1000);
  }
});
