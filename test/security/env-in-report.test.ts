import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** No environment variable reaches a file scan's report unless a flag the user typed puts it there. */
it('a file scan takes the region of its ASFF and console links from --region only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ta-env-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(
    join(dir, 'trust.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '464622532012' }, Action: 'sts:AssumeRole' }],
    }),
  );
  const scan = (extra: string[]) =>
    runCli(['scan', 'trust.json', '--account', '123456789012', '--format', 'asff', ...extra], {
      cwd: dir,
      env: { AWS_REGION: 'ap-southeast-4', AWS_DEFAULT_REGION: 'ap-southeast-4' },
    }).stdout;
  expect(scan([])).not.toContain('ap-southeast-4');
  expect(scan(['--region', 'eu-west-3'])).toContain('eu-west-3');
});
