/** CloudFormation (and SAM) templates written in JSON. */
import { findNodeAtLocation } from 'jsonc-parser';
import { POLICY_KEYS, trustPolicyPaths } from './cfn-path.js';
import { jsonPolicy, parseJsonText } from './json-policy.js';
import type { LocatePolicy } from './types.js';

export const locateInJsonTemplate: LocatePolicy = (text, role) => {
  const paths = trustPolicyPaths(role);
  if (typeof paths === 'string') return { reason: paths };
  const root = parseJsonText(text);
  if (typeof root === 'string') return { reason: `the template is ${root}` };
  const found = paths.find((p) => {
    const res = findNodeAtLocation(root, p.resource);
    if (!res) return false;
    return p.type === undefined || findNodeAtLocation(res, ['Type'])?.value === p.type;
  });
  if (!found)
    return { reason: `no resource ${paths.map((p) => p.resource.join('.')).join(' or ')} in the template` };
  const policy = jsonPolicy(text, root, [...found.resource, ...POLICY_KEYS]);
  return typeof policy === 'string' ? { reason: policy } : policy;
};
