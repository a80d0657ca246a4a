import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Finding } from '../findings/types.js';
import { runScan } from '../scan/run.js';
import { type AwsClientFactory, createClientFactory, resolveRegion } from '../sources/aws/clients.js';
import { describeAwsError, redact } from '../sources/aws/errors.js';
import { createAwsProvider, learnCredentials } from '../sources/aws/provider.js';
import type { AwsScanOptions } from '../sources/aws/types.js';
import { neutraliseText } from '../util/neutralise.js';
import { shellCommand } from '../util/shell-quote.js';
import { UsageError } from '../util/usage-error.js';
import { createIamResolver, type IamResolver } from './access.js';
import { type ApplyResult, applyPlan, currentDocument } from './apply.js';
import { externalIdProblem } from './external-id.js';
import { ExternalIdPolicy } from './ids.js';
import { parseNarrowTo } from './narrow.js';
import { planRoleFix, RoleSkipped } from './plan.js';
import { defaultPlanPath, type PlanZone, planFile, readPlan, rolePlansFrom, writePlan } from './plan-file.js';
import { label, renderApplySummary, renderExternalIds, renderPlan, statusMark } from './render.js';
import { type FixSettings, loadFixSettings, planZoneOf, widenZone } from './settings.js';
import { findingsFromReport, targetsFromFindings } from './targets.js';
import type { FixTarget, Requirement, RolePlan } from './types.js';
import { createVerifier } from './verify.js';

export { colorDiff, renderExternalIds, renderPlans, TRUST_POLICY_DEFAULT_QUOTA } from './render.js';

export interface FixOptions {
  /** A trustaudit JSON report; without it the account (or Organization) is scanned again. */
  from?: string;
  roles?: string[];
  require: Requirement;
  /** `--external-id` values: `ID` for every third party you control, or `ACCOUNT=ID` for one. */
  externalIds?: string[];
  /** `--narrow-to`: accounts or organization ids a wildcard principal is narrowed to. */
  narrowTo?: string[];
  /** Change the roles: plan and apply in one run (`--apply` alone). */
  apply: boolean;
  /** `--apply PLAN`: apply exactly this plan file (written by a dry run). */
  applyPlan?: string;
  /** `--plan FILE`: where the plan is written (default: in the backup folder). */
  plan?: string;
  yes: boolean;
  backupDir: string;
  aws: AwsScanOptions;
  /** Config file for the re-scan's zone of trust and rule settings. */
  config?: string;
  /** Colour the diffs (terminal output). */
  color?: boolean;
}

/** What the per-role question accepts: yes, no, all remaining, quit. */
export const ROLE_CHOICES = ['y', 'n', 'a', 'q'] as const;

export interface FixIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /**
   * Ask a question on the terminal; resolves to one of `choices` (the answer's first letter, lower-cased)
   * or to '' for anything else (taken as no).
   */
  ask(question: string, choices: readonly string[]): Promise<string>;
  /** The clock (plan and backup names and times). */
  now?: () => Date;
}

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
    if (problem) throw new UsageError(`--external-id "${v}": ${problem}`);
    if (m) byAccount.set(m[1]!, id);
    else all = id;
  }
  return { ...(all ? { all } : {}), byAccount };
}

/** Flags a plan file already decided: refused with `--apply PLAN` rather than silently ignored. */
function checkPlanFlags(opts: FixOptions): void {
  const given = [
    opts.from !== undefined && '--from',
    opts.roles?.length && '--role',
    opts.externalIds?.length && '--external-id',
    opts.narrowTo?.length && '--narrow-to',
    opts.plan !== undefined && '--plan',
  ].filter((x): x is string => typeof x === 'string');
  if (given.length)
    throw new UsageError(
      `${given.join(', ')} cannot be used with --apply PLAN: the plan file decides (run a new dry run to change it)`,
    );
}

/**
 * `trustaudit fix`: a dry run writes a plan (`--plan`); `--apply PLAN` applies exactly that plan;
 * `--apply` alone plans and applies in one run. Every change is asked role by role unless `--yes`.
 * Returns the exit code: 0 when every role was planned (dry run) or fixed (apply), else 2.
 */
