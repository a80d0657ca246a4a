/**
 * Whether a statement's Principal / NotPrincipal element names the caller of a request.
 *
 * - `"*"` and `{"AWS": "*"}` name every caller, anonymous included (the IAM guide lists both forms as
 *   granting access to everyone);
 * - an account id or `arn:<p>:iam::<A>:root` names every AWS principal of account A (users, roles, role
 *   sessions, federated users, the root);
 * - a role ARN names the role and its sessions `arn:<p>:sts::<A>:assumed-role/<Name>/<session>` (a session
 *   ARN carries no path, so the role is found by account and name);
 * - a user ARN names that user; an assumed-role or federated-user ARN names exactly that session;
 * - Service / Federated values name callers of that type with the same id (case-insensitive, except ARNs);
 * - unique ids (a deleted principal), canonical users and invalid values name nobody;
 * - a symbolic value names only a caller whose id or account is the same symbolic value;
 * - ARNs must agree on the partition; a bare account id takes any partition.
 * Entity names (users, roles) compare case-insensitively, as IAM keeps them unique regardless of case.
 *
 * NotPrincipal: the statement applies to callers named by none of its values (so for a role session,
 * listing the session, its role or its account counts as named).
 */
import { type ClassifiedPrincipal, classifyPrincipal, isAccountToken } from '../model/arn.js';
import { isSymbolic, type PolicyValue, type Principal, type Statement } from '../model/types.js';
import type { RequestPrincipal } from './types.js';

export interface CallerInfo {
  type: RequestPrincipal['type'];
  c: ClassifiedPrincipal;
  account?: string;
  /** Symbolic descriptions of the caller's id / account. */
  symId?: string;
  symAccount?: string;
  idLower?: string;
  id?: string;
}

/**
 * The last caller classified, kept by whoever judges many requests (a compiled policy): the scenarios of
 * one caller come in a row, so a one-entry memo catches nearly every repeat.
 */
export interface CallerMemo {
  caller?: RequestPrincipal;
  id?: RequestPrincipal['id'];
  account?: RequestPrincipal['account'];
  info?: CallerInfo;
}

/** The caller's classification; with `memo`, the last caller's is reused when it is the same object. */
export function callerInfo(caller: RequestPrincipal, memo?: CallerMemo): CallerInfo {
  const hit = memo?.info;
  if (
    memo &&
    hit &&
    memo.caller === caller &&
    memo.id === caller.id &&
    memo.account === caller.account &&
    hit.type === caller.type
  ) {
    return hit;
  }
  let ci: CallerInfo;
  const id = caller.id;
  let c: ClassifiedPrincipal = { kind: 'invalid' };
  ci = { type: caller.type, c };
  if (isSymbolic(id)) ci.symId = id.description;
  else {
    ci.id = id;
    ci.idLower = id.toLowerCase();
    if (caller.type === 'aws') c = classifyPrincipal('AWS', id);
    else if (caller.type === 'service') c = classifyPrincipal('Service', id);
    else if (caller.type === 'federated') c = classifyPrincipal('Federated', id);
    ci.c = c;
  }
  if (caller.account !== undefined) {
    if (isSymbolic(caller.account)) ci.symAccount = caller.account.description;
    else ci.account = caller.account;
  } else if (c.account !== undefined && caller.type === 'aws') {
    ci.account = c.account;
  }
  if (memo) {
    memo.caller = caller;
    memo.id = caller.id;
    memo.account = caller.account;
    memo.info = ci;
  }
  return ci;
}

/** Classification of a policy principal value. */
export function classified(p: Principal): ClassifiedPrincipal {
  return classifyPrincipal(p.type, p.value);
}

function samePartition(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function eqi(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

function matchesClassified(p: ClassifiedPrincipal, value: PolicyValue, ci: CallerInfo): boolean {
  switch (p.kind) {
    case 'wildcard':
      return true;
    case 'symbolic': {
      const d = (value as { description: string }).description;
      return ci.symId === d || ci.symAccount === d;
    }
    case 'account':
    case 'root':
      return (
        ci.type === 'aws' &&
        ci.account !== undefined &&
        ci.account === p.account &&
        samePartition(p.partition, ci.c.partition)
      );
    case 'role': {
      if (ci.type !== 'aws' || ci.account !== p.account || ci.c.partition !== p.partition) return false;
      if (ci.c.kind === 'role') return ci.c.path === p.path && eqi(ci.c.name, p.name);
      if (ci.c.kind === 'assumed-role') return eqi(ci.c.name, p.name);
      return false;
    }
    case 'user':
      return (
        ci.type === 'aws' &&
        ci.c.kind === 'user' &&
        ci.account === p.account &&
        ci.c.partition === p.partition &&
        ci.c.path === p.path &&
        eqi(ci.c.name, p.name)
      );
    case 'assumed-role':
      return (
        ci.type === 'aws' &&
        ci.c.kind === 'assumed-role' &&
        ci.account === p.account &&
        ci.c.partition === p.partition &&
        eqi(ci.c.name, p.name) &&
        ci.c.session === p.session
      );
    case 'federated-user':
      return (
        ci.type === 'aws' &&
        ci.c.kind === 'federated-user' &&
        ci.account === p.account &&
        ci.c.partition === p.partition &&
        ci.c.name === p.name
      );
    case 'service':
      return ci.type === 'service' && ci.idLower === p.name;
    case 'federated':
      if (ci.type !== 'federated' || ci.id === undefined) return false;
      return p.account !== undefined ? ci.id === p.name : ci.idLower === p.name;
    default:
      // unique-id, canonical-user, invalid
      return false;
  }
}

/** Whether one principal value names the caller. */
export function principalValueMatches(p: Principal, caller: RequestPrincipal): boolean {
  return matchesClassified(classified(p), p.value, callerInfo(caller));
}

/** Classifications of a Principal/NotPrincipal list. */
export function classifiedList(list: readonly Principal[]): ClassifiedPrincipal[] {
  return list.map(classified);
}

/** Whether any value of `list` (classified as `cl`) names the caller. */
export function listNames(
  list: readonly Principal[],
  cl: readonly ClassifiedPrincipal[],
  ci: CallerInfo,
): boolean {
  for (let i = 0; i < list.length; i++) if (matchesClassified(cl[i]!, list[i]!.value, ci)) return true;
  return false;
}

function anyMatches(list: readonly Principal[], ci: CallerInfo): boolean {
  return listNames(list, classifiedList(list), ci);
}

/**
 * Whether the statement's Principal (or NotPrincipal) element covers the caller. A statement with
 * neither element applies to nobody.
 */
export function principalMatches(statement: Statement, caller: RequestPrincipal): boolean {
  const ci = callerInfo(caller);
  if (statement.principals) return anyMatches(statement.principals, ci);
  if (statement.notPrincipals) return !anyMatches(statement.notPrincipals, ci);
  return false;
}

/** The account a caller belongs to, when it is a concrete account token. */
export function callerAccount(caller: RequestPrincipal): string | undefined {
  const a = callerInfo(caller).account;
  return a !== undefined && isAccountToken(a) ? a : undefined;
}
