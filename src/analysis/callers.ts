/**
 * Who could call: the concrete callers that stand for each AWS principal of an Allow statement.
 * A principal naming one entity gives that entity; an account (or `*`) gives representative principals
 * of the account(s) it admits.
 */
import { describeOperator } from '../eval/operators/index.js';
import type { RequestPrincipal } from '../eval/types.js';
import type { FindingPrincipal } from '../findings/types.js';
import { classifyPrincipal, isAccountId, parseArn } from '../model/arn.js';
import {
  DEPLOYING_ACCOUNT,
  isSymbolic,
  type PolicyValue,
  type Principal,
  type Role,
  type Statement,
  type Symbolic,
} from '../model/types.js';
import { accountPattern, describeCount, witnessAccounts } from './account-patterns.js';
import { renderValue } from './render.js';
import { type AccountStanding, accountName, standing, type ZoneOfTrust } from './zone.js';

/** Name of the representative entities the analysis invents inside a caller account. */
export const PROBE_NAME = 'trustaudit-probe';
const PROBE_SESSION = 'trustaudit';

export type CallerType = 'User' | 'AssumedRole';

/** One concrete caller of `sts:AssumeRole`. */
export interface Caller {
  principal: RequestPrincipal;
  /** `aws:PrincipalArn`; undefined when it cannot be known (unique ids): the key is then left free. */
  principalArn?: PolicyValue;
  principalType: CallerType;
  /** `aws:PrincipalAccount`; undefined when unknown (left free). */
  account?: PolicyValue;
}

/** A principal of an Allow statement whose account may be a third party, with the callers that stand for it. */
export interface Candidate {
  /** The principal as written (`*` for the wildcard), what a fix acts on. */
  writtenAs: string;
  finding: FindingPrincipal;
  callers: Caller[];
  /** Sentences for the finding's details (unresolvable id, symbolic account...). */
  notes: string[];
  /**
   * For evaluation only: replace this principal value by `to` in the policy. AWS would match a unique id
   * to nobody now, but the id stands for a principal of an unknown account, so it is judged as one.
   */
  substitute?: { from: PolicyValue; to: string };
}

/** What the whole policy says that shapes the callers (collected once per role). */
export interface PolicyFacts {
  /** Lower-cased condition keys used anywhere in the policy. */
  keys: ReadonlySet<string>;
  /** Literal 12-digit accounts named in aws:PrincipalAccount / aws:PrincipalArn conditions. */
  namedAccounts: string[];
  /** Values of aws:PrincipalArn conditions (patterns), to derive callers inside an account. */
  principalArnValues: string[];
  /**
   * Account fields with wildcards from aws:PrincipalAccount values and aws:PrincipalArn account parts,
   * under operators that treat wildcards as such (StringLike, StringNotLike, Arn*): each admits other
   * accounts, so the analysis tries a witness of each.
   */
  accountPatterns: string[];
}

export interface CallerSetting {
  role: Role;
  zone: ZoneOfTrust;
  owner: string | undefined;
  facts: PolicyFacts;
  /** A 12-digit account that stands for "any other account". */
  probeAccount: string;
}

/** Whether an account is inside the zone of trust for this role. */
export function accountStanding(account: string, s: CallerSetting): AccountStanding {
  if (account === DEPLOYING_ACCOUNT || (s.owner !== undefined && account === s.owner)) return 'owner';
  return standing(account, s.role, s.zone);
}

/** Fill `*` and `?` of a policy pattern with plain characters, giving a value the pattern matches. */
export function fillWildcards(pattern: string, star = PROBE_NAME): string {
  return pattern.replaceAll('*', star).replaceAll('?', 'x');
}

function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

