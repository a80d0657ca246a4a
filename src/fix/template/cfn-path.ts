import type { RoleLocator } from './types.js';

/** Where a role's trust policy may be written in a template, and the resource type that place needs. */
export interface PolicyPath {
  /** From the template's top down to the resource. */
  resource: string[];
  /** The resource must be of this type (a SAM function named after its generated role). */
  type?: string;
}

/**
 * Where a CloudFormation, SAM or Serverless role's trust policy may be written: the logical id is what
 * follows the last `#` of the resource id. A SAM function's generated role is `<Function>Role`, so the
 * function without that suffix is tried too. The policy is the resource's
 * `Properties.AssumeRolePolicyDocument`.
 */
export function trustPolicyPaths(role: RoleLocator): PolicyPath[] | string {
  const hash = role.resourceId.lastIndexOf('#');
  const logicalId = hash === -1 ? '' : role.resourceId.slice(hash + 1);
  if (!/^[A-Za-z0-9]+$/.test(logicalId)) {
    return `the resource id ${JSON.stringify(role.resourceId)} does not name a logical id of the template (nested stack or CDK construct: fix its source)`;
  }
  const top = role.source === 'serverless-resource' ? ['resources', 'Resources'] : ['Resources'];
  const out: PolicyPath[] = [{ resource: [...top, logicalId] }];
  if (logicalId.endsWith('Role') && logicalId.length > 4) {
    out.push({ resource: [...top, logicalId.slice(0, -4)], type: 'AWS::Serverless::Function' });
  }
  return out;
}

export const POLICY_KEYS = ['Properties', 'AssumeRolePolicyDocument'];
