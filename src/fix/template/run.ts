/**
 * `trustaudit fix --from report.json` for roles written in templates: a unified diff of the CloudFormation,
 * SAM, Serverless and Terraform files (to stdout or `--patch FILE`), or the files changed in place with
 * `--write` after a backup. Roles the patcher cannot edit are listed with the reason.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHclParser, type HclParser } from '../../sources/terraform/hcl.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { neutraliseText } from '../../util/neutralise.js';
import { externalIdProblem } from '../external-id.js';
import type { ExternalIds } from './additions.js';
import { locateInJsonTemplate } from './cfn-json.js';
import { locateInYamlTemplate } from './cfn-yaml.js';
import { hclLocator } from './hcl.js';
import { unifiedPatch } from './patch.js';
import { planTemplateFixes, type TemplatePlan } from './plan.js';
import { readTemplateReport, type TemplateReport } from './report.js';
import { fileInsideRoot, type RootedFile } from './root.js';
import type { LocatePolicy } from './types.js';
import { writeChanges } from './write.js';

export { reportHasTemplateFindings } from './report.js';

export interface TemplateFixOptions {
  /** The JSON report. */
  from: string;
  /** Write the patch here instead of stdout. */
  patch?: string;
  /** Change the files in place (after a backup). */
  write: boolean;
  /** `--external-id` values: `ACCOUNT=ID`, or `ID` for every account. */
  externalIds: readonly string[];
  backupDir: string;
  /** Only the roles of these names (`resource.name`). */
  roles?: readonly string[];
  /** The folder every patched file must be inside (default: the current directory). */
  root?: string;
}

export interface TemplateFixIO {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  cwd: string;
  now?: () => Date;
}

const EXIT_OK = 0;
const EXIT_FAILED = 2;

/** `--external-id` values as ids per account; throws on a malformed one. */
export function parseIds(values: readonly string[]): ExternalIds {
  const byAccount = new Map<string, string>();
  let all: string | undefined;
  for (const v of values) {
    const m = /^(\d{12})=(.*)$/.exec(v);
    const id = m ? (m[2] as string) : v;
    const problem = externalIdProblem(id);
    if (problem) throw new Error(`--external-id "${v}": ${problem}`);
    if (m) byAccount.set(m[1] as string, id);
    else all = id;
  }
  return all === undefined ? { byAccount } : { byAccount, all };
}

