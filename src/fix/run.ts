import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pc from 'picocolors';
import { buildZone, loadConfig, ruleSettingsFrom } from '../config/load.js';
import type { Finding } from '../findings/types.js';
import { runScan } from '../scan/run.js';
import { type AwsClientFactory, createClientFactory, resolveRegion } from '../sources/aws/clients.js';
import { describeAwsError, redact } from '../sources/aws/errors.js';
import { createAwsProvider, learnCredentials } from '../sources/aws/provider.js';
import type { AwsScanOptions } from '../sources/aws/types.js';
import { neutraliseLine, neutraliseText } from '../util/neutralise.js';
import { shellCommand } from '../util/shell-quote.js';
import { createIamResolver, type IamResolver } from './access.js';
import { type ApplyResult, applyPlans, currentDocument } from './apply.js';
import { ExternalIdBook, externalIdProblem } from './external-id.js';
import { planRoleFix } from './plan.js';
import { findingsFromReport, targetsFromFindings } from './targets.js';
import type { FixTarget, Requirement, RolePlan } from './types.js';

export interface FixOptions {
  /** A trustaudit JSON report; without it the account (or Organization) is scanned again. */
  from?: string;
  roles?: string[];
  require: Requirement;
  /** `--external-id` values: `ID` for every third party, or `ACCOUNT=ID` for one. */
  externalIds?: string[];
  apply: boolean;
  yes: boolean;
  backupDir: string;
  aws: AwsScanOptions;
  /** Config file for the re-scan's zone of trust and rule settings. */
  config?: string;
  /** Colour the diffs (terminal output). */
  color?: boolean;
}

export interface FixIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Ask a yes/no question on the terminal. */
  confirm(question: string): Promise<boolean>;
}

/** IAM's default size quota for a role trust policy, in characters without whitespace. */
export const TRUST_POLICY_DEFAULT_QUOTA = 2048;

export const EXIT_OK = 0;
export const EXIT_FAILED = 2;

/** Split `--external-id` values into one default and per-account ids; throws on a malformed id. */
export function parseExternalIdFlags(values: readonly string[]): {
  all?: string;
  byAccount: Map<string, string>;
} {
  const byAccount = new Map<string, string>();
  let all: string | undefined;
  for (const v of values) {
    const m = /^(\d{12})=(.*)$/.exec(v);
    const id = m ? m[2]! : v;
    const problem = externalIdProblem(id);
    if (problem) throw new Error(`--external-id "${v}": ${problem}`);
    if (m) byAccount.set(m[1]!, id);
    else all = id;
  }
  return { ...(all ? { all } : {}), byAccount };
}

class FlagIdBook extends ExternalIdBook {
  constructor(
    private readonly byAccount: Map<string, string>,
    all: string | undefined,
  ) {
    super(all);
  }
  override for(account: string): { externalId: string; generated: boolean } {
    const id = this.byAccount.get(account);
    return id ? { externalId: id, generated: false } : super.for(account);
  }
}

