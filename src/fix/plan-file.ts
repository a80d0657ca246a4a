import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { readRegularFile } from '../scan/scan-root.js';
import { type WriteFs, writeFileAtomic } from '../util/atomic-write.js';
import { type DirFs, makeDirs } from '../util/make-dirs.js';
import { externalIdProblem } from './external-id.js';
import { readDocument, trustDiff, updateCommand } from './plan.js';
import { ID_ORIGINS, REQUIREMENTS, type Requirement, type RolePlan } from './types.js';

export const PLAN_KIND = 'trustaudit-fix-plan';
/** A plan names at most this many roles and is at most this large: anything else is not ours. */
export const MAX_PLAN_ROLES = 10_000;
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const Sha = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lower-case hex');
const Account = z.string().regex(/^\d{12}$/, 'a 12-digit account id');
/** IAM role names: 1 to 64 of `[\w+=,.@-]` (CreateRole API reference). */
const RoleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'an IAM role name');
const Text = z.string().min(1).max(1_000_000);
const Short = z.string().max(4096);

const PlannedIdSchema = z
  .object({
    account: z.string().min(1).max(4096),
    externalId: z.string().refine((v) => externalIdProblem(v) === undefined, 'not a valid external id'),
    origin: z.enum(ID_ORIGINS),
    vendor: Short.optional(),
  })
  .strict();

const RoleEntrySchema = z
  .object({
    roleName: RoleName,
    roleArn: z
      .string()
      // A role path may hold any printable ASCII character (CreateRole API reference).
      .regex(/^arn:[\w-]+:iam::\d{12}:role\/[\x21-\x7e]{1,576}$/, 'an IAM role ARN')
      .optional(),
    account: Account.optional(),
    /** The trust policy the plan was built from, exactly as IAM returned it. */
    source: z.object({ sha256: Sha, text: Text }).strict(),
    /** The trust policy to send (compact JSON). */
    policy: z.object({ sha256: Sha, text: Text }).strict(),
    externalIds: z.array(PlannedIdSchema).max(1000),
    mfaInstead: z.array(Short).max(1000).optional(),
    narrowedTo: z.array(Short).max(1000).optional(),
    notes: z.array(Short).max(1000).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (sha256(r.source.text) !== r.source.sha256)
      ctx.addIssue({ code: 'custom', path: ['source', 'sha256'], message: 'does not match source.text' });
    if (sha256(r.policy.text) !== r.policy.sha256)
      ctx.addIssue({ code: 'custom', path: ['policy', 'sha256'], message: 'does not match policy.text' });
    if (r.roleArn && r.account && r.roleArn.split(':')[4] !== r.account)
      ctx.addIssue({ code: 'custom', path: ['account'], message: 'is not the account of roleArn' });
  });

const PlanSchema = z
  .object({
    kind: z.literal(PLAN_KIND),
    version: z.literal(1),
    createdAt: z.string().max(64),
    requirement: z.enum(REQUIREMENTS),
    /** The zone of trust of the scan the plan was made from: the re-scan after apply uses it too. */
    zone: z
      .object({ trustedAccounts: z.array(Account).max(100_000), trustedOrgs: z.array(Short).max(1000) })
      .strict(),
    roles: z.array(RoleEntrySchema).max(MAX_PLAN_ROLES),
    skipped: z
      .array(z.object({ role: Short, reason: Short }).strict())
      .max(MAX_PLAN_ROLES)
      .optional(),
  })
  .strict();

export type FixPlanFile = z.infer<typeof PlanSchema>;
export type PlanZone = FixPlanFile['zone'];

