import type { KnownAccount } from '../analysis/zone.js';
import { externalIdProblem, generateExternalId } from './external-id.js';
import type { ObservedUsage, PlannedId } from './types.js';

/** The id chosen for one third-party account of one role, or why none can be chosen. */
export type IdDecision = { ok: true; id: PlannedId; notes: string[] } | { ok: false; reason: string };

/** Something that chooses the external id of each third-party account. */
export interface IdSource {
  decide(account: string, usage?: ObservedUsage): IdDecision;
}

export interface IdPolicyDeps {
  /** `--external-id ACCOUNT=ID`. */
  byAccount: ReadonlyMap<string, string>;
  /** `--external-id ID`: every third party that is not a known vendor. */
  all?: string;
  /** The known-vendor list (bundled list plus the user's). */
  known: ReadonlyMap<string, KnownAccount>;
  generate?: () => string;
}

const VENDOR_NOTE =
  'a SaaS vendor issues the external id itself, per customer: it is shown in the vendor’s own console where the AWS account or role is connected';

/**
 * How `fix` chooses external ids (docs/fix.md#external-ids):
 * 1. `--external-id ACCOUNT=ID` wins (`vendor-issued` for a known vendor, else `given`);
 * 2. the one id every call in the usage window sent (`observed`, verdict `safe-to-enforce`);
 * 3. for a known vendor nothing else: the role is skipped until the vendor's id is entered;
 * 4. calls seen with several ids: skipped until one is chosen;
 * 5. `--external-id ID` (`given`), else a new random id (`generated`), once per account for a whole run.
 */
export class ExternalIdPolicy implements IdSource {
  private readonly generated = new Map<string, string>();
  constructor(private readonly deps: IdPolicyDeps) {}

  vendorOf(account: string): KnownAccount | undefined {
    return this.deps.known.get(account);
  }

  decide(account: string, usage?: ObservedUsage): IdDecision {
    const vendor = this.vendorOf(account);
    const named = vendor ? { vendor: vendor.name } : {};
    const notes: string[] = [];
    // A report is a file anyone could edit, and long ids are cut in it: only a valid id is used as seen.
    const seen = usage?.verdict === 'safe-to-enforce' ? usage.externalIds[0] : undefined;
    const observed = seen !== undefined && externalIdProblem(seen) === undefined ? seen : undefined;
    if (seen !== undefined && observed === undefined)
      return {
        ok: false,
        reason: `${label(account, vendor)}: the external id the report shows as observed is not a valid external id (cut or edited); pass the id with --external-id ${account}=ID`,
      };
    const flag = this.deps.byAccount.get(account);
    if (flag !== undefined) {
      if (observed !== undefined && observed !== flag)
        notes.push(
          `${account}: CloudTrail shows every call sending a different external id than the one given; requiring the given one refuses those calls`,
        );
      return { ok: true, id: planned(account, flag, vendor ? 'vendor-issued' : 'given', named), notes };
    }
    if (observed !== undefined) return { ok: true, id: planned(account, observed, 'observed', named), notes };
    if (usage?.verdict === 'sends-several-ids')
      return {
        ok: false,
        reason: `${label(account, vendor)} sent ${usage.externalIds.length} different external ids in the usage window (${usage.externalIds.join(', ')}): ask which one is right and pass it with --external-id ${account}=ID`,
      };
    if (vendor) {
      const seen =
        usage?.verdict === 'sends-none'
          ? ' CloudTrail shows its calls sending no external id: set the integration up to send one first.'
          : usage?.verdict === 'unused-in-window'
            ? ' CloudTrail shows no call in the usage window: consider removing the principal instead.'
            : '';
      return {
        ok: false,
        reason: `${label(account, vendor)} is a known vendor, so no external id is generated for it: ${VENDOR_NOTE}. Pass it with --external-id ${account}=ID.${seen}${vendor.source ? ` (vendor list entry: ${vendor.source})` : ''}`,
      };
    }
    if (usage?.verdict === 'sends-none')
      notes.push(
        `${account}: CloudTrail shows its calls sending no external id; they are refused from the moment this is applied unless the other side is set up with the id first`,
      );
    if (usage?.verdict === 'unused-in-window')
      notes.push(
        `${account}: no call in the usage window; removing the principal may be better than an external id`,
      );
    if (this.deps.all !== undefined)
      return { ok: true, id: planned(account, this.deps.all, 'given', named), notes };
    let id = this.generated.get(account);
    if (id === undefined) {
      id = (this.deps.generate ?? generateExternalId)();
      this.generated.set(account, id);
    }
    return { ok: true, id: planned(account, id, 'generated', named), notes };
  }
}

function planned(
  account: string,
  externalId: string,
  origin: PlannedId['origin'],
  named: { vendor?: string },
): PlannedId {
  return { account, externalId, origin, ...named, generated: origin === 'generated' };
}

function label(account: string, vendor: KnownAccount | undefined): string {
  return vendor ? `${account} (${vendor.name})` : account;
}
