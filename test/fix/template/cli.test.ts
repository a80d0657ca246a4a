/**
 * `fix --from report.json` on template findings, through the real CLI: the patch applies with `git apply`,
 * and a re-scan of the patched files no longer has the TA001 findings of the patched roles (and nothing
 * else changed); roles the patcher cannot edit are listed with the reason and left alone.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonReport, repoRoot, runCli, tempDir } from '../../helpers/cli.js';

const FIXTURES = join(repoRoot, 'test/fixtures/template-fix');
const ACCOUNT = '111111111111';

function git(cwd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** The fixture folder copied into a fresh git repository. */
function repoWith(fixture: string): string {
  const dir = tempDir('trustaudit-tfix-');
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  expect(git(dir, 'init', '-q', '.').code).toBe(0);
  expect(git(dir, 'add', '-A').code).toBe(0);
  expect(git(dir, 'commit', '-qm', 'fixture').code).toBe(0);
  return dir;
}

function scan(dir: string, extra: string[] = []): JsonReport {
  const r = runCli(['scan', '.', '--account', ACCOUNT, '--format', 'json', ...extra], { cwd: dir });
  return JSON.parse(r.stdout) as JsonReport;
}

/** Rule, role and statement of each finding: what a patch may change. */
function keys(report: JsonReport): string[] {
  return report.findings.map((f) => `${f.ruleId} ${f.resource.id} ${f.statement?.index ?? '-'}`).sort();
}

function saveReport(report: JsonReport): string {
  const file = join(tempDir('trustaudit-tfix-report-'), 'report.json');
  writeFileSync(file, JSON.stringify(report));
  return file;
}

/** Scan, patch, git apply, re-scan: the findings after, and the fix run's output. */
function patchAndRescan(fixture: string, fixArgs: string[] = []) {
  const dir = repoWith(fixture);
  const before = scan(dir);
  const report = saveReport(before);
  const patchFile = join(tempDir('trustaudit-tfix-patch-'), 'fix.patch');
  const fix = runCli(['fix', '--from', report, '--patch', patchFile, ...fixArgs], { cwd: dir });
  const patch = readFileSync(patchFile, 'utf8');
  const check = git(dir, 'apply', '--check', patchFile);
  expect(check.out).toBe('');
  expect(check.code).toBe(0);
  expect(git(dir, 'apply', patchFile).code).toBe(0);
  const after = scan(dir);
  return { dir, before, after, fix, patch };
}

