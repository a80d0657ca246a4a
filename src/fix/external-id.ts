import { randomBytes } from 'node:crypto';
import type { PlannedId } from './types.js';

/**
 * A strong random external id: 24 random bytes (192 bits) in base64url, 32 characters, all within the
 * characters AWS allows in an external id (`[\w+=,.@:/-]`).
 */
export function generateExternalId(random: (n: number) => Buffer = randomBytes): string {
  return random(24).toString('base64url');
}

const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** Why `id` cannot be an external id, or undefined when it can. */
export function externalIdProblem(id: string): string | undefined {
  if (EXTERNAL_ID.test(id)) return undefined;
  return 'an external id must be 2 to 1224 characters of letters, digits and + = , . @ : / _ -';
}

/**
 * One external id per third-party account for a whole run: the one given (`--external-id`) for every
 * account, else a new random one the first time an account is seen.
 */
export class ExternalIdBook {
  private readonly ids = new Map<string, { externalId: string; generated: boolean }>();
  constructor(
    private readonly fixed?: string,
    private readonly generate: () => string = generateExternalId,
  ) {}
  for(account: string): { externalId: string; generated: boolean } {
    let e = this.ids.get(account);
    if (!e) {
      e = this.fixed
        ? { externalId: this.fixed, generated: false }
        : { externalId: this.generate(), generated: true };
      this.ids.set(account, e);
    }
    return e;
  }
  /** The same choice as an `IdSource` decision (`given` or `generated`; never skips). */
  decide(account: string): { ok: true; id: PlannedId; notes: string[] } {
    const e = this.for(account);
    return {
      ok: true,
      id: { account, ...e, origin: e.generated ? 'generated' : 'given' },
      notes: [],
    };
  }
  entries(): { account: string; externalId: string; generated: boolean }[] {
    return [...this.ids].map(([account, e]) => ({ account, ...e }));
  }
}