export async function runFix(
  opts: FixOptions,
  io: FixIO,
  deps: { factory?: AwsClientFactory } = {},
): Promise<number> {
  if (opts.applyPlan !== undefined) checkPlanFlags(opts);
  const flags = parseExternalIdFlags(opts.externalIds ?? []);
  let narrowTo: ReturnType<typeof parseNarrowTo>;
  try {
    narrowTo = parseNarrowTo(opts.narrowTo ?? []);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const now = io.now ?? (() => new Date());
  const secrets = [io.env.AWS_SECRET_ACCESS_KEY, io.env.AWS_SESSION_TOKEN].filter((s): s is string =>
    Boolean(s),
  );
  // Role names, ARNs and messages come from AWS, a report or a plan file: no control character reaches the terminal.
  const out = (s: string) => io.stdout.write(redact(neutraliseText(s), secrets));
  const err = (s: string) => io.stderr.write(redact(neutraliseText(s), secrets));
  // Changing roles needs a yes for each: without a terminal and without --yes, stop before anything is read.
  if ((opts.apply || opts.applyPlan !== undefined) && !opts.yes && !io.stdinIsTTY) {
    err(
      'trustaudit fix: nothing was applied: there is no terminal to ask on, and changing roles needs a yes for each; add --yes\n',
    );
    return EXIT_FAILED;
  }
  const settings = await loadFixSettings(io.cwd, opts.config);
  const backupDir = resolve(io.cwd, opts.backupDir);

  // `--apply PLAN`: read and validate the plan before anything talks to AWS.
  let fromPlan: { plans: RolePlan[]; zone: PlanZone; requirement: Requirement } | undefined;
  if (opts.applyPlan !== undefined) {
    try {
      const file = readPlan(resolve(io.cwd, opts.applyPlan));
      fromPlan = { plans: rolePlansFrom(file), zone: file.zone, requirement: file.requirement };
    } catch (e) {
      err(`trustaudit fix: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FAILED;
    }
  }

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
    let plans: RolePlan[];
    let zone: PlanZone;
    const requirement = fromPlan?.requirement ?? opts.require;
    if (fromPlan) {
      plans = fromPlan.plans;
      zone = fromPlan.zone;
      out(`Applying the plan ${opts.applyPlan} (${plans.length} role(s)).\n`);
    } else {
      const found = opts.from
        ? await fromReport(opts, io, iamFor, settings)
        : await fromScan(opts, io, factory, settings);
      zone = planZoneOf(found.zone);
      for (const s of found.skipped) err(`trustaudit fix: skipped ${s}\n`);
      if (found.problems.length) failed = true;
      for (const p of found.problems) err(`trustaudit fix: ${p}\n`);
      const ids = new ExternalIdPolicy({
        byAccount: flags.byAccount,
        ...(flags.all ? { all: flags.all } : {}),
        known: settings.known,
      });
      const verify = createVerifier({ ...settings, zone: widenZone(settings.zone, zone), cwd: io.cwd });
      const skipped: { role: string; reason: string }[] = [];
      plans = [];
      for (const { target, raw } of found.targets) {
        try {
          const plan = planRoleFix(target, raw, {
            requirement,
            externalIds: ids,
            ...(narrowTo ? { narrowTo } : {}),
            explicitIdAccounts: new Set(flags.byAccount.keys()),
          });
          // Fixes that fix: the new policy is re-scanned now, so a remaining finding shows before apply.
          const left = await verify(plan, plan.correctedText);
          if (left.length)
            plan.notes = [...(plan.notes ?? []), `the new policy still has a finding: ${left.join('; ')}`];
          plans.push(plan);
        } catch (e) {
          failed = true;
          const reason = e instanceof Error ? e.message : String(e);
          if (e instanceof RoleSkipped) skipped.push({ role: target.arn ?? target.roleName, reason });
          err(`trustaudit fix: ${e instanceof RoleSkipped ? 'skipped ' : ''}${label(target)}: ${reason}\n`);
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
      const planPath = resolve(io.cwd, opts.plan ?? defaultPlanPath(opts.backupDir, now().toISOString()));
      try {
        writePlan(planPath, planFile(plans, { requirement, createdAt: now().toISOString(), zone, skipped }), {
          replace: opts.plan !== undefined,
        });
      } catch (e) {
        err(
          `trustaudit fix: cannot write the plan, so nothing is applied: ${e instanceof Error ? e.message : String(e)}\n`,
        );
        return EXIT_FAILED;
      }
      if (!opts.apply) {
        // Already neutralised line by line (its colours are escape sequences of its own).
        for (const p of plans)
          io.stdout.write(
            redact(renderPlan(p, { require: requirement, ...(opts.color ? { color: true } : {}) }), secrets),
          );
        out(renderExternalIds(plans, { require: requirement }));
        out(
          `\nDry run: nothing was changed. Plan written to ${planPath} (mode 0600: it holds the external ids).\nApply exactly this plan, ids included, with:\n  ${shellCommand(['trustaudit', 'fix', '--apply', planPath])}\n`,
        );
        return failed ? EXIT_FAILED : EXIT_OK;
      }
      out(`Plan written to ${planPath}.\n`);
    }

    out(renderExternalIds(plans, { require: requirement }));
    const verify = createVerifier({ ...settings, zone: widenZone(settings.zone, zone), cwd: io.cwd });
    if (fromPlan) {
      // A plan file is only a file: it may not make a role worse than the policy it was built from.
      const kept: RolePlan[] = [];
      for (const plan of plans) {
        const before = new Set(await verify(plan, plan.currentRaw));
        const worse = (await verify(plan, plan.correctedText)).filter((f) => !before.has(f));
        if (worse.length === 0) kept.push(plan);
        else {
          failed = true;
          err(
            `trustaudit fix: refused ${label(plan)}: the plan's new policy adds findings the current one does not have (${worse.join('; ')}); nothing was written\n`,
          );
        }
      }
      plans = kept;
    }
    const results: ApplyResult[] = [];
    const declined: string[] = [];
    let all = opts.yes;
    let quit = false;
    for (const plan of plans) {
      if (quit) {
        declined.push(label(plan));
        continue;
      }
      io.stdout.write(
        redact(renderPlan(plan, { require: requirement, ...(opts.color ? { color: true } : {}) }), secrets),
      );
      if (!all) {
        const answer = await io.ask(
          neutraliseText(`Apply to ${label(plan)}? [y]es/[n]o/[a]ll remaining/[q]uit `),
          ROLE_CHOICES,
        );
        if (answer === 'q') {
          quit = true;
          declined.push(label(plan));
          continue;
        }
        if (answer === 'a') all = true;
        else if (answer !== 'y') {
          declined.push(label(plan));
          continue;
        }
      }
      results.push(
        await applyPlan(plan, {
          iamFor,
          backupDir,
          now,
          verify,
          onResult: (r) =>
            out(`${statusMark(r)} ${label(r)}: ${r.message}${r.backup ? ` (backup ${r.backup})` : ''}\n`),
        }),
      );
    }
    out(renderApplySummary(results, declined, plans.length));
    if (declined.length || results.some((r) => r.status !== 'fixed')) failed = true;
    return failed ? EXIT_FAILED : EXIT_OK;
  } finally {
    if (!deps.factory) factory.destroy();
  }
}

