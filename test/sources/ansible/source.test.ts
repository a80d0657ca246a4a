// biome-ignore-all lint/suspicious/noTemplateCurlyInString: unknowns are written as ${name} placeholders.
/**
 * The Ansible source over the fixture project (a playbook with vars, vars_files, group_vars, blocks,
 * loops, handlers and lookups; a role with defaults, a file lookup and aws_caller_info) and over small
 * projects written for one behaviour each.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYING_ACCOUNT, isSymbolic, type Role } from '../../../src/model/types.js';
import { ansibleSource, looksLikeAnsible } from '../../../src/sources/ansible/index.js';
import { fileSources } from '../../../src/sources/index.js';
import type { SourceResult } from '../../../src/sources/types.js';
import {
  byName,
  firstPrincipal,
  fixturesDir,
  lineOf,
  loadDir,
  principalsOf,
  project,
  projectDir,
  symbolicText,
} from './helpers.js';

const site = path.join(projectDir, 'site.yml');
const roleTasks = path.join(projectDir, 'roles/vendor_access/tasks/main.yml');

describe('claim: by content', () => {
  it('claims any YAML file with a task running the iam_role module, whatever its name', () => {
    const text = '- name: x\n  community.aws.iam_role:\n    name: r\n';
    expect(looksLikeAnsible('deploy/whatever.yaml', text)).toBe(true);
    expect(looksLikeAnsible('t.yml', '- iam_role:\n    name: r\n')).toBe(true);
    expect(looksLikeAnsible('t.yml', '- amazon.aws.iam_role:\n    name: r\n')).toBe(true);
  });

  it('does not claim iam_role_info tasks, other YAML or JSON', () => {
    expect(looksLikeAnsible('t.yml', '- community.aws.iam_role_info:\n    name: r\n')).toBe(false);
    expect(looksLikeAnsible('t.yml', 'Resources:\n  R:\n    Type: AWS::IAM::Role\n')).toBe(false);
    expect(looksLikeAnsible('t.json', '{"iam_role": {}}')).toBe(false);
  });

  it('is offered task files before the CloudFormation and export readers', () => {
    const names = fileSources.map((s) => s.name);
    expect(names.indexOf('ansible')).toBeLessThan(names.indexOf('cloudformation'));
    expect(names.indexOf('ansible')).toBeLessThan(names.indexOf('export'));
  });
});

describe('the fixture project', () => {
  let result: SourceResult;
  let roles: Role[];
  beforeAll(async () => {
    result = await loadDir(projectDir);
    roles = result.roles;
  });

  it('finds every role, one per literal loop item, none for state: absent', () => {
    expect(roles.map((r) => r.name).sort()).toEqual(
      [
        'AbsoluteLookup',
        'AuditReader',
        'CiDeploy',
        'Partner-alpha',
        'Partner-beta',
        'VendorBilling',
        'VendorMonitoring',
        '{{ runtime_role_name }}',
        'platform-BreakGlass',
        'platform-Outside',
        'platform-Support',
      ].sort(),
    );
    expect(roles.some((r) => r.name === 'RetiredVendor')).toBe(false);
    expect(roles.every((r) => r.source.kind === 'ansible-task')).toBe(true);
  });

  it('places each role at its module key and each statement where it is written', () => {
    const r = byName(roles, 'VendorMonitoring');
    expect(r.source.location).toEqual({
      file: 'site.yml',
      line: lineOf(site, 'amazon.aws.iam_role:'),
      column: 7,
    });
    expect(r.trustPolicy.statements[0]?.location).toMatchObject({
      file: 'site.yml',
      line: lineOf(site, '- Sid: MonitoringVendor'),
    });
    expect(firstPrincipal(r)).toBe('arn:aws:iam::464622532012:root');
    expect(r.description).toBe('Read-only access for the monitoring vendor');
  });

  it('reads a JSON string document with the variables of vars_files, located inside the string', () => {
    const r = byName(roles, 'VendorBilling');
    expect(firstPrincipal(r)).toBe('arn:aws:iam::111122223333:root');
    const st = r.trustPolicy.statements[0];
    expect(st?.conditions[0]).toMatchObject({ key: 'sts:ExternalId', values: ['b1ll1ng-3xt3rnal-1d'] });
    const line = lineOf(site, '"Sid": "Billing"');
    expect(st?.location?.line).toBe(line);
    // The column is that of the statement inside the quoted string, not of the key.
    expect(st?.location?.column).toBeGreaterThan(40);
  });

  it('follows "{{ var | to_json }}" to the play variable, located where the variable is written', () => {
    const r = byName(roles, 'CiDeploy');
    expect(firstPrincipal(r)).toBe('arn:aws:iam::210987654321:role/deployer');
    expect(r.trustPolicy.statements[0]?.location?.line).toBe(lineOf(site, '- Sid: CiPipeline'));
    expect(r.trustPolicy.statements[0]?.conditions[0]?.values).toEqual(['ci-pipeline-6f1c']);
  });

  it('binds the loop variable to each literal item, with group_vars for what an item names', () => {
    expect(firstPrincipal(byName(roles, 'Partner-alpha'))).toBe('arn:aws:iam::777788889999:root');
    expect(firstPrincipal(byName(roles, 'Partner-beta'))).toBe('arn:aws:iam::444455556666:root');
    expect(byName(roles, 'Partner-beta').extra?.loopItem).toBe(2);
  });

  it("reads lookup('file') from the role's files/ folder and points at the statement in that file", () => {
    const r = byName(roles, 'platform-Support');
    const file = 'roles/vendor_access/files/support-trust.json';
    expect(r.trustPolicy.statements[0]?.location).toMatchObject({ file, line: 4 });
    expect(r.trustPolicy.statements[0]?.conditions[0]?.values).toEqual(['support-5d2a']);
    expect(r.source.location.file).toBe('roles/vendor_access/tasks/main.yml');
  });

  it("renders lookup('template') with the play's variables, from the playbook's templates/ folder", () => {
    const r = byName(roles, 'AuditReader');
    expect(firstPrincipal(r)).toBe('arn:aws:iam::555566667777:root');
    expect(r.trustPolicy.statements[0]?.location).toMatchObject({
      file: 'templates/audit-trust.json.j2',
      line: 4,
    });
  });

  it('uses role defaults and the account of aws_caller_info (through set_fact)', () => {
    const r = byName(roles, 'platform-BreakGlass');
    expect(r.path).toBe('/admin/');
    expect(firstPrincipal(r)).toBe(`arn:aws:iam::${DEPLOYING_ACCOUNT}:root`);
  });

  it('keeps a variable with no plain-data value as an unknown named by its text', () => {
    const r = byName(roles, '{{ runtime_role_name }}');
    const p = firstPrincipal(r);
    expect(isSymbolic(p)).toBe(true);
    expect(symbolicText(p)).toContain('${vendor_principal_arn}');
    expect(symbolicText(p)).toContain('vendor_principal_arn');
    expect(JSON.stringify(r.trustPolicy.raw)).not.toContain('{{');
  });

  it('refuses lookups outside the scan root: a warning at the task, an unknown document, no byte read', () => {
    const refused = (result.warnings ?? []).filter((w) => w.code === 'lookup-refused');
    expect(refused.map((w) => [w.file, w.line]).sort()).toEqual(
      [
        ['roles/vendor_access/tasks/main.yml', lineOf(roleTasks, 'outside/vendor-trust.json')],
        ['site.yml', lineOf(site, "'/etc/hostname'")],
      ].sort(),
    );
    for (const name of ['platform-Outside', 'AbsoluteLookup']) {
      const r = byName(roles, name);
      expect(r.trustPolicy.statements).toEqual([]);
      expect(r.trustPolicy.issues.map((i) => i.code)).toContain('symbolic-structure');
    }
    // The file outside the root trusts 123123123123: nothing of it may reach a role.
    expect(JSON.stringify(roles)).not.toContain('123123123123');
  });

  it('reads the outside file when the scan root includes it (the refusal is the root, not the path)', async () => {
    const r = await loadDir(projectDir, { root: fixturesDir });
    expect(firstPrincipal(byName(r.roles, 'platform-Outside'))).toBe('arn:aws:iam::123123123123:root');
  });

  it('puts --account where the deploying account goes, and builds ARNs of static names', async () => {
    const r = await loadDir(projectDir, { owner: '123456789012' });
    expect(firstPrincipal(byName(r.roles, 'platform-BreakGlass'))).toBe('arn:aws:iam::123456789012:root');
    expect(byName(r.roles, 'platform-BreakGlass').arn).toBe(
      'arn:aws:iam::123456789012:role/admin/platform-BreakGlass',
    );
    expect(byName(r.roles, 'VendorMonitoring').account).toBe('123456789012');
  });
});

describe('behaviours, one project each', () => {
  it('a variable that group_vars files give different values depends on the host: unknown', async () => {
    const dir = project({
      'group_vars/eu.yml': 'vendor: "111111111111"\n',
      'group_vars/us.yml': 'vendor: "222222222222"\n',
      'play.yml': [
        '- hosts: all',
        '  tasks:',
        '    - community.aws.iam_role:',
        '        name: R',
        '        assume_role_policy_document:',
        '          Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "{{ vendor }}"}}]',
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    expect(symbolicText(firstPrincipal(byName(r.roles, 'R')))).toContain('depends on the host');
  });

  it('tasks inside nested blocks, rescue, always and handlers count; other modules do not', async () => {
    const doc = (n: string) =>
      `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::11112222333${n}:root"}}]}`;
    const dir = project({
      'tasks.yml': [
        '- block:',
        '    - block:',
        `        - iam_role: {name: Deep, assume_role_policy_document: '${doc('1')}'}`,
        '  rescue:',
        `    - iam_role: {name: Rescue, assume_role_policy_document: '${doc('2')}'}`,
        '  always:',
        `    - iam_role: {name: Always, assume_role_policy_document: '${doc('3')}'}`,
        `- community.aws.iam_role_info: {name: NotARole}`,
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    expect(r.roles.map((x) => x.name).sort()).toEqual(['Always', 'Deep', 'Rescue']);
  });

  it('!unsafe text is literal; !vault and Jinja statements are unknowns', async () => {
    const dir = project({
      'tasks.yml': [
        '- iam_role:',
        '    name: Tags',
        '    assume_role_policy_document:',
        '      Statement:',
        '        - Effect: Allow',
        '          Action: sts:AssumeRole',
        '          Principal:',
        '            AWS:',
        "              - !unsafe 'arn:aws:iam::{{ raw }}:root'",
        '              - !vault |',
        '                $ANSIBLE_VAULT;1.1;AES256',
        '                6338',
        '              - "arn:aws:iam::{% if x %}1{% endif %}:root"',
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    const [a, b, c] = principalsOf(byName(r.roles, 'Tags'));
    expect(a).toBe('arn:aws:iam::{{ raw }}:root');
    expect(symbolicText(b as never)).toContain('Vault');
    expect(symbolicText(c as never)).toContain('Jinja statement');
  });

  it('vars_files outside the scan root are refused with a warning; their variables stay unknown', async () => {
    const dir = project({
      'play.yml': [
        '- hosts: all',
        '  vars_files:',
        '    - /etc/passwd',
        '    - ../elsewhere.yml',
        '  tasks:',
        '    - iam_role:',
        '        name: R',
        '        assume_role_policy_document:',
        '          Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "{{ root }}"}}]',
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    expect((r.warnings ?? []).map((w) => [w.code, w.file, w.line])).toEqual([
      ['vars-file-not-read', 'play.yml', 1],
      ['vars-file-not-read', 'play.yml', 1],
    ]);
    expect(isSymbolic(firstPrincipal(byName(r.roles, 'R')))).toBe(true);
  });

  it('JSON text that Jinja completes outside its strings is an unknown document, not an invalid policy', async () => {
    const dir = project({
      'tasks.yml': [
        '- iam_role:',
        '    name: Built',
        '    assume_role_policy_document: >-',
        '      {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": {{ ids | to_json }}}}]}',
        '',
      ].join('\n'),
    });
    const r = byName((await loadDir(dir)).roles, 'Built');
    expect(r.trustPolicy.issues.map((i) => i.code)).toEqual(['symbolic-structure']);
  });

  it('a variable that refers to itself, and a lookup of a missing file, stay unknowns with a reason', async () => {
    const dir = project({
      'play.yml': [
        '- hosts: all',
        '  vars:',
        '    me: "{{ me }}"',
        '  tasks:',
        '    - iam_role:',
        '        name: Loop',
        '        assume_role_policy_document:',
        '          Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "{{ me }}"}}]',
        '    - iam_role:',
        '        name: Missing',
        `        assume_role_policy_document: "{{ lookup('file', 'nowhere.json') }}"`,
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    expect(symbolicText(firstPrincipal(byName(r.roles, 'Loop')))).toContain('refers to itself');
    expect((r.warnings ?? []).map((w) => [w.code, w.line])).toEqual([['lookup-not-found', 11]]);
  });

  it('a chain of variables deeper than the nesting-depth limit fails that file only, naming the limit', async () => {
    const chain = Array.from({ length: 60 }, (_, i) => `    v${i}: "{{ v${i + 1} }}"`).join('\n');
    const dir = project({
      'deep.yml': `- hosts: all\n  vars:\n${chain}\n    v60: "111122223333"\n  tasks:\n    - iam_role:\n        name: Deep\n        assume_role_policy_document:\n          Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "{{ v0 }}"}}]\n`,
      'ok.yml':
        '- iam_role:\n    name: Fine\n    assume_role_policy_document: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {Service: ec2.amazonaws.com}}]}\n',
    });
    const deep = await loadDir(dir);
    expect(firstPrincipal(byName(deep.roles, 'Deep'))).toBe('111122223333');
    const limited = await loadDir(dir, { budgets: { 'nesting-depth': 40 } });
    expect(limited.roles.map((x) => x.name)).toEqual(['Fine']);
    expect(limited.errors).toEqual([
      expect.objectContaining({
        code: 'limit-exceeded',
        file: 'deep.yml',
        message: expect.stringContaining('--limit nesting-depth='),
      }),
    ]);
  });

  it('a literal loop longer than the collection-size limit fails the file, naming the limit', async () => {
    const items = Array.from({ length: 30 }, (_, i) => `    - "11112222${String(i).padStart(4, '0')}"`).join(
      '\n',
    );
    const dir = project({
      'loop.yml': `- iam_role:\n    name: "R{{ item }}"\n    assume_role_policy_document: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "{{ item }}"}}]}\n  loop:\n${items}\n`,
    });
    expect((await loadDir(dir)).roles).toHaveLength(30);
    const limited = await loadDir(dir, { budgets: { 'collection-size': 10 } });
    expect(limited.roles).toEqual([]);
    expect(limited.errors[0]).toMatchObject({ code: 'limit-exceeded', file: 'loop.yml' });
    expect(limited.errors[0]?.message).toContain('--limit collection-size=');
  });

  it('reports what it cannot judge: free-form arguments, no trust document, broken YAML', async () => {
    const dir = project({
      'a.yml': '- iam_role: name=R assume_role_policy_document=x\n- iam_role:\n    name: NoDoc\n',
      'b.yml': '- iam_role:\n    name: [unclosed\n',
    });
    const r = await loadDir(dir);
    expect(r.roles).toEqual([]);
    expect(r.errors.map((e) => [e.file, e.code, e.line]).sort()).toEqual([
      ['a.yml', 'ansible-free-form-arguments', 1],
      ['a.yml', 'ansible-no-trust-policy', 2],
      ['b.yml', 'yaml-syntax', 3],
    ]);
  });

  it('a state written as Jinja is judged (it may be present); a loop that is not literal gives one role', async () => {
    const dir = project({
      't.yml': [
        '- iam_role:',
        '    name: "R-{{ item }}"',
        '    state: "{{ wanted_state }}"',
        '    assume_role_policy_document: {Statement: [{Effect: Allow, Action: sts:AssumeRole, Principal: {AWS: "arn:aws:iam::111122223333:root"}}]}',
        '  loop: "{{ names }}"',
        '',
      ].join('\n'),
    });
    const r = await loadDir(dir);
    expect(r.roles.map((x) => x.name)).toEqual(['R-{{ item }}']);
    expect(isSymbolic(r.roles[0]?.extra?.state)).toBe(true);
  });

  it('the source object is the one registered', () => {
    expect(fileSources).toContain(ansibleSource);
  });
});
