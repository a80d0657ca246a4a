/**
 * The Kubernetes reader: each claimed manifest stream parsed and its IAM resources turned into roles;
 * the files of a Helm chart are not read one by one, the chart is reported instead. Imported by
 * index.ts only when a file was claimed (claims.ts decides which).
 */
import { dirname, resolve } from 'node:path';
import type { Role, ScanError } from '../../model/types.js';
import { BudgetExceeded } from '../../scan/budgets.js';
import type { InputFile, SourceContext, SourceResult } from '../types.js';
import { k8sError } from './context.js';
import { chartError, isChartFile, isUnder } from './helm.js';
import { manifestRoles } from './roles.js';
import { parseYamlStream } from './yaml-stream.js';

export async function loadKubernetes(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
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
}