describe('fix --from: template patches that git apply accepts and that fix the finding', () => {
  it('CloudFormation YAML (block and flow style, SAM), JSON: every TA001 finding is gone', () => {
    const { dir, before, after, fix, patch } = patchAndRescan('cloudformation');
    const ta001 = keys(before).filter((k) => k.startsWith('TA001'));
    expect(ta001).toEqual([
      'TA001 block.yaml#MonitoringRole 0',
      'TA001 block.yaml#TaggedRole 0',
      'TA001 flow.yaml#FlowRole 0',
      'TA001 sam.yaml#WorkerRole 1',
      'TA001 template.json#JsonRole 0',
    ]);
    // What remains is TA006 pointing at each placeholder id: STS would refuse it until it is replaced.
    expect(keys(after)).toEqual(
      [
        ...keys(before).filter((k) => !k.startsWith('TA001')),
        ...ta001.map((k) => k.replace('TA001', 'TA006')),
      ].sort(),
    );
    expect(
      after.findings
        .filter((f) => f.ruleId === 'TA006')
        .every((f) => f.message.includes('<EXTERNAL-ID-FOR-')),
    ).toBe(true);
    expect(fix.code).toBe(0);
    expect(fix.stderr).toContain('Patched 5 role(s) in 4 file(s).');
    expect(fix.stderr).toContain(
      'The patch holds placeholders (<EXTERNAL-ID-FOR-222233334444>, <EXTERNAL-ID-FOR-333344445555>, <EXTERNAL-ID-FOR-444455556666>, <EXTERNAL-ID-FOR-555566667777>, <EXTERNAL-ID-FOR-666677778888>)',
    );
    // Comments, short forms and the existing condition stay as written; the id placeholder names the account.
    const patched = readFileSync(join(dir, 'block.yaml'), 'utf8');
    expect(patched).toContain('          - Sid: Vendor # keep this comment\n');
    expect(patched).toContain('            # trailing comment inside the statement\n');
    expect(patched).toContain('      RoleName: !Sub monitoring-${AWS::Region}\n');
    expect(patch).toContain('               AWS: !Sub arn:${AWS::Partition}:iam::${VendorAccount}:root\n');
    expect(patch).toContain(
      '+            Condition:\n+              StringEquals:\n+                sts:ExternalId: "<EXTERNAL-ID-FOR-222233334444>"\n',
    );
    expect(patch).toContain(
      '                 aws:PrincipalTag/team: billing\n+                sts:ExternalId: "<EXTERNAL-ID-FOR-555566667777>"\n',
    );
    expect(patch).toContain(
      '+          - { Effect: Allow, Principal: { AWS: !Ref VendorArn }, Action: "sts:AssumeRole", Condition: { StringEquals: { sts:ExternalId: "<EXTERNAL-ID-FOR-333344445555>" } } }\n',
    );
    // The JSON template keeps its 4-space indentation and its Fn::Join.
    expect(patch).toContain(
      '+                            "Condition": {\n+                                "StringEquals": {\n+                                    "sts:ExternalId": "<EXTERNAL-ID-FOR-444455556666>"\n',
    );
    expect(patch).toContain('"Fn::Join": ["", ["arn:aws:iam::", "444455556666", ":root"]]');
  });

  it('Terraform jsonencode (multi-line and one-line), aws_iam_policy_document and heredoc JSON', () => {
    const { before, after, fix, patch } = patchAndRescan('terraform');
    expect(keys(before).filter((k) => k.startsWith('TA001'))).toHaveLength(4);
    expect(keys(after).filter((k) => k.startsWith('TA001'))).toEqual([]);
    expect(keys(after).filter((k) => !k.startsWith('TA006'))).toEqual(
      keys(before).filter((k) => !k.startsWith('TA001')),
    );
    expect(fix.code).toBe(0);
    // Variables and interpolations are kept; each syntax gets its own form of the condition.
    expect(patch).toContain('         Principal = { AWS = "arn:aws:iam::${var.vendor_account}:root" }\n');
    expect(patch).toContain(
      '+        Condition = {\n+          StringEquals = {\n+            "sts:ExternalId" = "<EXTERNAL-ID-FOR-222233334444>"\n+          }\n+        }\n',
    );
    expect(patch).toContain(
      'Action = "sts:AssumeRole", Condition = { StringEquals = { "sts:ExternalId" = "<EXTERNAL-ID-FOR-999988887777>" } } } })\n',
    );
    expect(patch).toContain(
      '+    condition {\n+      test     = "StringEquals"\n+      variable = "sts:ExternalId"\n+      values   = ["<EXTERNAL-ID-FOR-555566667777>"]\n+    }\n',
    );
    expect(patch).toContain(
      '+          "Action": "sts:AssumeRole",\n+          "Condition": {\n+            "StringEquals": {\n+              "sts:ExternalId": "<EXTERNAL-ID-FOR-222233334444>"\n',
    );
  });

  it('--external-id ACCOUNT=ID writes that id instead of the placeholder; with real ids nothing else changes', () => {
    const ids = ['555566667777=vendor-issued-id-42', '222233334444=id-of-222', '999988887777=id-of-999'];
    const { before, after, patch, fix } = patchAndRescan(
      'terraform',
      ids.flatMap((i) => ['--external-id', i]),
    );
    expect(patch).toContain('values   = ["vendor-issued-id-42"]');
    expect(patch).toContain('"sts:ExternalId" = "id-of-999"');
    expect(patch).not.toContain('<EXTERNAL-ID');
    expect(fix.stderr).not.toContain('placeholders');
    expect(keys(after)).toEqual(keys(before).filter((k) => !k.startsWith('TA001')));
  });

  it('adds the MFA condition when the corrected policy requires MFA', () => {
    const dir = repoWith('cloudformation');
    writeFileSync(
      join(dir, 'trustaudit.config.json'),
      JSON.stringify({ rules: { TA001: { options: { require: 'mfa' } } } }),
    );
    const before = scan(dir);
    expect(keys(before).filter((k) => k.startsWith('TA001'))).toHaveLength(5);
    const report = saveReport(before);
    const fix = runCli(['fix', '--from', report], { cwd: dir });
    expect(fix.stdout).toContain(
      '+              Bool:\n+                aws:MultiFactorAuthPresent: "true"\n',
    );
    expect(fix.stdout).not.toContain('sts:ExternalId');
    const patchFile = join(dir, '..', `${dir.split('/').pop()}.patch`);
    writeFileSync(patchFile, fix.stdout);
    expect(git(dir, 'apply', patchFile).code).toBe(0);
    expect(keys(scan(dir)).filter((k) => k.startsWith('TA001'))).toEqual([]);
  });
});

