/**
 * A report with usage evidence for the reporter tests: the TA001 fixture report, whose DatadogIntegration
 * finding gets usage evidence with hostile external ids (terminal escapes, HTML, a bidi override, a very
 * long value), as any CloudTrail record could carry them.
 */
import type { Finding } from '../../src/findings/types.js';
import type { Report } from '../../src/reporters/types.js';
import type { UsageEvidence } from '../../src/usage/types.js';
import { FIXTURE_FILE, loadReport } from './report-fixture.js';

export const ESCAPE_ID = '\u001b]0;owned\u0007\u001b[2J';
export const HTML_ID = '<img src=x onerror="alert(1)">';
export const BIDI_ID = 'safe\u202eevil';
export const LONG_ID = 'L'.repeat(5000);

export const USAGE: UsageEvidence = {
  window: { days: 90, from: '2026-09-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' },
  sources: ['CloudTrail log files under logs/'],
  roleLastUsed: { lastUsedDate: '2026-11-22T09:00:00.000Z', region: 'eu-west-1' },
  thirdParties: [
    {
      account: '464622532012',
      calls: 7,
      deniedCalls: 2,
      errorCodes: { AccessDenied: 2 },
      firstSeen: '2026-10-01T08:00:00.000Z',
      lastSeen: '2026-11-22T08:00:00.000Z',
      externalIds: [
        { value: ESCAPE_ID, count: 3 },
        { value: HTML_ID, count: 2 },
        { value: BIDI_ID, count: 1 },
        { value: LONG_ID, count: 1 },
      ],
      callsWithoutExternalId: 0,
      callsWithMfa: 1,
      verdict: 'sends-several-ids',
      advice: `464622532012 sent 4 different external ids, one of them ${JSON.stringify(HTML_ID)}: ask the third party.`,
    },
  ],
  notRead: 'Regions us-west-2 were not read.',
  caveat: 'No events is never proof of no use (test caveat).',
};

const SAFE: UsageEvidence = {
  window: { days: 90, from: '2026-09-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' },
  sources: ['CloudTrail log files under logs/'],
  roleLastUsed: { lastUsedDate: null },
  thirdParties: [
    {
      account: '333333333333',
      calls: 4,
      deniedCalls: 0,
      firstSeen: '2026-11-20T08:00:00.000Z',
      lastSeen: '2026-11-21T08:00:00.000Z',
      externalIds: [{ value: 'partner-id-1', count: 4 }],
      callsWithoutExternalId: 0,
      callsWithMfa: 0,
      verdict: 'safe-to-enforce',
      advice:
        'Require sts:ExternalId "partner-id-1" for 333333333333: all 4 calls in the last 90 days sent it.',
    },
  ],
  caveat: 'No events is never proof of no use (test caveat).',
};

/** The fixture report with usage on DatadogIntegration (hostile ids) and PartnerDeploy (safe to enforce). */
export function usageReport(): Report {
  const r = loadReport(FIXTURE_FILE);
  r.findings = r.findings.map((f): Finding => {
    const usage =
      f.resource.name === 'DatadogIntegration'
        ? USAGE
        : f.resource.name === 'PartnerDeploy'
          ? SAFE
          : undefined;
    return usage ? { ...f, evidence: { ...f.evidence, usage } } : f;
  });
  return r;
}