function editorFor(hcl: HclParser | undefined) {
  return (source: string, file: RootedFile, text: string): LocatePolicy | string => {
    const lower = file.rel.toLowerCase();
    if (source === 'cloudformation' || source === 'serverless-resource') {
      const json = lower.endsWith('.json') || (!/\.ya?ml$/.test(lower) && /^\uFEFF?\s*\{/.test(text));
      return json ? locateInJsonTemplate : locateInYamlTemplate;
    }
    if (source === 'terraform') {
      if (lower.endsWith('.tf.json'))
        return 'Terraform JSON syntax (.tf.json) is not patched: edit it by hand';
      if (!lower.endsWith('.tf') || !hcl)
        return `the trust policy is read from ${file.rel} with file() or templatefile(): edit that file by hand`;
      return hclLocator(hcl);
    }
    if (source === 'terraform-plan')
      return 'a Terraform plan is generated from the configuration: scan the .tf files and fix those';
    return `${source} files are not patched: make the change by hand from the corrected policy`;
  };
}

function summary(plan: TemplatePlan, placeholders: readonly string[]): string {
  const lines: string[] = [];
  const files = new Set(plan.patched.map((p) => p.file));
  lines.push(`Patched ${plan.patched.length} role(s) in ${files.size} file(s).`);
  for (const p of plan.patched) {
    lines.push(
      p.sharedWith
        ? `  ${p.role}: its trust policy is the one patched for another role`
        : `  ${p.role}: statement(s) ${p.statements.join(', ')} in ${p.file}${p.split ? ' (split: its other principals keep the statement as it was)' : ''}`,
    );
  }
  if (plan.notPatched.length > 0) {
    lines.push(
      `Not patched (${plan.notPatched.length} role(s)): make these changes by hand from the corrected policy in the report.`,
    );
    for (const n of plan.notPatched) lines.push(`  ${n.role} (${n.file}): ${n.reason}`);
  }
  if (placeholders.length > 0) {
    lines.push(
      `The patch holds placeholders (${placeholders.join(', ')}): put the real values in their place before you deploy (the id each third party sends, or pass --external-id ACCOUNT=ID; your organization id). A placeholder locks the third party out.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Run the template fix; returns the exit code (0: every finding patched, 2: something was not). */
export async function runTemplateFix(opts: TemplateFixOptions, io: TemplateFixIO): Promise<number> {
  const err = (s: string) => io.stderr.write(neutraliseText(s));
  let ids: ExternalIds;
  let report: TemplateReport;
  try {
    ids = parseIds(opts.externalIds);
  } catch (e) {
    err(`trustaudit fix: ${(e as Error).message}\n`);
    return EXIT_FAILED;
  }
  try {
    report = readTemplateReport(resolve(io.cwd, opts.from));
  } catch (e) {
    err(`trustaudit fix: ${opts.from}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILED;
  }
  if (opts.roles?.length) {
    const only = new Set(opts.roles);
    report = { ...report, findings: report.findings.filter((f) => only.has(f.resource.name)) };
  }
  const root = resolve(io.cwd, opts.root ?? '.');
  const hcl = report.findings.some((f) => f.resource.source === 'terraform')
    ? await createHclParser()
    : undefined;
  let plan: TemplatePlan;
  try {
    plan = planTemplateFixes(report.findings, report.policies, {
      rooted: (file) => fileInsideRoot(root, io.cwd, file),
      read: (abs) => readFileSync(abs, 'utf8'),
      editorFor: editorFor(hcl),
      ids,
    });
  } catch (e) {
    // A finding naming a file outside the root: the report is refused as a whole.
    err(`trustaudit fix: ${opts.from}: ${e instanceof Error ? e.message : String(e)}; no patch written\n`);
    return EXIT_FAILED;
  } finally {
    hcl?.dispose();
  }
  if (report.otherFindings > 0) {
    err(
      `${report.otherFindings} finding(s) of the report are not from templates: run trustaudit fix with a report of the account for those.\n`,
    );
  }
  const patch = unifiedPatch(plan.changes);
  const placeholders = [
    ...new Set(
      plan.changes.flatMap((c) =>
        [...c.after.matchAll(/<EXTERNAL-ID(?:-FOR-\d{12})?>|<YOUR-ORGANIZATION-ID>/g)].map((m) => m[0]),
      ),
    ),
  ].sort();
  let failed = plan.notPatched.length > 0;
  if (opts.patch !== undefined) {
    const target = resolve(io.cwd, opts.patch);
    try {
      writeFileAtomic(target, patch, { verify: true });
    } catch (e) {
      err(`trustaudit fix: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FAILED;
    }
    err(`wrote ${opts.patch}${opts.write ? '' : ` (apply it with: git apply ${opts.patch})`}\n`);
  } else if (!opts.write) {
    // The patch must stay byte-exact for git apply; on a terminal, control characters are made visible.
    io.stdout.write(io.stdout.isTTY ? neutraliseText(patch) : patch);
  }
  if (opts.write) {
    const outcome = writeChanges(plan.changes, resolve(io.cwd, opts.backupDir), io.now?.() ?? new Date());
    for (const f of outcome.written) err(`wrote ${f}\n`);
    for (const f of outcome.failed) err(`trustaudit fix: ${f.file}: ${f.reason}\n`);
    if (outcome.written.length > 0) err(`Backups of the files as they were: ${outcome.backupDir}\n`);
    if (outcome.failed.length > 0) failed = true;
  }
  err(summary(plan, placeholders));
  return failed ? EXIT_FAILED : EXIT_OK;
}
