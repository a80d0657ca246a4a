import { describe, expect, it } from 'vitest';
import { assumeRoleCallOf, roleKeyOf } from '../../src/usage/events.js';

/** The role owner's copy of a cross-account AssumeRole call, in the shape AWS documents for STS events. */
function ownerCopy(extra: Record<string, unknown> = {}, params: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'AWSAccount', principalId: 'AIDAEXAMPLE', accountId: '999988887777' },
    eventTime: '2026-11-20T08:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    requestParameters: {
      roleArn: 'arn:aws:iam::111122223333:role/VendorAccess',
      roleSessionName: 's1',
      ...params,
    },
    eventID: 'ev-1',
    sharedEventID: 'shared-1',
    recipientAccountId: '111122223333',
    ...extra,
  };
}

describe('assumeRoleCallOf', () => {
  it('reads caller account, external id and time from the role owner copy', () => {
    const c = assumeRoleCallOf(ownerCopy({}, { externalId: 'abc-123' }));
    expect(c).toMatchObject({
      key: 'shared-1',
      roleAccount: '111122223333',
      roleName: 'vendoraccess',
      callerAccount: '999988887777',
      identityType: 'AWSAccount',
      externalId: 'abc-123',
      mfa: false,
      time: '2026-11-20T08:00:00.000Z',
    });
    expect(c?.errorCode).toBeUndefined();
  });

  it('has no external id when requestParameters carries none', () => {
    const c = assumeRoleCallOf(ownerCopy());
    expect(c).toBeDefined();
    expect('externalId' in (c ?? {})).toBe(false);
  });

  it('keeps an empty external id apart from no external id', () => {
    expect(assumeRoleCallOf(ownerCopy({}, { externalId: '' }))?.externalId).toBe('');
  });

  it('marks MFA when the call sent a serial number', () => {
    const c = assumeRoleCallOf(
      ownerCopy({}, { serialNumber: 'arn:aws:iam::999988887777:mfa/alice', tokenCode: '123456' }),
    );
    expect(c?.mfa).toBe(true);
  });

  it('keeps the error code of a denied call', () => {
    expect(assumeRoleCallOf(ownerCopy({ errorCode: 'AccessDenied' }))?.errorCode).toBe('AccessDenied');
  });

  it('uses eventID when there is no sharedEventID (same-account call)', () => {
    const r = ownerCopy();
    delete (r as Record<string, unknown>).sharedEventID;
    expect(assumeRoleCallOf(r)?.key).toBe('ev-1');
  });

  it('ignores other events, AWS service callers and malformed records', () => {
    expect(assumeRoleCallOf(ownerCopy({ eventName: 'GetRole' }))).toBeUndefined();
    expect(assumeRoleCallOf(ownerCopy({ eventSource: 'iam.amazonaws.com' }))).toBeUndefined();
    expect(
      assumeRoleCallOf(ownerCopy({ userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } })),
    ).toBeUndefined();
    expect(assumeRoleCallOf(ownerCopy({ eventTime: 'yesterday' }))).toBeUndefined();
    expect(assumeRoleCallOf(ownerCopy({}, { roleArn: 'not-an-arn' }))).toBeUndefined();
    expect(assumeRoleCallOf(ownerCopy({ requestParameters: null }))).toBeUndefined();
    expect(assumeRoleCallOf('text')).toBeUndefined();
    expect(assumeRoleCallOf(null)).toBeUndefined();
  });
});

describe('roleKeyOf', () => {
  it('matches roles by account and name, whatever the path and case', () => {
    expect(roleKeyOf('arn:aws:iam::111122223333:role/integrations/OldAuditor')).toEqual({
      account: '111122223333',
      name: 'oldauditor',
    });
    expect(roleKeyOf('arn:aws-cn:iam::111122223333:role/X')).toEqual({ account: '111122223333', name: 'x' });
    expect(roleKeyOf('arn:aws:iam::111122223333:user/X')).toBeUndefined();
    expect(roleKeyOf('arn:aws:sts::111122223333:assumed-role/X/s')).toBeUndefined();
  });
});
