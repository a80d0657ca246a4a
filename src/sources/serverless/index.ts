/**
 * The Serverless Framework source: `serverless.yml`/`.yaml`/`.json`. Its `resources.Resources` are
 * CloudFormation and are read by the CloudFormation source's role extraction, after the Serverless
 * variables are replaced (`./variables.ts`). `resources.extensions` that give a generated role a trust
 * policy count too. The Lambda execution role the framework generates (`provider.iam.role`, the older
 * `provider.iamRoleStatements`) always trusts lambda.amazonaws.com: its statements are permissions,
 * not trust, and it is not reported (as SAM functions without their own trust policy are not).
 * Claiming is cheap (claims.ts); the reader (load.ts) is imported only when a file was claimed.
 */
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { looksLikeServerless } from './claims.js';

export { looksLikeServerless } from './claims.js';

export const serverlessSource: FileSource = {
  name: 'serverless',

  claim(file: InputFile): boolean {
    return looksLikeServerless(file.path, file.text);
  },

  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const { loadServerless } = await import('./load.js');
    return loadServerless(files, ctx);
  },
};
