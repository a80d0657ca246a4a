import { InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../findings/types.js';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseAccountId(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a 12-digit AWS account id.`);
  return value;
}

export function collectAccountIds(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => parseAccountId(v.trim()))];
}

export function parseSeverity(value: string): Severity | 'none' {
  const v = value.toLowerCase();
  if (v === 'none') return 'none';
  if ((SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  throw new InvalidArgumentError(`expected one of ${[...SEVERITIES, 'none'].join(', ')}.`);
}

export { parsePairs } from '../util/usage-error.js';

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`"${value}" is not a positive whole number.`);
  return n;
}
