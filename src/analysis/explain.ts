/**
 * Sentences for a finding's evidence: why each condition on the external id or MFA does not protect,
 * which conditions are no protection at all, and how the Deny statements are avoided.
 */
import { describeOperator } from '../eval/operators/index.js';
import type { ConditionTrace, PolicyEvaluation, StatementTrace } from '../eval/types.js';
import type { Condition, Statement } from '../model/types.js';
import { KEY_EXTERNAL_ID, KEY_MFA_AGE, KEY_MFA_PRESENT, type Protection } from './protection.js';
import { listText, renderValue, statementLabel } from './render.js';

const PROTECTING_KEYS = new Set([KEY_EXTERNAL_ID, KEY_MFA_PRESENT, KEY_MFA_AGE]);
const IDENTITY_KEYS = new Set([
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principaltype',
]);

export function conditionText(c: Condition): string {
  const vals = c.values.map((v) => JSON.stringify(renderValue(v)));
  return `${c.operator} ${c.key} ${vals.length === 1 ? vals[0] : `[${vals.join(', ')}]`}`;
}

/** Our own words on why a condition on a protecting key lets the request through. */
function whyIneffective(c: Condition): string | undefined {
  const key = c.key.toLowerCase();
  const op = describeOperator(c.operator);
  if (!op) return undefined;
  const isMfa = key !== KEY_EXTERNAL_ID;
  if (op.ifExists) {
    return isMfa
      ? `${op.base}IfExists passes when the key is absent, and callers using long-term access keys send no MFA key at all`
      : `${op.base}IfExists passes when the key is absent, so a caller that sends no external id gets in`;
  }
  if (op.setOperator === 'ForAllValues') return 'ForAllValues passes when the key is absent';
  if (op.base === 'Null') return 'Null only tests whether the key is present, not what it holds';
  if (op.negated) return 'a negated operator passes for every other value';
  if (!isMfa) {
    if (c.values.some((v) => v === '')) {
      return 'an empty external id is no shared secret (it usually means a template parameter or variable was left at an empty default)';
    }
    if (c.values.some((v) => typeof v === 'string' && v.includes('${'))) {
      return 'a value built from policy variables is known to the caller without being told';
    }
    if (c.values.some((v) => typeof v === 'string' && /[*?]/.test(v)) && op.wildcards) {
      return 'a wildcard pattern accepts values the caller makes up';
    }
  } else if (key === KEY_MFA_PRESENT && c.values.some((v) => v === 'false')) {
    return 'it admits callers without MFA';
  }
  return undefined;
}

function traceOf(ev: PolicyEvaluation, index: number): StatementTrace | undefined {
  return ev.statements.find((t) => t.index === index);
}

function failing(t: StatementTrace): ConditionTrace[] {
  return t.conditions.filter((c) => !c.result);
}

/** Details about the Allow statement that let the caller in. */
export function explainAllow(st: Statement, ev: PolicyEvaluation, missing: readonly Protection[]): string[] {
  const label = statementLabel(st.index, st.sid);
  const out: string[] = [];
  const t = traceOf(ev, st.index);
  const conds = t?.conditions ?? [];
  let sawExternalId = false;
  let sawMfa = false;
  for (const ct of conds) {
    const key = ct.condition.key.toLowerCase();
    if (PROTECTING_KEYS.has(key)) {
      const isId = key === KEY_EXTERNAL_ID;
      if (isId) sawExternalId = true;
      else sawMfa = true;
      if (!missing.includes(isId ? 'external-id' : 'mfa')) {
        // This protection is in place; the finding is about the other one, which the mode also requires.
        out.push(
          `${label}: ${conditionText(ct.condition)} is met by a caller ${isId ? 'that has the agreed external ID' : 'signed in with MFA'}, but the require option also asks for ${isId ? 'MFA' : 'an external ID'} (${ct.reason}).`,
        );
        continue;
      }
      const why = whyIneffective(ct.condition);
      out.push(
        `${label}: ${conditionText(ct.condition)} does not protect${why ? `: ${why}` : ''} (${ct.reason}).`,
      );
    } else if (ct.assumed) {
      out.push(`${label}: ${conditionText(ct.condition)} is no protection (${ct.reason}).`);
    } else if (IDENTITY_KEYS.has(key)) {
      out.push(`${label}: ${conditionText(ct.condition)} still admits this caller (${ct.reason}).`);
    }
  }
  if (missing.includes('external-id') && !sawExternalId)
    out.push(`${label} has no condition on sts:ExternalId.`);
  if (missing.includes('mfa') && !sawMfa)
    out.push(`${label} has no condition on aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge.`);
  return out;
}

/** Details about the Deny statements that exist but do not stop the request. */
export function explainDenies(statements: readonly Statement[], ev: PolicyEvaluation): string[] {
  const out: string[] = [];
  for (const st of statements) {
    if (st.effect !== 'Deny') continue;
    const t = traceOf(ev, st.index);
    if (!t || t.applies) continue;
    const label = `Deny ${statementLabel(st.index, st.sid)}`;
    if (!t.actionMatches) {
      out.push(`${label} does not cover sts:AssumeRole.`);
    } else if (!t.principalMatches) {
      out.push(`${label} does not name this caller.`);
    } else {
      const f = failing(t);
      const how = f.map((c) => `${conditionText(c.condition)} is not met (${c.reason})`);
      out.push(`${label} can be avoided: ${how.length > 0 ? listText(how) : 'its conditions are not met'}.`);
    }
  }
  return out;
}
