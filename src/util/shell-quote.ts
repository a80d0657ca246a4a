/**
 * Quoting for the shell commands trustaudit prints (`aws iam update-assume-role-policy --role-name …`).
 * Every value that came from a scanned file or the user (role names, paths, ids, documents) goes through
 * `shellQuote`, so pasting a printed command into a POSIX shell runs exactly that command and nothing else.
 */

/** Characters no POSIX shell (nor bash or zsh) gives a meaning to inside a word. */
const PLAIN = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * `s` as one word for a POSIX shell: unchanged when it holds only inert characters (and does not start
 * with `=`, which zsh expands), else in single quotes, where nothing is special; an embedded single
 * quote closes the quotes, is escaped, and reopens them. The empty string is `''`.
 */
export function shellQuote(s: string): string {
  if (PLAIN.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted with `shellQuote`. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/** The command that replaces a role's trust policy with the contents of `documentFile`. */
export function updateTrustPolicyCommand(roleName: string, documentFile = 'trust-policy.json'): string {
  return shellCommand([
    'aws',
    'iam',
    'update-assume-role-policy',
    '--role-name',
    roleName,
    '--policy-document',
    `file://${documentFile}`,
  ]);
}
