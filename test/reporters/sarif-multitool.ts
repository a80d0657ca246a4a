import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type ZodType, z } from 'zod';

/**
 * Runs the official SARIF validator (`@microsoft/sarif-multitool`, a self-contained .NET binary).
 *
 * What we learned about running it here:
 * - Call the platform binary directly, never `node_modules/.bin/sarif-multitool`: that wrapper spawns with
 *   `shell: true`, so the `;` in `--rule-kind "Gh;Sarif"` ends the command and the rest is run as a
 *   second shell command.
 * - Its exit code is 0 even when the file is invalid: the verdict is the `results` of the SARIF log it
 *   writes with `--output` (a missing `level` means `warning`).
 * - Its postinstall does `chmod u+x`; when installs skip scripts the binary is not executable.
 * - .NET needs ICU unless globalization-invariant mode is on; the single-file bundle may need a writable
 *   extraction folder.
 * - It silently reports nothing for a file it cannot deserialise (e.g. an unknown `level` value), so a
 *   clean verdict is only trusted together with a JSON-schema check (see the test).
 */
export interface ValidatorMessage {
  ruleId: string;
  level: string;
  text: string;
}

export interface ValidatorVerdict {
  messages: ValidatorMessage[];
  /** Problems of the validator run itself (configuration / execution notifications). */
  toolProblems: string[];
  stdout: string;
}

export function multitoolPath(): string {
  const require = createRequire(import.meta.url);
  // The umbrella package exports the path of the binary for this platform.
  const bin = require('@microsoft/sarif-multitool') as string;
  if (!existsSync(bin)) throw new Error(`SARIF multitool binary not found at ${bin}`);
  try {
    accessSync(bin, constants.X_OK);
  } catch {
    chmodSync(bin, statSync(bin).mode | 0o100);
  }
  return bin;
}

export function bundledSchemaPath(): string {
  return join(dirname(multitoolPath()), 'sarif-2.1.0.json');
}

export function validateSarif(sarifText: string): ValidatorVerdict {
  const bin = multitoolPath();
  const dir = mkdtempSync(join(tmpdir(), 'trustaudit-sarif-'));
  try {
    writeFileSync(join(dir, 'input.sarif'), sarifText);
    const run = spawnSync(
      bin,
      ['validate', '--rule-kind', 'Gh;Sarif', '--output', 'verdict.sarif', './input.sarif'],
      {
        cwd: dir,
        shell: false,
        encoding: 'utf8',
        timeout: 180_000,
        env: {
          ...process.env,
          DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1',
          DOTNET_CLI_TELEMETRY_OPTOUT: '1',
          DOTNET_BUNDLE_EXTRACT_BASE_DIR: dir,
        },
      },
    );
    const verdictPath = join(dir, 'verdict.sarif');
    if (run.error || run.status !== 0 || !existsSync(verdictPath)) {
      throw new Error(
        `sarif-multitool failed (status ${run.status}, ${run.error?.message ?? 'no spawn error'}):\n${run.stdout}\n${run.stderr}`,
      );
    }
    const verdict = JSON.parse(readFileSync(verdictPath, 'utf8')) as VerdictLog;
    const run0 = verdict.runs[0];
    // Result messages are templates in the validator's own rule metadata: fill in the arguments.
    const templates = new Map(
      (run0?.tool?.driver?.rules ?? []).flatMap((r) =>
        Object.entries(r.messageStrings ?? {}).map(([id, m]) => [`${r.id}/${id}`, m.text ?? ''] as const),
      ),
    );
    const messages = (run0?.results ?? []).map((r) => {
      const args = r.message?.arguments ?? [];
      const template =
        r.message?.text ?? templates.get(`${r.ruleId}/${r.message?.id}`) ?? JSON.stringify(args);
      return {
        ruleId: r.ruleId ?? '?',
        level: r.level ?? 'warning',
        text: template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m),
      };
    });
    const toolProblems = (run0?.invocations ?? []).flatMap((inv) => [
      ...(inv.executionSuccessful === false ? ['validator run not successful'] : []),
      ...[...(inv.toolExecutionNotifications ?? []), ...(inv.toolConfigurationNotifications ?? [])].map(
        (n) => `${n.level ?? 'warning'}: ${n.message?.text ?? JSON.stringify(n)}`,
      ),
    ]);
    return { messages, toolProblems, stdout: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface VerdictLog {
  runs: {
    tool?: { driver?: { rules?: { id: string; messageStrings?: Record<string, { text?: string }> }[] } };
    results?: {
      ruleId?: string;
      level?: string;
      message?: { id?: string; text?: string; arguments?: string[] };
    }[];
    invocations?: {
      executionSuccessful?: boolean;
      toolExecutionNotifications?: { level?: string; message?: { text?: string } }[];
      toolConfigurationNotifications?: { level?: string; message?: { text?: string } }[];
    }[];
  }[];
}

/**
 * The SARIF 2.1.0 JSON schema shipped with the multitool, as a zod schema. Two adjustments so zod reads it
 * as intended: it declares draft 2020-12 but keeps its definitions under `definitions` (moved to `$defs`),
 * and zod checks `format: uri-reference` as an absolute URL, which would reject every relative path
 * (dropped; the multitool's SARIF1002/SARIF1004 rules check URI references instead).
 */
export function sarifJsonSchema(): ZodType {
  const raw = JSON.parse(readFileSync(bundledSchemaPath(), 'utf8')) as unknown;
  const fix = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fix);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'format' && v === 'uri-reference') continue;
      if (k === '$ref' && typeof v === 'string') out[k] = v.replace('#/definitions/', '#/$defs/');
      else out[k === 'definitions' ? '$defs' : k] = fix(v);
    }
    return out;
  };
  return z.fromJSONSchema(fix(raw) as Parameters<typeof z.fromJSONSchema>[0]);
}
