/**
 * The CloudFormation / SAM / CDK source: templates (JSON or YAML, every short-form tag) and CDK cloud
 * assemblies (`cdk.out/manifest.json`) -> roles with exact file, line and column.
 * Claiming is cheap (claims.ts); the reader (load.ts) is imported only when a file was claimed. The
 * template scanner and the parameters file reader are imported from their own modules
 * (scan-template.ts, parameters-file.ts), so that this one loads no parser.
 */
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { isCdkManifest, looksLikeCloudFormation, TEMPLATE_EXTENSIONS } from './claims.js';

export { isCdkManifest, looksLikeCloudFormation } from './claims.js';

export const cloudformationSource: FileSource = {
  name: 'cloudformation',

  claim(file: InputFile): boolean {
    // Standard input has no extension: judged by its content alone.
    const stdin = file.absPath === undefined && !/\.[A-Za-z0-9]+$/.test(file.path);
    if (!stdin && !TEMPLATE_EXTENSIONS.test(file.path)) return false;
    if (isCdkManifest(file.path, file.text)) return true;
    return looksLikeCloudFormation(file.text);
  },

  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const { loadCloudFormation } = await import('./load.js');
    return loadCloudFormation(files, ctx);
  },
};