/** `trustaudit fix`: plan (dry run) or apply corrected trust policies. Returns the exit code. */
export async function runFix(
  opts: FixOptions,
  io: FixIO,
  deps: { factory?: AwsClientFactory } = {},
): Promise<number> {
  const flags = parseExternalIdFlags(opts.externalIds ?? []);
  const book = new FlagIdBook(flags.byAccount, flags.all);
  const secrets = [io.env.AWS_SECRET_ACCESS_KEY, io.env.AWS_SESSION_TOKEN].filter((s): s is string =>
    Boolean(s),
  );
  // Role names, ARNs and messages come from AWS or a report file: no control character reaches the terminal.
  const out = (s: string) => io.stdout.write(redact(neutraliseText(s), secrets));
  const err = (s: string) => io.stderr.write(redact(neutraliseText(s), secrets));
  const factory = deps.factory ?? createClientFactory({ ...opts.aws, region: await resolveRegion(opts.aws) });
  // Whatever the SDK chain resolves (profile files, SSO, a credential process) is hidden like the env keys.
  const learn = {
    add: (...v: (string | undefined)[]) => secrets.push(...v.filter((x): x is string => Boolean(x))),
  };
  for (const client of [factory.sts(), factory.iam()]) await learnCredentials(client, learn);
  try {
    const iamFor = createIamResolver(factory, {
      ...(opts.aws.assumeRoleName ? { assumeRoleName: opts.aws.assumeRoleName } : {}),
      ...(opts.aws.externalId ? { externalId: opts.aws.externalId } : {}),
      secrets,
    });
    let failed = false;
    const found = opts.from ? await fromReport(opts, io, iamFor) : await fromScan(opts, io, factory);
    for (const s of found.skipped) err(`trustaudit fix: skipped ${s}\n`);
    if (found.problems.length) failed = true;
    for (const p of found.problems) err(`trustaudit fix: ${p}\n`);

    const plans: RolePlan[] = [];
    for (const { target, raw } of found.targets) {
      try {
        plans.push(planRoleFix(target, raw, { requirement: opts.require, externalIds: book }));
      } catch (e) {
        failed = true;
        err(`trustaudit fix: ${target.roleName}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    if (plans.length === 0) {
      out(
        failed
          ? 'No role could be planned.\n'
          : 'Nothing to fix: no role lets a third party in without the required protection.\n',
      );
      return failed ? EXIT_FAILED : EXIT_OK;
    }

    // Already neutralised line by line (its colours are escape sequences of its own).
    io.stdout.write(redact(renderPlans(plans, opts), secrets));
    out(renderExternalIds(plans, opts));
    if (!opts.apply) {
      out(
        `\nDry run: nothing was changed. Re-run with --apply to update ${plans.length} role(s) (a backup of each is written first).\n`,
      );
      return failed ? EXIT_FAILED : EXIT_OK;
    }
    if (!opts.yes) {
      if (!io.stdinIsTTY) {
        err(
          'trustaudit fix: refusing to change roles without confirmation: there is no terminal to ask on; add --yes\n',
        );
        return EXIT_FAILED;
      }
      const ok = await io.confirm(`Update the trust policy of ${plans.length} role(s)? [y/N] `);
      if (!ok) {
        out('Cancelled: nothing was changed.\n');
        return EXIT_FAILED;
      }
    }
    const backupDir = resolve(io.cwd, opts.backupDir);
    const results = await applyPlans(plans, {
      iamFor,
      backupDir,
      onResult: (r) =>
        out(`${statusMark(r)} ${label(r)}: ${r.message}${r.backup ? ` (backup ${r.backup})` : ''}\n`),
    });
    out(renderApplySummary(results));
    if (results.some((r) => r.status !== 'fixed')) failed = true;
    return failed ? EXIT_FAILED : EXIT_OK;
  } finally {
    if (!deps.factory) factory.destroy();
  }
}

interface Found {
  targets: { target: FixTarget; raw: string }[];
  skipped: string[];
  problems: string[];
}

async function fromReport(opts: FixOptions, io: FixIO, iamFor: IamResolver): Promise<Found> {
  const file = resolve(io.cwd, opts.from!);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return {
      targets: [],
      skipped: [],
      problems: [`cannot read ${opts.from}: ${e instanceof Error ? e.message : String(e)}`],
    };
  }
  let findings: Record<string, unknown>[];
  try {
    findings = findingsFromReport(json);
  } catch (e) {
    return { targets: [], skipped: [], problems: [`${opts.from}: ${(e as Error).message}`] };
  }
  const sel = targetsFromFindings(findings, opts.roles);
  const found: Found = { targets: [], skipped: sel.skipped, problems: [] };
  for (const target of sel.targets) {
    try {
      const raw = await currentDocument(await iamFor(target.account), target.roleName);
      found.targets.push({ target, raw });
    } catch (e) {
      found.problems.push(
        `${target.arn ?? target.roleName}: cannot read the current trust policy: ${describeAwsError(e)}`,
      );
    }
  }
  return found;
}

async function fromScan(opts: FixOptions, io: FixIO, factory: AwsClientFactory): Promise<Found> {
  const { config } = loadConfig(io.cwd, opts.config);
  const zone = buildZone(config, {});
  const result = await runScan({
    paths: [],
    cwd: io.cwd,
    zone,
    ruleSettings: ruleSettingsFrom(config),
    suppressions: config.suppressions,
    providers: [createAwsProvider(opts.aws, { factory, env: io.env })],
  });
  const problems = result.errors.map(
    (e) => `could not scan${e.account ? ` account ${e.account}` : ''}: ${e.message}`,
  );
  const sel = targetsFromFindings(result.findings as Finding[], opts.roles);
  const rawByArn = new Map<string, string>();
  for (const r of result.roles) {
    const raw = r.extra?.rawTrustDocument;
    if (r.arn && typeof raw === 'string') rawByArn.set(r.arn, raw);
  }
  const found: Found = { targets: [], skipped: sel.skipped, problems };
  for (const target of sel.targets) {
    const raw = target.arn ? rawByArn.get(target.arn) : undefined;
    if (raw === undefined)
      found.problems.push(`${target.arn ?? target.roleName}: the scan did not return its trust policy`);
    else found.targets.push({ target, raw });
  }
  return found;
}

function label(p: { roleName: string; account?: string }): string {
  return p.account ? `${p.roleName} (account ${p.account})` : p.roleName;
}

function statusMark(r: ApplyResult): string {
  return r.status === 'fixed' ? 'fixed:' : r.status === 'changed-since-plan' ? 'skipped:' : 'FAILED:';
}

/** Red removed lines, green added lines, cyan hunk headers. */
export function colorDiff(diff: string): string {
  return diff
    .split('\n')
    .map((l) =>
      l.startsWith('+++') || l.startsWith('---')
        ? pc.bold(l)
        : l.startsWith('+')
          ? pc.green(l)
          : l.startsWith('-')
            ? pc.red(l)
            : l.startsWith('@@')
              ? pc.cyan(l)
              : l,
    )
    .join('\n');
}

export function renderPlans(plans: readonly RolePlan[], opts: Pick<FixOptions, 'require' | 'color'>): string {
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(neutraliseLine(`Role ${label(p)}${p.arn ? ` — ${p.arn}` : ''}`));
    lines.push(
      neutraliseLine(
        `  requires: ${opts.require}${p.externalIds.length ? ` (external id for ${p.externalIds.map((e) => e.account).join(', ')})` : ''}`,
      ),
    );
    const size = p.correctedText.replace(/\s/g, '').length;
    if (size > TRUST_POLICY_DEFAULT_QUOTA) {
      lines.push(
        `  note: the corrected policy has ${size} characters (whitespace excluded), over the default trust policy quota of ${TRUST_POLICY_DEFAULT_QUOTA}; AWS will refuse it unless the quota was raised`,
      );
    }
    lines.push('');
    const diff = neutraliseText(p.diff.trimEnd());
    lines.push(opts.color ? colorDiff(diff) : diff);
    lines.push('');
    lines.push('Equivalent AWS CLI command:');
    lines.push(neutraliseText(p.command));
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Each third party's external id, once, with the reminder that they must have it first. */
export function renderExternalIds(
  plans: readonly RolePlan[],
  opts: Pick<FixOptions, 'require' | 'apply'>,
): string {
  const ids = new Map<string, { externalId: string; generated: boolean }>();
  for (const p of plans) for (const e of p.externalIds) ids.set(e.account, e);
  const lines: string[] = [];
  if (ids.size > 0) {
    lines.push('External ids (one per third-party account):');
    for (const [account, e] of [...ids].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${account}  ${e.externalId}${e.generated ? '  (generated)' : ''}`);
    }
    lines.push('');
    lines.push(
      'Give each third party its external id BEFORE the change is applied, and have them configure it: from then on',
    );
    lines.push(
      'their sts:AssumeRole calls without it are refused. Each customer must get a different id from a vendor.',
    );
    if (!opts.apply && [...ids.values()].some((e) => e.generated)) {
      lines.push(
        'Generated ids are new on every run: to apply the ids shown here, pass them with --external-id ACCOUNT=ID.',
      );
    }
  }
  if (opts.require !== 'external-id') {
    lines.push(
      'MFA is required: only people who signed in with MFA can assume these roles; automation without MFA will stop working.',
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function renderApplySummary(results: readonly ApplyResult[]): string {
  const fixed = results.filter((r) => r.status === 'fixed').length;
  const backups = results.map((r) => r.backup).filter((b): b is string => Boolean(b));
  const lines = [`\n${fixed} of ${results.length} role(s) fixed.`];
  if (backups.length) {
    lines.push('To undo, restore the backups:');
    lines.push(`  ${shellCommand(['trustaudit', 'rollback', ...backups])}`);
  }
  return `${lines.join('\n')}\n`;
}
