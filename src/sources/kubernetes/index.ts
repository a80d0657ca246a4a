/**
 * The Kubernetes source: manifests of AWS Controllers for Kubernetes (ACK) and Crossplane that define
 * IAM roles (multi-document YAML, `kind: List`, JSON from `kubectl get -o json`), and Crossplane
 * Compositions; Helm charts are reported as "render it first".
 */
import { dirname, resolve } from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { BudgetExceeded } from '../../scan/budgets.js';
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { k8sError } from './context.js';
import { chartError, isChartFile, isUnder } from './helm.js';
import { IAM_GROUPS } from './kinds.js';
import { manifestRoles } from './roles.js';
import { parseYamlStream } from './yaml-stream.js';

const EXTENSIONS = /\.(ya?ml|json)$/i;
const GROUPS = [...Object.keys(IAM_GROUPS), 'apiextensions.crossplane.io'];
/** Any of the API groups, found in one pass over the text (a large export is searched once, not per group). */
const MENTIONS_GROUP = new RegExp(GROUPS.map((g) => g.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

function mentionsIam(text: string): boolean {
  return MENTIONS_GROUP.test(text);
}

/** A manifest at the top level: `apiVersion:` and `kind:` at the start of a line (YAML) or JSON keys. */
export function looksLikeManifest(text: string): boolean {
  if (!mentionsIam(text)) return false;
  if (/^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text)) return true;
  return /^\uFEFF?\s*\{/.test(text) && /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
}

function isStdin(file: InputFile): boolean {
  return file.absPath === undefined && !/\.[A-Za-z0-9]+$/.test(file.path);
}

export const kubernetesSource: FileSource = {
  name: 'kubernetes',

  claim(file: InputFile): boolean {
    if (!isStdin(file) && !EXTENSIONS.test(file.path)) return false;
    return isChartFile(file) || looksLikeManifest(file.text);
  },

  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const roles: Role[] = [];
    const errors: ScanError[] = [];
    const warnings: ScanError[] = [];
    const charts = files.filter((f) => f.absPath !== undefined && isChartFile(f));
    const chartDirs = charts.map((c) => dirname(resolve(c.absPath as string)));
    const inChart = (f: InputFile): number =>
      f.absPath === undefined ? -1 : chartDirs.findIndex((d) => isUnder(resolve(f.absPath as string), d));
    charts.forEach((chart, i) => {
      const iam = files.filter((f) => f !== chart && !isChartFile(f) && inChart(f) === i).length;
      // A chart whose templates define IAM resources leaves roles unjudged: the scan is incomplete.
      (iam > 0 ? errors : warnings).push(chartError(chart, iam));
    });
    for (const f of files) {
      if (isChartFile(f) || inChart(f) >= 0) continue;
      try {
        const stream = parseYamlStream(f.text, ctx.budgets);
        const before = errors.length;
        manifestRoles(stream.docs, {
          file: f.path,
          text: f.text,
          lines: stream.lines,
          budgets: ctx.budgets,
          ...(ctx.zone.defaultOwner ? { owner: ctx.zone.defaultOwner } : {}),
          roles,
          errors,
          warnings,
        });
        if (f.text.includes('{{')) {
          for (const e of errors.slice(before)) {
            if (e.code === 'yaml-syntax')
              e.message +=
                ' (the file looks like a Helm or Go template: render it first, e.g. helm template <chart> | trustaudit scan -)';
          }
        }
      } catch (e) {
        if (e instanceof BudgetExceeded) errors.push(k8sError(f.path, 'budget-exceeded', e.message));
        else
          errors.push(
            k8sError(
              f.path,
              'internal',
              `the manifest could not be read: ${(e as Error)?.message ?? String(e)}`,
            ),
          );
      }
    }
    return { roles, errors, warnings };
  },
};