function globMatches(pattern: string, value: string): boolean {
  if (!hasWildcard(pattern)) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split(/([*?])/)
      .map((p) => (p === '*' ? '.*' : p === '?' ? '.' : p.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return re.test(value);
}

function sessionCaller(partition: string, account: string, roleResource: string): Caller {
  // roleResource: "role/path/Name"; a session ARN carries only the name.
  const name = roleResource.slice(roleResource.lastIndexOf('/') + 1);
  const roleArn = `arn:${partition}:iam::${account}:${roleResource}`;
  return {
    principal: {
      type: 'aws',
      id: `arn:${partition}:sts::${account}:assumed-role/${name}/${PROBE_SESSION}`,
      account,
    },
    principalArn: roleArn,
    principalType: 'AssumedRole',
    account,
  };
}

function userCaller(partition: string, account: string, userResource: string): Caller {
  const arn = `arn:${partition}:iam::${account}:${userResource}`;
  return { principal: { type: 'aws', id: arn, account }, principalArn: arn, principalType: 'User', account };
}

function symbolicCaller(account: Symbolic, kind: 'role' | 'user'): Caller {
  const text = `arn:aws:iam::\${${account.description}}:${kind}/${PROBE_NAME}`;
  const arn: Symbolic = {
    symbolic: true,
    description: `${kind} ${PROBE_NAME} in ${account.description}`,
    text,
  };
  return {
    principal: { type: 'aws', id: arn, account },
    principalArn: arn,
    principalType: kind === 'role' ? 'AssumedRole' : 'User',
    account,
  };
}

/**
 * Memo of the plain callers per scan (keyed by the scan's zone object, so it lives as long as the scan):
 * the evaluator memoises what it learns about a caller per caller object, so handing it the same objects
 * for the same account across roles saves re-parsing their ARNs. Cached callers are never mutated.
 */
const callerMemo = new WeakMap<ZoneOfTrust, Map<string, Caller[]>>();
const MEMO_LIMIT = 10_000;

function memoised(zone: ZoneOfTrust | undefined, key: string, make: () => Caller[]): Caller[] {
  if (!zone) return make();
  let m = callerMemo.get(zone);
  if (!m) {
    m = new Map();
    callerMemo.set(zone, m);
  }
  let v = m.get(key);
  if (!v) {
    if (m.size >= MEMO_LIMIT) m.clear();
    v = make();
    m.set(key, v);
  }
  return v;
}

/**
 * Representative callers inside `account`: a role session, and when the policy looks at who exactly is
 * calling (aws:PrincipalArn / aws:PrincipalType / aws:userid / aws:username), also a user and the
 * principals its aws:PrincipalArn patterns admit in that account.
 */
export function callersInAccount(
  account: string,
  partition: string,
  facts: PolicyFacts,
  zone?: ZoneOfTrust,
): Caller[] {
  const k = facts.keys;
  if (
    !(k.has('aws:principalarn') || k.has('aws:principaltype') || k.has('aws:userid') || k.has('aws:username'))
  ) {
    return memoised(zone, `${partition}|${account}`, () => [
      sessionCaller(partition, account, `role/${PROBE_NAME}`),
    ]);
  }
  const out: Caller[] = [sessionCaller(partition, account, `role/${PROBE_NAME}`)];
  out.push(userCaller(partition, account, `user/${PROBE_NAME}`));
  const seen = new Set<string>(out.map((c) => String(c.principalArn)));
  for (const pattern of facts.principalArnValues) {
    const arn = parseArn(pattern);
    if (!arn || (arn.service !== 'iam' && !hasWildcard(arn.service))) continue;
    if (!globMatches(arn.account, account)) continue;
    const resource = fillWildcards(arn.resource);
    const part = hasWildcard(arn.partition) ? partition : arn.partition;
    let c: Caller | undefined;
    if (resource.startsWith('role/')) c = sessionCaller(part, account, resource);
    else if (resource.startsWith('user/')) c = userCaller(part, account, resource);
    if (c && !seen.has(String(c.principalArn))) {
      seen.add(String(c.principalArn));
      out.push(c);
    }
  }
  return out;
}

/** How IaC writes "the account this is deployed into" when a source hands it over unresolved. */
const DEPLOYING_MARKERS =
  /^(?:<deploying-account>|\$\{AWS::AccountId\}|\$\{data\.aws_caller_identity\.[\w-]+\.account_id\})$/;

function symbolicAccountOf(v: Symbolic): string | Symbolic {
  // `arn:${Partition}:iam::123456789012:root`: only the partition is unknown, the account is literal.
  const text = v.text?.trim();
  if (!text) return v;
  // Partition and account may be `${...}` placeholders, which can themselves hold colons (`${AWS::AccountId}`).
  const m = /^arn:(?:\$\{[^}]*\}|[^:$]*):iam::(\$\{[^}]*\}|[^:$]+):(?:root|user\/|role\/)/.exec(text);
  const account = m?.[1] ?? text;
  if (/^\d{12}$/.test(account)) return account;
  if (DEPLOYING_MARKERS.test(account)) return DEPLOYING_ACCOUNT;
  return v;
}

function describeAccount(
  account: string,
  s: CallerSetting,
): Pick<FindingPrincipal, 'account' | 'accountName'> {
  const name = accountName(account, s.zone);
  return name ? { account, accountName: name } : { account };
}

