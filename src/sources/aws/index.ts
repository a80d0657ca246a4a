export { listAccountRoles } from './account.js';
export { type AwsClientFactory, createClientFactory, resolveRegion } from './clients.js';
export { documentEncoding, documentText } from './document.js';
export { awsScanError, classifyAwsError, redact } from './errors.js';
export { assumeRole, assumeRoleArn, defaultSessionName, listOrgAccounts } from './org.js';
export { createProgress, type ScanProgress } from './progress.js';
export { type AwsScanDeps, type AwsScanResult, createAwsProvider, scanAws } from './provider.js';
export { roleFromIam } from './roles.js';
export * from './types.js';