describe('fix --from --role', () => {
  it('patches only the roles named', () => {
    const dir = repoWith('cloudformation');
    const fix = runCli(['fix', '--from', saveReport(scan(dir)), '--role', 'FlowRole'], { cwd: dir });
    expect(fix.code).toBe(0);
    expect(fix.stdout.match(/^diff --git .*$/gm)).toEqual(['diff --git a/flow.yaml b/flow.yaml']);
    expect(fix.stderr).toContain('Patched 1 role(s) in 1 file(s).');
  });
});

describe('fix --from: a statement whose other principals keep it unchanged is split', () => {
  it('YAML, JSON and heredoc JSON: the third party moves to a copy of the statement that gets the condition', () => {
    const { dir, before, after, fix, patch } = patchAndRescan('split', [
      '--external-id',
      '222233334444=id-of-222',
      '--external-id',
      '333344445555=id-of-333',
      '--external-id',
      '555566667777=id-of-555',
    ]);
    expect(keys(before).filter((k) => k.startsWith('TA001'))).toEqual([
      'TA001 aws_iam_role.h 0',
      'TA001 roles.json#MixedJsonRole 0',
      'TA001 roles.yaml#MixedRole 0',
    ]);
    expect(keys(after)).toEqual(keys(before).filter((k) => !k.startsWith('TA001')));
    expect(fix.code).toBe(0);
    expect(fix.stderr).toContain('(split: its other principals keep the statement as it was)');
    // The service keeps its statement; the copy keeps the intrinsic and the comment, with the corrected Sid.
    expect(readFileSync(join(dir, 'roles.yaml'), 'utf8')).toContain(
      [
        '          - Sid: Assume # EC2 and the vendor',
        '            Effect: Allow',
        '            Principal:',
        '              Service:',
        '                - ec2.amazonaws.com',
        '            Action: sts:AssumeRole',
        '          - Sid: "AssumeThirdParty" # EC2 and the vendor',
        '            Effect: Allow',
        '            Principal:',
        '              AWS: !Sub arn:aws:iam::${Vendor}:root',
        '            Action: sts:AssumeRole',
        '            Condition:',
        '              StringEquals:',
        '                sts:ExternalId: "id-of-222"',
      ].join('\n'),
    );
    expect(patch).toContain(
      '+              "Principal": {"AWS": { "Fn::Sub": "arn:aws:iam::333344445555:root" }',
    );
    expect(patch).toContain(
      '-      "Principal": { "Service": "ec2.amazonaws.com", "AWS": "arn:aws:iam::555566667777:root" },\n+      "Principal": { "Service": "ec2.amazonaws.com" },\n',
    );
    expect(patch).toContain('+      "Sid": "BothThirdParty",\n');
    expect(patch).toContain(
      '-                "AWS": { "Fn::Sub": "arn:aws:iam::333344445555:root" }\n+                "Service": ["ec2.amazonaws.com"]\n               },\n',
    );
  });
});