/**
 * The candidates of one Allow statement: its AWS (or `*`) principals whose account is, or may be, a
 * third party. Principals of the owner or a trusted account, service and federated principals, and
 * malformed values are not candidates.
 */
export function candidatesOf(st: Statement, s: CallerSetting): Candidate[] {
  const out: Candidate[] = [];
  const partition = s.role.partition || 'aws';
  if (!st.principals) {
    if (st.notPrincipals) {
      const note =
        'NotPrincipal in an Allow statement admits every principal it does not list (AWS rejects NotPrincipal in trust policies; judged as written)';
      out.push(...wildcardCandidates('*', s, partition, note));
    }
    return out;
  }
  for (const p of st.principals) {
    if (p.type !== 'AWS' && p.type !== '*') continue;
    out.push(...principalCandidates(p, s, partition));
  }
  return out;
}

function wildcardCandidates(
  writtenAs: string,
  s: CallerSetting,
  partition: string,
  note?: string,
  substitute?: Candidate['substitute'],
): Candidate[] {
  const out: Candidate[] = [];
  const notes = note ? [`${note}.`] : [];
  const sub = substitute ? { substitute } : {};
  out.push({
    writtenAs,
    finding: { value: writtenAs, kind: 'wildcard', note: 'any AWS account' },
    callers: callersInAccount(s.probeAccount, partition, s.facts, s.zone),
    notes,
    ...sub,
  });
  for (const pattern of s.facts.accountPatterns) {
    const p = accountPattern(pattern);
    if (!p) continue;
    const [account] = witnessAccounts(
      p,
      (a) =>
        a === s.probeAccount || accountStanding(a, s) !== 'third-party' || s.facts.namedAccounts.includes(a),
    );
    if (account === undefined) continue;
    out.push({
      writtenAs,
      finding: {
        value: writtenAs,
        kind: 'wildcard',
        ...describeAccount(account, s),
        note: `one of the ${describeCount(p)} the pattern "${pattern}" admits`,
      },
      callers: callersInAccount(account, partition, s.facts, s.zone),
      notes: [
        ...notes,
        `The pattern "${pattern}" in a condition admits ${describeCount(p)} (for example ${account}), not only yours.`,
      ],
      ...sub,
    });
  }
  for (const account of s.facts.namedAccounts) {
    if (accountStanding(account, s) !== 'third-party') continue;
    out.push({
      writtenAs,
      finding: {
        value: writtenAs,
        kind: 'wildcard',
        ...describeAccount(account, s),
        note: 'account named in a condition',
      },
      callers: callersInAccount(account, partition, s.facts, s.zone),
      notes,
      ...sub,
    });
  }
  return out;
}

const PARTIAL_WILDCARD_NOTE =
  'IAM does not accept a partial wildcard in Principal (the policy is rejected as written); read literally it admits';

/**
 * `arn:aws:iam::*:root`, `arn:aws:iam::111122223333:role/vendor-*`: IAM rejects these, but what they
 * would grant is still judged, erring on the side of reporting: a wildcard account reads as any account,
 * a literal account with a wildcard name as any principal of that account.
 */
function partialWildcardCandidates(
  p: Principal,
  written: string,
  s: CallerSetting,
  partition: string,
): Candidate[] {
  if (typeof p.value !== 'string' || !/[*?]/.test(p.value)) return [];
  const arn = parseArn(p.value.trim());
  if (!arn || !/^(iam|sts)$/.test(arn.service)) return [];
  if (/[*?]/.test(arn.account)) {
    return wildcardCandidates(written, s, partition, `${PARTIAL_WILDCARD_NOTE} any account`, {
      from: p.value,
      to: '*',
    });
  }
  if (!isAccountId(arn.account) || accountStanding(arn.account, s) !== 'third-party') return [];
  const part = /[*?]/.test(arn.partition) ? partition : arn.partition;
  return [
    {
      writtenAs: written,
      finding: { value: written, kind: 'account', ...describeAccount(arn.account, s) },
      callers: callersInAccount(arn.account, part, s.facts, s.zone),
      notes: [`${PARTIAL_WILDCARD_NOTE} principals of account ${arn.account}.`],
      substitute: { from: p.value, to: `arn:${part}:iam::${arn.account}:root` },
    },
  ];
}

/**
 * A principal ARN in another partition than the role's names nobody who can assume it: partitions do
 * not trust each other (TA006 reports such principals).
 */
function otherPartition(principalPartition: string | undefined, rolePartition: string): boolean {
  return principalPartition !== undefined && principalPartition !== rolePartition;
}