interface Found {
  targets: { target: FixTarget; raw: string }[];
  skipped: string[];
  problems: string[];
  /** The zone of trust the findings were judged in. */
  zone: FixSettings['zone'];
}

async function fromReport(
  opts: FixOptions,
  io: FixIO,
  iamFor: IamResolver,
  settings: FixSettings,
): Promise<Found> {
  const file = resolve(io.cwd, opts.from!);
  const none = (problem: string): Found => ({
    targets: [],
    skipped: [],
    problems: [problem],
    zone: settings.zone,
  });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return none(`cannot read ${opts.from}: ${e instanceof Error ? e.message : String(e)}`);
  }
  let findings: Record<string, unknown>[];
  try {
    findings = findingsFromReport(json);
  } catch (e) {
    return none(`${opts.from}: ${(e as Error).message}`);
  }
  const sel = targetsFromFindings(findings, opts.roles);
  const found: Found = {
    targets: [],
    skipped: sel.skipped,
    problems: [],
    zone: widenZone(settings.zone, reportZone(json)),
  };
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

/** The accounts and organizations a report says were trusted (`trustedAccounts`, `trustedOrgs`). */
function reportZone(json: unknown): PlanZone {
  const r = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  return {
    trustedAccounts: strings(r.trustedAccounts).filter((a) => /^\d{12}$/.test(a)),
    trustedOrgs: strings(r.trustedOrgs).filter((o) => /^o-[a-z0-9]{10,32}$/.test(o)),
  };
}

async function fromScan(
  opts: FixOptions,
  io: FixIO,
  factory: AwsClientFactory,
  settings: FixSettings,
): Promise<Found> {
  const result = await runScan({
    paths: [],
    cwd: io.cwd,
    zone: settings.zone,
    ruleSettings: settings.ruleSettings,
    suppressions: settings.suppressions,
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
  const found: Found = { targets: [], skipped: sel.skipped, problems, zone: result.zone };
  for (const target of sel.targets) {
    const raw = target.arn ? rawByArn.get(target.arn) : undefined;
    if (raw === undefined)
      found.problems.push(`${target.arn ?? target.roleName}: the scan did not return its trust policy`);
    else found.targets.push({ target, raw });
  }
  return found;
}
