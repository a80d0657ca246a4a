import { cloudformationSource } from './cloudformation/index.js';
import { exportSource } from './export/index.js';
import { terraformSource } from './terraform/index.js';
import type { FileSource } from './types.js';

/**
 * File sources in the order they are offered each file: the more specific first
 * (Terraform, CloudFormation), then exports and bare policies.
 */
export const fileSources: readonly FileSource[] = [
  terraformSource, // first: claims .tf/.tfvars and plan JSON before CloudFormation/export see them
  cloudformationSource, // templates (JSON/YAML, SAM, CDK cdk.out manifests) before the export/bare-policy reader
  // exportSource stays last: IaC sources are offered each file first.
  exportSource,
];