/** The plan file of a dry run. */
export function planFile(
  plans: readonly RolePlan[],
  opts: {
    requirement: Requirement;
    createdAt: string;
    zone: PlanZone;
    skipped: { role: string; reason: string }[];
  },
): FixPlanFile {
  return {
    kind: PLAN_KIND,
    version: 1,
    createdAt: opts.createdAt,
    requirement: opts.requirement,
    zone: opts.zone,
    roles: plans.map((p) => ({
      roleName: p.roleName,
      ...(p.arn ? { roleArn: p.arn } : {}),
      ...(p.account ? { account: p.account } : {}),
      source: { sha256: sha256(p.currentRaw), text: p.currentRaw },
      policy: { sha256: sha256(p.correctedText), text: p.correctedText },
      externalIds: p.externalIds.map((e) => ({
        account: e.account,
        externalId: e.externalId,
        origin: e.origin,
        ...(e.vendor ? { vendor: e.vendor } : {}),
      })),
      ...(p.mfaInstead ? { mfaInstead: p.mfaInstead } : {}),
      ...(p.narrowedTo ? { narrowedTo: p.narrowedTo } : {}),
      ...(p.notes ? { notes: p.notes } : {}),
    })),
    ...(opts.skipped.length ? { skipped: opts.skipped } : {}),
  };
}

/** `plan-<account|all>-<timestamp>.json` in the backup folder. */
export function defaultPlanPath(backupDir: string, createdAt: string): string {
  return join(backupDir, `plan-${createdAt.replace(/[-:]/g, '').replace(/\.(\d+)Z$/, '$1Z')}.json`);
}

/**
 * Write the plan all or nothing, mode 0600 (it holds external ids), read back and checked before it takes
 * its name. A plan named with `--plan` replaces an older file of that name; the default name never does.
 */
export function writePlan(
  path: string,
  plan: FixPlanFile,
  opts: { replace: boolean; fs?: WriteFs; dirs?: DirFs },
): void {
  makeDirs(dirname(path), opts.dirs);
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  writeFileAtomic(path, text, {
    mode: 0o600,
    forceMode: true,
    noReplace: !opts.replace,
    verify: (bytes) => {
      parsePlan(bytes.toString('utf8'), 'the plan read back');
    },
    ...(opts.fs ? { fs: opts.fs } : {}),
  });
}

/** Parse a plan's text; throws naming `where` and the first problems when it is not a valid plan. */
export function parsePlan(text: string, where: string): FixPlanFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not a JSON plan (${e instanceof Error ? e.message : String(e)})`);
  }
  const r = PlanSchema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(
      `${where}: not a trustaudit fix plan (${issues.join('; ')}${r.error.issues.length > 5 ? '; …' : ''})`,
    );
  }
  for (const [n, role] of r.data.roles.entries()) {
    let policy: unknown;
    try {
      policy = JSON.parse(role.policy.text);
      readDocument(role.source.text);
    } catch (e) {
      throw new Error(
        `${where}: roles.${n} (${role.roleName}): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy))
      throw new Error(`${where}: roles.${n} (${role.roleName}): policy.text is not a policy document`);
  }
  return r.data;
}

export function readPlan(path: string): FixPlanFile {
  const r = readRegularFile(path, MAX_PLAN_BYTES);
  if (!r.ok) throw new Error(`${path}: cannot read the plan (${r.reason})`);
  return parsePlan(r.text, path);
}

/** The plans a plan file holds, as `applyPlans` takes them (diffs and commands computed again). */
export function rolePlansFrom(file: FixPlanFile): RolePlan[] {
  return file.roles.map((r) => {
    const current = readDocument(r.source.text);
    const corrected = JSON.parse(r.policy.text) as RolePlan['corrected'];
    return {
      roleName: r.roleName,
      ...(r.roleArn ? { arn: r.roleArn } : {}),
      ...(r.account ? { account: r.account } : {}),
      currentRaw: r.source.text,
      current,
      corrected,
      correctedText: r.policy.text,
      externalIds: r.externalIds.map((e) => ({
        account: e.account,
        externalId: e.externalId,
        origin: e.origin,
        ...(e.vendor ? { vendor: e.vendor } : {}),
        generated: e.origin === 'generated',
      })),
      ...(r.mfaInstead ? { mfaInstead: r.mfaInstead } : {}),
      ...(r.narrowedTo ? { narrowedTo: r.narrowedTo } : {}),
      ...(r.notes ? { notes: r.notes } : {}),
      diff: trustDiff(r.roleName, current, corrected),
      command: updateCommand(r.roleName, r.policy.text, r.account),
    };
  });
}
