import { emptyZone } from '../../src/analysis/zone.js';
import { DEFAULT_BUDGETS } from '../../src/scan/budgets.js';
import { openScanRoot } from '../../src/scan/scan-root.js';
import type { SourceContext } from '../../src/sources/types.js';

/**
 * The context a source gets from the scanner, for tests that call a source directly: no zone of
 * trust, no parameters or variables, the default budgets, the current folder as the scan root and a
 * 20 MiB file limit, unless the test says otherwise.
 */
export function testSourceContext(overrides: Partial<SourceContext> = {}): SourceContext {
  const maxFileBytes = overrides.maxFileBytes ?? 20 * 1024 * 1024;
  return {
    zone: emptyZone(),
    parameters: new Map(),
    variables: new Map(),
    allFiles: [],
    budgets: DEFAULT_BUDGETS,
    root: openScanRoot(process.cwd(), maxFileBytes),
    maxFileBytes,
    ...overrides,
  };
}
