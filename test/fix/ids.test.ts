import { describe, expect, it } from 'vitest';
import { ExternalIdPolicy } from '../../src/fix/ids.js';
import type { ObservedUsage } from '../../src/fix/types.js';

const VENDOR = '464622532012';
const OURS = '111122223333';
const known = new Map([[VENDOR, { id: VENDOR, name: 'Datadog', source: 'https://example.com/list' }]]);
const usage = (verdict: string, ids: string[] = [], calls = 3): ObservedUsage => ({
  account: VENDOR,
  verdict,
  calls,
  callsWithMfa: 0,
  externalIds: ids,
});

function policy(byAccount: Record<string, string> = {}, all?: string) {
  let n = 0;
  return new ExternalIdPolicy({
    byAccount: new Map(Object.entries(byAccount)),
    ...(all ? { all } : {}),
    known,
    generate: () => `generated-${++n}`,
  });
}

describe('which external id, from where', () => {
  it('a known vendor: entered id (vendor-issued), else observed, else skipped with where to look', () => {
    expect(policy({ [VENDOR]: 'dd-1' }).decide(VENDOR)).toMatchObject({
      ok: true,
      id: { externalId: 'dd-1', origin: 'vendor-issued', vendor: 'Datadog' },
    });
    expect(policy().decide(VENDOR, usage('safe-to-enforce', ['seen-1']))).toMatchObject({
      ok: true,
      id: { externalId: 'seen-1', origin: 'observed' },
    });
    const none = policy({}, 'blanket-1').decide(VENDOR);
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.reason).toContain(`${VENDOR} (Datadog) is a known vendor, so no external id is generated`);
      expect(none.reason).toContain(`--external-id ${VENDOR}=ID`);
      expect(none.reason).toContain('(vendor list entry: https://example.com/list)');
    }
    const sendsNone = policy().decide(VENDOR, usage('sends-none'));
    expect(!sendsNone.ok && sendsNone.reason).toContain('sending no external id: set the integration up');
  });

  it('several ids seen: skipped until one is chosen; an observed id that is not valid is never used', () => {
    const several = policy().decide(OURS, { ...usage('sends-several-ids', ['a-1', 'b-2']), account: OURS });
    expect(!several.ok && several.reason).toContain(
      'sent 2 different external ids in the usage window (a-1, b-2)',
    );
    const cut = policy().decide(VENDOR, usage('safe-to-enforce', ['cut id…']));
    expect(!cut.ok && cut.reason).toContain('is not a valid external id');
  });

  it('a third party you control: given, else generated once per account for the whole run, with warnings', () => {
    const p = policy();
    const a = p.decide(OURS);
    const b = p.decide(OURS);
    expect(a).toMatchObject({
      ok: true,
      id: { externalId: 'generated-1', origin: 'generated', generated: true },
    });
    expect(b).toMatchObject({ ok: true, id: { externalId: 'generated-1' } });
    expect(policy({}, 'blanket-1').decide(OURS)).toMatchObject({ ok: true, id: { origin: 'given' } });
    const warned = policy().decide(OURS, { ...usage('sends-none'), account: OURS });
    expect(warned.ok && warned.notes.join()).toContain('refused from the moment this is applied');
    const differs = policy({ [OURS]: 'mine-1' }).decide(OURS, {
      ...usage('safe-to-enforce', ['theirs-1']),
      account: OURS,
    });
    expect(differs.ok && differs.notes.join()).toContain('different external id than the one given');
  });
});
