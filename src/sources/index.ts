import { cloudformationSplit, perFileSplit, terraformSplit } from '../scan/workers/groups.js';
import { ansibleSource } from './ansible/index.js';
import { isCdkManifest } from './cloudformation/claims.js';
import { cloudformationSource } from './cloudformation/index.js';
import { exportSource } from './export/index.js';
import { kubernetesSource } from './kubernetes/index.js';
import { pulumiSource } from './pulumi/index.js';
import { serverlessSource } from './serverless/index.js';
import { terraformSource } from './terraform/index.js';
import type { FileSource, SourceSplit } from './types.js';

/** The same source, able to split its files into groups read apart (worker threads, `--jobs`). */
function splitting(source: FileSource, split: NonNullable<FileSource['split']>): FileSource {
  return {
    name: source.name,
    claim: (file) => source.claim(file),
    load: (files, ctx) => source.load(files, ctx),
    split,
  };
}

const cloudformationGroups = (files: Parameters<typeof cloudformationSplit>[0]): SourceSplit =>
  cloudformationSplit(files, (f) => isCdkManifest(f.path, f.text));

/**
 * File sources in the order they are offered each file: the more specific first
 * (Terraform, CloudFormation), then exports and bare policies.
 */
export const fileSources: readonly FileSource[] = [
  // first: claims .tf/.tfvars and plan JSON before CloudFormation/export see them
  splitting(terraformSource, terraformSplit),
  // serverless.yml/.json before CloudFormation: its resources.Resources would look like a template
  splitting(serverlessSource, perFileSplit),
  ansibleSource, // playbooks and task files running the iam_role module (by content)
  // templates (JSON/YAML, SAM, CDK cdk.out manifests) before the export/bare-policy reader
  splitting(cloudformationSource, cloudformationGroups),
  pulumiSource, // Pulumi YAML programs and stack settings (by name), stack exports (by content; before Kubernetes: an export can hold manifests)
  kubernetesSource, // ACK / Crossplane manifests and Compositions, Helm charts (by content: apiVersion + kind)
  // exportSource stays last: IaC sources are offered each file first.
  exportSource,
];
