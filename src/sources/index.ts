import type { FileSource } from './types.js';

/**
 * File sources in the order they are offered each file: the more specific first
 * (Terraform, CloudFormation), then exports and bare policies.
 */
export const fileSources: readonly FileSource[] = [];
