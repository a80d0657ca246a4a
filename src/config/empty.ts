import type { Config } from './schema.js';

/**
 * The config used when there is no config file: every field at its default. Written out rather than
 * parsed so that a scan without a config file never loads the schema (a test keeps the two equal).
 */
export function emptyConfig(): Config {
  return { trustedAccounts: [], trustedOrganizations: [], rules: {}, suppressions: [], exclude: [] };
}
