/**
 * The Pulumi source: YAML programs (`Pulumi.yaml` with `runtime: yaml`, `Main.yaml`) with the config of
 * each stack (`Pulumi.<stack>.yaml`), and stack state exports (`pulumi stack export`).
 * Claiming is cheap (claims.ts); the reader (load.ts) is imported only when a file was claimed.
 */
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { isProgram, isStackFile, isStdin, looksLikeStateExport } from './claims.js';

export { isProgram } from './claims.js';

export const pulumiSource: FileSource = {
  name: 'pulumi',

  claim(file: InputFile): boolean {
    if (/\.json$/i.test(file.path) || isStdin(file)) return looksLikeStateExport(file.text);
    return isProgram(file) || isStackFile(file);
  },

  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const { loadPulumi } = await import('./load.js');
    return loadPulumi(files, ctx);
  },
};
