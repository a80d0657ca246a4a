import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SEVERITIES } from '../../src/findings/types.js';
import { allRules, findRule } from '../../src/rules/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('rule registry', () => {
  it('has at least the control rule TA001', () => {
    expect(findRule('TA001')?.meta.name).toBe('cross-account-trust-without-external-id-or-mfa');
    expect(findRule('cross-account-trust-without-external-id-or-mfa')?.meta.id).toBe('TA001');
    expect(findRule('TA001')?.meta.severity).toBe('medium');
  });

  it('lists rules in id order without duplicates', () => {
    const ids = allRules.map((r) => r.meta.id);
    expect(ids).toEqual([...new Set(ids)].sort());
  });

  for (const rule of allRules) {
    const { id } = rule.meta;
    describe(id, () => {
      it('lives in src/rules/<ID>.ts and is exported under its id', async () => {
        const file = path.join(repoRoot, 'src/rules', `${id}.ts`);
        expect(existsSync(file), `${file} should exist`).toBe(true);
        const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
        expect(mod[id]).toBe(rule);
      });

      it('has docs/rules/<ID>.md that names it', () => {
        const doc = path.join(repoRoot, 'docs/rules', `${id}.md`);
        expect(existsSync(doc), `${doc} should exist`).toBe(true);
        const text = readFileSync(doc, 'utf8');
        expect(text).toContain(id);
        expect(text).toContain(rule.meta.name);
      });

      it('has complete metadata', () => {
        const m = rule.meta;
        expect(m.id).toMatch(/^TA\d{3}$/);
        expect(m.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(SEVERITIES).toContain(m.severity);
        for (const field of [m.title, m.description, m.risk, m.remediation])
          expect(field.trim().length).toBeGreaterThan(10);
        expect(m.references.length).toBeGreaterThan(0);
        for (const ref of m.references) expect(ref).toMatch(/^https:\/\//);
      });

      it('accepts empty options, and its defaults are what its schema makes of them', () => {
        const schema = rule.options.schema(z);
        expect(schema.safeParse({}).success).toBe(true);
        expect(schema.parse({})).toEqual(rule.options.defaults);
        expect(Object.isFrozen(rule.options.defaults)).toBe(true);
      });
    });
  }
});
