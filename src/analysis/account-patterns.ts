/**
 * Wildcards in the account field of `aws:PrincipalAccount` / `aws:PrincipalArn` patterns (`2*`,
 * `12345678901?`, `arn:aws:iam::2*:role/ci`): which 12-digit accounts a pattern admits, how many, and a
 * witness account among them that is not one the caller says to leave out (the owner, trusted accounts).
 */

/** How a pattern over account ids reads: `slots` free digits, in the order a witness fills them. */
export interface AccountPattern {
  pattern: string;
  /** Number of digits the wildcards choose (the pattern admits 10^freeDigits accounts). */
  freeDigits: number;
}

/** Above this many admitted accounts a pattern is as good as "any account" (TA003). */
export const HUGE_ACCOUNT_SET = 1000;

/**
 * The pattern as a set of 12-digit accounts, or undefined when it has no wildcard or admits no account
 * (a literal that is not a digit, more than 12 fixed characters). With several `*`, the first one takes
 * every free digit: that covers the whole set for counting, as each admitted id has such a reading.
 */
export function accountPattern(pattern: string): AccountPattern | undefined {
  if (!pattern.includes('*') && !pattern.includes('?')) return undefined;
  let stars = 0;
  let fixed = 0;
  let q = 0;
  for (const ch of pattern) {
    if (ch === '*') stars++;
    else if (ch === '?') {
      q++;
      fixed++;
    } else if (ch >= '0' && ch <= '9') fixed++;
    else return undefined;
  }
  if (fixed > 12 || (stars === 0 && fixed !== 12)) return undefined;
  return { pattern, freeDigits: q + (stars > 0 ? 12 - fixed : 0) };
}

/** How many accounts the pattern admits (10^freeDigits). */
export function admittedCount(p: AccountPattern): number {
  return 10 ** p.freeDigits;
}

/** The account the pattern gives when its free digits read `digits` (left to right). */
function fill(pattern: string, digits: string, freeDigits: number): string {
  let out = '';
  let used = 0;
  let starDone = false;
  const fixedLen = [...pattern].filter((c) => c !== '*').length;
  for (const ch of pattern) {
    if (ch === '*') {
      if (starDone) continue;
      starDone = true;
      const n = 12 - fixedLen;
      out += digits.slice(used, used + n);
      used += n;
    } else if (ch === '?') {
      out += digits[used] ?? '0';
      used++;
    } else out += ch;
  }
  return used <= freeDigits ? out : out.slice(0, 12);
}

/**
 * Up to `max` accounts the pattern admits for which `excluded` is false, highest first (all free
 * digits 9, then counting down). At most the first 64 + `max` candidates are tried.
 */
export function witnessAccounts(
  p: AccountPattern,
  excluded: (account: string) => boolean,
  max = 1,
): string[] {
  const out: string[] = [];
  const total = admittedCount(p);
  const tries = Math.min(total, 64 + max);
  for (let i = 0; i < tries && out.length < max; i++) {
    const digits = p.freeDigits === 0 ? '' : String(total - 1 - i).padStart(p.freeDigits, '0');
    const account = fill(p.pattern, digits, p.freeDigits);
    if (!/^\d{12}$/.test(account) || excluded(account)) continue;
    out.push(account);
  }
  return out;
}

/** "about 10^11 accounts" / "10 accounts" for evidence. */
export function describeCount(p: AccountPattern): string {
  if (p.freeDigits === 0) return '1 account';
  if (p.freeDigits <= 3) return `${admittedCount(p)} accounts`;
  return `10^${p.freeDigits} accounts`;
}
