import type { KnownAccount, TrustedAccount, ZoneOfTrust } from '../../analysis/zone.js';
import type { SourceContext } from '../../sources/types.js';
import type { BudgetName, Budgets } from '../budgets.js';
import { openScanRoot } from '../scan-root.js';

/**
 * What a worker thread needs to rebuild a source's context: plain data only (structured clone copies
 * Maps, but not the scan root, whose methods are closures). The worker opens the same scan root again
 * from its real path and the size limit, so every read a scanned file asks for is checked as in the
 * main thread.
 */
export interface SerialContext {
  zone: {
    defaultOwner?: string;
    trusted: [string, TrustedAccount][];
    trustedOrgIds: string[];
    known: [string, KnownAccount][];
    scanTime?: number;
  };
  parameters: [string, string][];
  variables: [string, string][];
  allFiles: readonly string[];
  maxFileBytes: number;
  budgets: Record<BudgetName, number>;
  /** The scan root's real path. */
  rootDir: string;
}

export function serialContext(ctx: SourceContext): SerialContext {
  const z = ctx.zone;
  return {
    zone: {
      ...(z.defaultOwner !== undefined ? { defaultOwner: z.defaultOwner } : {}),
      trusted: [...z.trusted],
      trustedOrgIds: [...z.trustedOrgIds],
      known: [...z.known],
      ...(z.scanTime !== undefined ? { scanTime: z.scanTime } : {}),
    },
    parameters: [...ctx.parameters],
    variables: [...ctx.variables],
    allFiles: ctx.allFiles,
    maxFileBytes: ctx.maxFileBytes,
    budgets: { ...ctx.budgets },
    rootDir: ctx.root.dir,
  };
}

export function contextFrom(s: SerialContext): SourceContext {
  const zone: ZoneOfTrust = {
    ...(s.zone.defaultOwner !== undefined ? { defaultOwner: s.zone.defaultOwner } : {}),
    trusted: new Map(s.zone.trusted),
    trustedOrgIds: new Set(s.zone.trustedOrgIds),
    known: new Map(s.zone.known),
    ...(s.zone.scanTime !== undefined ? { scanTime: s.zone.scanTime } : {}),
  };
  const budgets: Budgets = { ...s.budgets };
  return {
    zone,
    parameters: new Map(s.parameters),
    variables: new Map(s.variables),
    allFiles: s.allFiles,
    maxFileBytes: s.maxFileBytes,
    budgets,
    root: openScanRoot(s.rootDir, s.maxFileBytes),
  };
}
