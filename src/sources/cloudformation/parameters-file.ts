/**
 * `--parameters-file`: CloudFormation parameter values, in any of the shapes people keep them in:
 * - the AWS CLI's `[{"ParameterKey": "K", "ParameterValue": "V"}, ...]`,
 * - CodePipeline template configuration `{"Parameters": {"K": "V"}}`,
 * - a plain `{"K": "V"}`.
 * JSON or YAML. Numbers and booleans become text, lists become comma-separated text (as
 * CloudFormation reads a CommaDelimitedList).
 */
import { parse as parseYamlText } from 'yaml';
import { readRegularFile } from '../../scan/scan-root.js';
import { LineIndex, toPlain } from './nodes.js';
import { parseJson } from './parse-json.js';

export class ParameterFileError extends Error {}

function valueText(v: unknown, key: string, file: string): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join(',');
  if (v === null || v === undefined) return undefined;
  throw new ParameterFileError(
    `${file}: the value of parameter ${key} must be a string, a number or a list of strings`,
  );
}

/** Parse parameter-file text (exported for tests and for stdin). Throws `ParameterFileError` with the reason. */
export function parseParameterText(text: string, file: string): Map<string, string> {
  let data: unknown;
  if (/\.ya?ml$/i.test(file)) {
    try {
      data = parseYamlText(text, { maxAliasCount: 0 });
    } catch (e) {
      throw new ParameterFileError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    const lines = new LineIndex(text);
    const parsed = parseJson(text, lines);
    if (!parsed.ok) {
      throw new ParameterFileError(`${file}:${parsed.pos.line}:${parsed.pos.column}: ${parsed.message}`);
    }
    data = toPlain(parsed.root);
  }
  const out = new Map<string, string>();
  if (Array.isArray(data)) {
    data.forEach((item, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        throw new ParameterFileError(
          `${file}: entry ${i + 1} must be {"ParameterKey": ..., "ParameterValue": ...}`,
        );
      }
      const rec = item as Record<string, unknown>;
      const key = rec.ParameterKey;
      if (typeof key !== 'string' || key === '') {
        throw new ParameterFileError(`${file}: entry ${i + 1} has no ParameterKey`);
      }
      // `UsePreviousValue: true` keeps whatever the stack has: unknown here, so the template decides.
      const v = valueText(rec.ParameterValue ?? rec.ResolvedValue, key, file);
      if (v !== undefined) out.set(key, v);
    });
    return out;
  }
  if (data && typeof data === 'object') {
    const rec = data as Record<string, unknown>;
    const keys = Object.keys(rec);
    const params =
      keys.includes('Parameters') &&
      rec.Parameters &&
      typeof rec.Parameters === 'object' &&
      !Array.isArray(rec.Parameters)
        ? (rec.Parameters as Record<string, unknown>)
        : keys.includes('Parameters') && Array.isArray(rec.Parameters)
          ? undefined
          : rec;
    if (params === undefined)
      return parseParameterText(JSON.stringify(rec.Parameters), `${file} (Parameters)`);
    for (const [k, v] of Object.entries(params)) {
      const t = valueText(v, k, file);
      if (t !== undefined) out.set(k, t);
    }
    return out;
  }
  throw new ParameterFileError(
    `${file}: expected [{"ParameterKey": "K", "ParameterValue": "V"}], {"Parameters": {"K": "V"}} or {"K": "V"}`,
  );
}

/** A parameters file is small: anything larger is refused rather than read into memory. */
export const MAX_PARAMETER_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Read a parameters file (a path the user typed: any regular file, never a FIFO or a device, at most
 * `maxBytes`). Throws `ParameterFileError` (unreadable file, bad syntax, wrong shape).
 */
export function loadParameterFile(path: string, maxBytes = MAX_PARAMETER_FILE_BYTES): Map<string, string> {
  const r = readRegularFile(path, maxBytes);
  if (!r.ok) throw new ParameterFileError(`cannot read parameters file: ${r.reason}`);
  return parseParameterText(r.text, path);
}
