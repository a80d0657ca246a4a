import { z } from 'zod';
import { SEVERITIES } from '../findings/types.js';
import { globProblem } from '../scan/exclude.js';

export const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');

const TrustedAccountSchema = z.union([
  AccountId,
  z
    .object({
      id: AccountId,
      name: z.string().optional(),
      /** Trusted only for roles under these paths (e.g. "/platform/"). */
      rolePaths: z.array(z.string().startsWith('/')).optional(),
    })
    .strict(),
]);

const RuleSettingSchema = z.union([
  z.boolean(),
  z.enum(['off', ...SEVERITIES]),
  z
    .object({
      enabled: z.boolean().optional(),
      severity: z.enum(SEVERITIES).optional(),
      options: z.record(z.string(), z.unknown()).optional(),
    })
    .strict(),
]);

export const SuppressionSchema = z
  .object({
    /** Rule id (`TA001`) or `*`. */
    rule: z.string().min(1),
    /** Glob over the resource id or ARN, e.g. `arn:aws:iam::*:role/vendor-*` or `infra/*.yaml#VendorRole`. */
    resource: z.string().min(1),
    reason: z.string().min(1, 'a suppression needs a reason'),
    /** YYYY-MM-DD; after this day the suppression no longer applies and is reported. */
    expires: z.iso.date().optional(),
  })
  .strict();

const ExcludeGlobSchema = z.string().superRefine((glob, ctx) => {
  const problem = globProblem(glob);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    /** Owner account for inputs that do not carry one. */
    account: AccountId.optional(),
    trustedAccounts: z.array(TrustedAccountSchema).default([]),
    trustedOrganizations: z
      .array(z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id (o-...)'))
      .default([]),
    /** Path to a vendor list in the known_aws_accounts YAML format. */
    knownAccounts: z.string().optional(),
    failOn: z.enum(SEVERITIES).optional(),
    rules: z.record(z.string(), RuleSettingSchema).default({}),
    suppressions: z.array(SuppressionSchema).default([]),
    /** Globs of paths not walked or read, relative to the config file's folder (and the scan root). */
    exclude: z.array(ExcludeGlobSchema).default([]),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigSuppression = z.infer<typeof SuppressionSchema>;
