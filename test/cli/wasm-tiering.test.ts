import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepWasmOnBaselineTier, WASM_TIERING_BUDGET } from '../../src/cli/wasm-tiering.js';
import { binPath, tempDir } from '../helpers/cli.js';

/** Issue 17 (start-up): the CLI keeps a small scan's WebAssembly from waiting for its optimising compile. */
describe('the WebAssembly tiering budget of the CLI', () => {
  const recorder = () => {
    const flags: string[] = [];
    return { flags, v8: { setFlagsFromString: (f: string) => flags.push(f) } };
  };

  it('is raised on the V8 versions known to have the flag', () => {
    for (const version of [
      '11.3.244.8-node.33',
      '12.4.254.21-node.33',
      '13.6.233.10-node.18',
      '14.1.146.11',
    ]) {
      const r = recorder();
      expect(keepWasmOnBaselineTier(r.v8, version)).toBe(true);
      expect(r.flags).toEqual([`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`]);
    }
  });

  it('is left alone on a V8 that may not know the flag (V8 prints an error for an unknown flag)', () => {
    for (const version of ['10.2.154.26-node.26', '15.0.1', 'unknown']) {
      const r = recorder();
      expect(keepWasmOnBaselineTier(r.v8, version)).toBe(false);
      expect(r.flags).toEqual([]);
    }
  });

  it('is raised on this Node, and the CLI says nothing about it: a Terraform scan writes no stderr', () => {
    expect(keepWasmOnBaselineTier({ setFlagsFromString: () => {} }, process.versions.v8)).toBe(true);
    const dir = tempDir('ta-wasm-');
    writeFileSync(
      join(dir, 'main.tf'),
      'resource "aws_iam_role" "r" {\n  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::999999999999:root" } }] })\n}\n',
    );
    const args = [binPath, 'scan', 'main.tf', '--account', '123456789012', '--no-db', '-q'];
    const r = spawnSync(process.execPath, args, {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    // One finding (the vendor account trusted without an external id): the scan ran.
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('TA001');
  });
});
