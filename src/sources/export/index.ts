/**
 * Export files: a bare trust policy, `aws iam get-account-authorization-details`, `aws iam list-roles`
 * and `aws iam get-role` output (JSON; stdin as `-`).
 * Claiming is cheap (claims.ts); the reader (load.ts) is imported only when a file was claimed.
 */
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { firstChar, isJsonPath, isStdin, MARKERS } from './claims.js';

export const exportSource: FileSource = {
  name: 'export',
  claim(file: InputFile): boolean {
    if (isStdin(file)) {
      const c = firstChar(file.text);
      return c === '{' || c === '[' || c === '%';
    }
    if (!isJsonPath(file.path)) return false;
    if (file.explicit) return true;
    return MARKERS.some((m) => file.text.includes(m));
  },
  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const { loadExports } = await import('./load.js');
    return loadExports(files, ctx);
  },
};
