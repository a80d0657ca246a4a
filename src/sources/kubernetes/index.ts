/**
 * The Kubernetes source: manifests of AWS Controllers for Kubernetes (ACK) and Crossplane that define
 * IAM roles (multi-document YAML, `kind: List`, JSON from `kubectl get -o json`), and Crossplane
 * Compositions; Helm charts are reported as "render it first".
 * Claiming is cheap (claims.ts); the reader (load.ts) is imported only when a file was claimed.
 */
import type { FileSource, InputFile, SourceContext, SourceResult } from '../types.js';
import { isChartFile, isStdin, looksLikeManifest, MANIFEST_EXTENSIONS } from './claims.js';

export { looksLikeManifest } from './claims.js';

export const kubernetesSource: FileSource = {
  name: 'kubernetes',

  claim(file: InputFile): boolean {
    if (!isStdin(file) && !MANIFEST_EXTENSIONS.test(file.path)) return false;
    return isChartFile(file) || looksLikeManifest(file.text);
  },

  async load(files: InputFile[], ctx: SourceContext): Promise<SourceResult> {
    const { loadKubernetes } = await import('./load.js');
    return loadKubernetes(files, ctx);
  },
};
