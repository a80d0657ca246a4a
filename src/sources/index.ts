import { ansibleSource } from './ansible/index.js';
import { cloudformationSource } from './cloudformation/index.js';
import { exportSource } from './export/index.js';
import { kubernetesSource } from './kubernetes/index.js';
import { pulumiSource } from './pulumi/index.js';
import { serverlessSource } from './serverless/index.js';
import { terraformSource } from './terraform/index.js';
import type { FileSource } from './types.js';

/**
 * File sources in the order they are offered each file: the more specific first
 * (Terraform, CloudFormation), then exports and bare policies.
 */
export const fileSources: readonly FileSource[] = [
  terraformSource, // first: claims .tf/.tfvars and plan JSON before CloudFormation/export see them
  serverlessSource, // serverless.yml/.json before CloudFormation: its resources.Resources would look like a template
  ansibleSource, // playbooks and task files running the iam_role module (by content)
  cloudformationSource, // templates (JSON/YAML, SAM, CDK cdk.out manifests) before the export/bare-policy reader
  pulumiSource, // Pulumi YAML programs and stack settings (by name), stack exports (by content; before Kubernetes: an export can hold manifests)
  kubernetesSource, // ACK / Crossplane manifests and Compositions, Helm charts (by content: apiVersion + kind)
  // exportSource stays last: IaC sources are offered each file first.
  exportSource,
];
