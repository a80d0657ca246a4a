/**
 * Helm charts are not rendered: their templates are Go templates, not manifests, and what they produce
 * depends on values only `helm` knows. A chart (a folder with `Chart.yaml`) is reported with the command
 * that renders it for a scan; the files under it are not read one by one.
 */
import { dirname, isAbsolute, relative, sep } from 'node:path';
import type { ScanError } from '../../model/types.js';
import { shellCommand } from '../../util/shell-quote.js';
import type { InputFile } from '../types.js';

const CHART_FILE = /(^|[\\/])Chart\.ya?ml$/;

export function isChartFile(file: InputFile): boolean {
  return CHART_FILE.test(file.path) && /^apiVersion\s*:/m.test(file.text) && /^name\s*:/m.test(file.text);
}

/** Is `abs` inside the folder `dir` (both absolute)? */
export function isUnder(abs: string, dir: string): boolean {
  const rel = relative(dir, abs);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** The chart folder as the user named it (display path), ready for a shell. */
function chartDir(file: InputFile): string {
  const d = dirname(file.path);
  if (d === '.' || d === '') return '.';
  return d.startsWith('-') ? `./${d}` : d;
}

/**
 * The error for one chart: it was not read, how many of its files define IAM resources, and how to
 * render it for a scan.
 */
export function chartError(chart: InputFile, iamTemplates: number): ScanError {
  const name = /^name\s*:\s*["']?([^"'\s#]+)/m.exec(chart.text)?.[1] ?? 'chart';
  const dir = chartDir(chart);
  const which =
    iamTemplates > 0
      ? `${iamTemplates} of its templates define${iamTemplates === 1 ? 's' : ''} IAM roles or Crossplane Compositions`
      : 'none of its templates names an IAM role, but values may add one';
  return {
    source: 'kubernetes',
    code: 'helm-chart-not-rendered',
    file: chart.path,
    line: 1,
    column: 1,
    message: `Helm chart ${JSON.stringify(name.slice(0, 100))} is not rendered, so its templates were not judged (${which}); render it first: ${shellCommand(['helm', 'template', dir])} | trustaudit scan -`,
  };
}