describe('fix --from: a condition the fix replaces is removed first', () => {
  it('a wildcard external id (YAML) and an IfExists one (JSON) become StringEquals; other conditions stay', () => {
    const { before, after, fix, patch } = patchAndRescan('replace', [
      '--external-id',
      '444455556666=id-of-444',
    ]);
    expect(keys(before).filter((k) => k.startsWith('TA001'))).toEqual([
      'TA001 roles.json#IfExistsRole 0',
      'TA001 roles.yaml#WildcardIdRole 0',
    ]);
    expect(keys(after)).toEqual(keys(before).filter((k) => !k.startsWith('TA001')));
    expect(fix.code).toBe(0);
    expect(patch).toContain(
      '               StringLike:\n-                sts:ExternalId: "*" # any id at all\n                 aws:PrincipalArn: arn:aws:iam::444455556666:role/*\n+              StringEquals:\n+                sts:ExternalId: "id-of-444"\n',
    );
    // The id the IfExists condition pinned is kept, only IfExists goes.
    expect(patch).toContain(
      '-                "StringEqualsIfExists": { "sts:ExternalId": "kept-id-7777" }\n+                "StringEquals": {\n+                  "sts:ExternalId": "kept-id-7777"\n+                }\n',
    );
    expect(patch).toContain('                 "Bool": { "aws:SecureTransport": "true" },\n');
  });
});

describe('fix --from: roles the patcher cannot edit', () => {
  it('CloudFormation: Fn::If around the statement, a split per account, an undeclared organization are listed, not patched', () => {
    const dir = repoWith('unpatchable-cfn');
    const report = saveReport(scan(dir));
    const fix = runCli(['fix', '--from', report], { cwd: dir });
    expect(fix.code).toBe(2);
    expect(fix.stdout).toBe('');
    expect(fix.stderr).toContain('Not patched (3 role(s))');
    // An organization id the config does not declare is not traded for the placeholder.
    expect(fix.stderr).toContain(
      'roles.yaml#OrgRole (roles.yaml): statement 0: the fix would replace its StringEquals aws:PrincipalOrgID "o-12345abcde" with the placeholder <YOUR-ORGANIZATION-ID>',
    );
    expect(fix.stderr).toContain('roles.yaml#IfRole (roles.yaml): statement 0 is built with !If');
    expect(fix.stderr).toMatch(
      /roles\.yaml#SplitRole \(roles\.yaml\): the fix turns 1 statement\(s\) into 2/,
    );
    expect(git(dir, 'status', '--porcelain').out).toBe('');
  });

  it('Terraform: merge(), a for expression and file() are listed with the reason', () => {
    const dir = repoWith('unpatchable-tf');
    const report = saveReport(scan(dir));
    const fix = runCli(['fix', '--from', report], { cwd: dir });
    expect(fix.code).toBe(2);
    expect(fix.stdout).toBe('');
    expect(fix.stderr).toContain('aws_iam_role.merged (main.tf): the statement is inside merge()');
    expect(fix.stderr).toContain('aws_iam_role.looped (main.tf): the statement is inside a for expression');
    expect(fix.stderr).toContain(
      'aws_iam_role.from_file (trust.json): the trust policy is read from trust.json with file()',
    );
  });

  it('CDK output and a file changed since the scan are listed, not patched', () => {
    const dir = tempDir('trustaudit-tfix-cdk-');
    cpSync(join(repoRoot, 'test/fixtures/cloudformation/cdk-app'), dir, { recursive: true });
    cpSync(join(FIXTURES, 'cloudformation/flow.yaml'), join(dir, 'flow.yaml'));
    const report = saveReport(scan(dir));
    // A line added above the role after the scan: the report's line no longer names the statement.
    writeFileSync(
      join(dir, 'flow.yaml'),
      `# edited after the scan\n${readFileSync(join(dir, 'flow.yaml'), 'utf8')}`,
    );
    const fix = runCli(['fix', '--from', report], { cwd: dir });
    expect(fix.code).toBe(2);
    expect(fix.stdout).toBe('');
    expect(fix.stderr).toContain(
      'the template is generated by the CDK (construct VendorStack/VendorRole/Resource): change the CDK app',
    );
    expect(fix.stderr).toContain(
      'flow.yaml#FlowRole (flow.yaml): statement 0 is at line 10, the report says line 9: was the file changed since the scan?',
    );
  });
});
