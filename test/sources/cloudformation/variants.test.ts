// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation writes ${Name} substitutions in plain strings.
import { describe, expect, it } from 'vitest';
import { MAX_VARIANTS } from '../../../src/sources/cloudformation/roles.js';
import { conditions, lineOf, principals, roleById, scanFixture } from './helpers.js';

const C = 'conditions.yaml';

describe('Fn::If: every alternative is judged (conditions.yaml)', () => {
  it('one Role per combination of the conditions that shape the trust policy, each labelled', async () => {
    const r = await scanFixture(C);
    const site = r.roles.filter((x) => x.id === `${C}#SiteRole`);
    expect(site.map((x) => x.variant)).toEqual([
      'condition IsGovSite is true, condition HasExternalId is true',
      'condition IsGovSite is true, condition HasExternalId is false',
      'condition IsGovSite is false, condition HasExternalId is true',
      'condition IsGovSite is false, condition HasExternalId is false',
    ]);
    const byVariant = Object.fromEntries(
      site.map((x) => [
        x.variant,
        [...principals(x.trustPolicy.statements[0]), ...conditions(x.trustPolicy.statements[0])],
      ]),
    );
    // IsGovSite true means Site is gov (first alternative of the Or): the mapping gives the gov account.
    expect(byVariant['condition IsGovSite is true, condition HasExternalId is true']).toEqual([
      'AWS:arn:aws:iam::222222222222:root',
      'StringEquals sts:ExternalId={${ExternalId} | parameter ExternalId (a value other than "")}',
    ]);
    // HasExternalId false: the condition block is gone (AWS::NoValue).
    expect(byVariant['condition IsGovSite is false, condition HasExternalId is false']).toEqual([
      'AWS:111111111111',
    ]);
    for (const x of site) {
      expect(x.trustPolicy.statements[0]?.principals?.[0]?.location?.line).toBe(lineOf(C, 'AWS: !If'));
    }
    expect(site[0]?.trustPolicy.statements[0]?.conditions[0]?.location?.line).toBe(
      lineOf(C, 'sts:ExternalId: !Ref ExternalId'),
    );
  });

  it('an Fn::If that only chooses the role name does not fork: the name follows the parameter defaults', async () => {
    const roles = (await scanFixture(C)).roles.filter((x) => x.id === `${C}#NamedRole`);
    expect(roles.map((x) => [x.name, x.variant])).toEqual([['reader', undefined]]);
  });

  it('a condition decided by literals does not fork', async () => {
    const role = roleById(await scanFixture(C), `${C}#StaticRole`);
    expect(role.variant).toBeUndefined();
    expect(principals(role.trustPolicy.statements[0])).toEqual(['AWS:333333333333']);
  });

  it('choosing IsGov (partition aws-us-gov) makes the partition consistent and adds the conditional statement', async () => {
    const r = await scanFixture(C);
    const gov = roleById(r, `${C}#GovRole`, 'condition IsGov is true');
    const com = roleById(r, `${C}#GovRole`, 'condition IsGov is false');
    expect(gov.partition).toBe('aws-us-gov');
    expect(gov.trustPolicy.statements.map(principals)).toEqual([
      ['AWS:arn:aws-us-gov:iam::555555555555:root'],
      ['AWS:666666666666'],
    ]);
    expect(gov.trustPolicy.statements[1]?.location?.line).toBe(lineOf(C, '- Effect: Allow', 4));
    expect(com.partition).toBe('aws');
    expect(com.trustPolicy.statements.map(principals)).toEqual([['AWS:arn:aws:iam::555555555555:root']]);
  });

  it('a parameter given by the user decides the condition: no fork', async () => {
    const r = await scanFixture(C, { parameters: { Site: 'gov', ExternalId: 'abc' } });
    const site = roleById(r, `${C}#SiteRole`);
    expect(site.variant).toBeUndefined();
    expect([
      ...principals(site.trustPolicy.statements[0]),
      ...conditions(site.trustPolicy.statements[0]),
    ]).toEqual(['AWS:arn:aws:iam::222222222222:root', 'StringEquals sts:ExternalId=abc']);
  });

  it('a resource with Condition is judged where that condition holds, and skipped where it certainly does not', async () => {
    const on = roleById(await scanFixture(C), `${C}#ConditionalRole`);
    expect(on.variant).toBeUndefined();
    expect(principals(on.trustPolicy.statements[0])).toEqual(['AWS:777777777777']);
    const off = await scanFixture(C, { parameters: { Deploy: 'no' } });
    expect(off.roles.some((x) => x.id === `${C}#ConditionalRole`)).toBe(false);
  });

  it('an undefined condition is a policy issue, and both branches are still judged', async () => {
    const roles = (await scanFixture(C)).roles.filter((x) => x.id === `${C}#UnknownConditionRole`);
    expect(roles.map((x) => principals(x.trustPolicy.statements[0])[0])).toEqual([
      'AWS:999999999999',
      'AWS:000000000000',
    ]);
    for (const x of roles) {
      expect(x.trustPolicy.issues).toEqual([
        expect.objectContaining({
          code: 'cfn-unknown-condition',
          location: expect.objectContaining({ line: lineOf(C, 'NoSuchCondition') }),
        }),
      ]);
    }
  });

  it('long form Fn::If in JSON, including a whole Condition block that is AWS::NoValue in one branch', async () => {
    const J = 'long-forms.json';
    const r = await scanFixture(J);
    const gov = roleById(r, `${J}#IfRole`, 'condition IsGov is true');
    expect([
      ...principals(gov.trustPolicy.statements[0]),
      ...conditions(gov.trustPolicy.statements[0]),
    ]).toEqual(['AWS:arn:aws-us-gov:iam::222233334444:root', 'Bool aws:MultiFactorAuthPresent=true']);
    const com = roleById(r, `${J}#IfRole`, 'condition IsGov is false');
    expect(principals(com.trustPolicy.statements[0])).toEqual(['AWS:arn:aws:iam::555566667777:root']);
    expect(com.trustPolicy.statements[0]?.conditions).toEqual([]);
  });
});

describe('the number of alternatives is capped', () => {
  it(`six independent conditions: ${MAX_VARIANTS} alternatives judged, the rest follow defaults, and it is said`, async () => {
    const M = 'many-conditions.yaml';
    const r = await scanFixture(M);
    expect(r.roles).toHaveLength(MAX_VARIANTS);
    expect(new Set(r.roles.map((x) => x.variant)).size).toBe(MAX_VARIANTS);
    expect(r.roles[0]?.variant).toBe(
      'condition C0 is true, condition C1 is true, condition C2 is true, condition C3 is true (other conditions as the parameter defaults give them)',
    );
    // C4 and C5 follow their defaults (P4 = P5 = "no": false branch).
    for (const x of r.roles) {
      expect(x.trustPolicy.statements.slice(4).map((s) => principals(s)[0])).toEqual([
        'AWS:242424242424',
        'AWS:252525252525',
      ]);
    }
    expect(r.errors).toEqual([
      expect.objectContaining({ code: 'cfn-variants-capped', file: M, line: lineOf(M, '  ManyRole:') }),
    ]);
  });
});
