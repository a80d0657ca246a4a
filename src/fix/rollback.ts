import { UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { documentText } from '../sources/aws/document.js';
import { describeAwsError } from '../sources/aws/errors.js';
import type { IamResolver } from './access.js';
import { currentDocument } from './apply.js';
import type { TrustBackup } from './backup.js';

export interface RollbackResult {
  roleName: string;
  account?: string;
  file: string;
  status: 'restored' | 'unchanged' | 'failed' | 'unconfirmed';
  message: string;
}

/**
 * Put the backed-up document back exactly: the decoded text of what AWS returned is sent as is, and the
 * document read back must equal the backup byte for byte.
 */
export async function rollbackOne(
  file: string,
  b: TrustBackup,
  iamFor: IamResolver,
): Promise<RollbackResult> {
  const base = { roleName: b.roleName, ...(b.account ? { account: b.account } : {}), file };
  try {
    const iam = await iamFor(b.account);
    const before = await currentDocument(iam, b.roleName);
    if (before === b.document)
      return { ...base, status: 'unchanged', message: 'already identical to the backup' };
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: b.roleName, PolicyDocument: documentText(b.document) }),
    );
    const after = await currentDocument(iam, b.roleName);
    if (after === b.document)
      return { ...base, status: 'restored', message: 'restored, identical to the backup' };
    return {
      ...base,
      status: 'unconfirmed',
      message: 'updated, but the document read back differs from the backup',
    };
  } catch (e) {
    return { ...base, status: 'failed', message: describeAwsError(e) };
  }
}
