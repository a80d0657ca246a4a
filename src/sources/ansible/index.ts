/**
 * The Ansible source: playbooks, role task files and included task files that create IAM roles with
 * the `iam_role` module (amazon.aws, community.aws, or the short name) -> roles with the file, line
 * and column of the task and of each statement. Detected by content: a task using the module.
 * Claiming is cheap (claims.ts); the reader (load.ts) is imported only when a file was claimed.
 */
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { looksLikeAnsible } from './claims.js';

export { looksLikeAnsible } from './claims.js';

export const ansibleSource: FileSource = {
  name: 'ansible',

  claim(file: InputFile): boolean {
    return looksLikeAnsible(file.path, file.text);
  },

  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const { loadAnsible } = await import('./load.js');
    return loadAnsible(files, ctx);
  },
};