function principalCandidates(p: Principal, s: CallerSetting, partition: string): Candidate[] {
  const written = renderValue(p.value);
  const c = classifyPrincipal(p.type, p.value);
  switch (c.kind) {
    case 'wildcard':
      return wildcardCandidates(written, s, partition);
    case 'account':
    case 'root': {
      const account = c.account!;
      if (otherPartition(c.partition, partition) || accountStanding(account, s) !== 'third-party') return [];
      return [
        {
          writtenAs: written,
          finding: { value: written, kind: 'account', ...describeAccount(account, s) },
          callers: callersInAccount(account, c.partition ?? partition, s.facts, s.zone),
          notes: [],
        },
      ];
    }
    case 'user':
    case 'role':
    case 'assumed-role': {
      const account = c.account!;
      if (otherPartition(c.partition, partition) || accountStanding(account, s) !== 'third-party') return [];
      const part = c.partition ?? partition;
      const callers = memoised(s.zone, `${part}|${written}`, (): Caller[] => {
        if (c.kind === 'user') return [userCaller(part, account, `user${c.path}${c.name}`)];
        if (c.kind === 'role') return [sessionCaller(part, account, `role${c.path}${c.name}`)];
        const principalArn = `arn:${part}:iam::${account}:role/${c.name}`;
        return [
          {
            principal: { type: 'aws', id: written, account },
            principalArn,
            principalType: 'AssumedRole',
            account,
          },
        ];
      });
      return [
        {
          writtenAs: written,
          finding: { value: written, kind: c.kind, ...describeAccount(account, s) },
          callers,
          notes: [],
        },
      ];
    }
    case 'unique-id':
      // A deleted principal: no principal created since can match it (TA006 reports it as stale).
      return [];
    case 'symbolic': {
      if (!isSymbolic(p.value)) return [];
      const account = symbolicAccountOf(p.value);
      if (typeof account === 'string') {
        if (accountStanding(account, s) !== 'third-party') return [];
        return [
          {
            writtenAs: written,
            finding: { value: written, kind: 'account', ...describeAccount(account, s) },
            callers: callersInAccount(account, partition, s.facts, s.zone),
            notes: [],
            // The evaluator cannot know which account the placeholder holds; the analysis can.
            substitute: { from: p.value, to: `arn:${partition}:iam::${account}:root` },
          },
        ];
      }
      const note = `the account comes from ${p.value.description}, which is only known at deploy time: it may be a third-party account`;
      return [
        {
          writtenAs: written,
          finding: { value: written, kind: 'symbolic', note },
          callers: [
            // The principal itself stands for the caller: the evaluator matches a symbolic principal to the same value.
            { principal: { type: 'aws', id: p.value, account }, principalType: 'AssumedRole', account },
            symbolicCaller(account, 'role'),
          ],
          notes: [`Principal ${written}: ${note}.`],
        },
      ];
    }
    case 'invalid':
      return partialWildcardCandidates(p, written, s, partition);
    default:
      // Services, providers and federated users (they cannot call sts:AssumeRole).
      return [];
  }
}

/** Collect the policy-wide facts once per role. */
export function policyFacts(statements: readonly Statement[]): PolicyFacts {
  const keys = new Set<string>();
  const named = new Set<string>();
  const arnValues: string[] = [];
  const patterns = new Set<string>();
  for (const st of statements) {
    for (const c of st.conditions) {
      const key = c.key.toLowerCase();
      keys.add(key);
      if (key !== 'aws:principalaccount' && key !== 'aws:principalarn') continue;
      const wild = describeOperator(c.operator)?.wildcards === true;
      for (const v of c.values) {
        if (typeof v !== 'string') continue;
        let account = v;
        if (key === 'aws:principalarn') {
          arnValues.push(v);
          const arn = parseArn(v);
          if (!arn) continue;
          account = arn.account;
        }
        if (isAccountId(account)) named.add(account);
        else if (wild && accountPattern(account)) patterns.add(account);
      }
    }
  }
  return {
    keys,
    namedAccounts: [...named].sort(),
    principalArnValues: arnValues,
    accountPatterns: [...patterns].sort(),
  };
}

/** A 12-digit account outside the zone of trust and not named in the policy: "some other account". */
export function chooseProbeAccount(owner: string | undefined, zone: ZoneOfTrust, facts: PolicyFacts): string {
  for (let n = 999999999999; ; n--) {
    const a = String(n);
    if (a !== owner && !zone.trusted.has(a) && !facts.namedAccounts.includes(a)) return a;
  }
}
