/** Inputs for the output tests (test/security/output-*.test.ts): generated policies and templates. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT_FILE_NAMES } from '../../src/cli/commands/scan.js';
import { tempDir } from '../helpers/cli.js';

/** A trust policy whose `n` statements each trust a different third-party account, unprotected. */
export function manyStatements(n: number): { Version: string; Statement: Record<string, unknown>[] } {
  return {
    Version: '2012-10-17',
    Statement: Array.from({ length: n }, (_, i) => ({
      Sid: `Vendor${i}`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${String(200000000000 + i)}:root` },
      Action: 'sts:AssumeRole',
    })),
  };
}

/** A CloudFormation template (JSON) with one role per entry, each trusting a third-party account. */
export function template(roles: { logicalId: string; roleName: string; sid?: string }[]): string {
  const resources: Record<string, unknown> = {};
  for (const r of roles) {
    resources[r.logicalId] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: r.roleName,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              ...(r.sid !== undefined ? { Sid: r.sid } : {}),
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111122223333:root' },
              Action: 'sts:AssumeRole',
            },
          ],
        },
      },
    };
  }
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2);
}

/** A fresh folder holding `files`. */
export function dirWith(files: Record<string, string>): string {
  const dir = tempDir('trustaudit-output-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Every format, written with --output-dir, and the file each goes to (the CLI's own table). */
export const FILES: Record<string, string> = OUTPUT_FILE_NAMES;
export const FORMATS = Object.keys(FILES).join(',');
