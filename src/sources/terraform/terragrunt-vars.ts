/**
 * A unit's `inputs` as the evaluated values of its module's variables (`HclScanOptions.rootValues`):
 * each input's value as Terragrunt computed it, unknown or partly unknown ones included, so the module
 * judges a dependency output or `get_env` as unknown rather than falling back to a default. Terragrunt
 * hands inputs to Terraform as `TF_VAR_` variables, so the module's own `terraform.tfvars` and
 * `*.auto.tfvars` win over them, and `--var` on our command line wins over all (as `-var` would); the
 * Terraform reader applies that order. Values are converted by the variable's declared type there too.
 */
import { hasSym, sym, type Val, wrap } from './values.js';

export interface UnitInputs {
  /** Values of the module's variables, by name (possibly unknown). */
  values: Map<string, Val>;
  /** Inputs that reach the module with a value not known before apply (name -> why). */
  unknown: Map<string, string>;
}

/**
 * `inputs` of a unit as root values. `overridden` names the variables a tfvars file or `--var` sets
 * (they win, so an unknown input there is not reported). An unknown `inputs` object as a whole may set
 * any variable: every declared one is then unknown.
 */
export function unitInputs(
  inputs: Val | undefined,
  declared: ReadonlySet<string>,
  overridden: (name: string) => boolean,
): UnitInputs {
  const values = new Map<string, Val>();
  const unknown = new Map<string, string>();
  if (inputs?.t === 'sym') {
    for (const name of declared) {
      if (overridden(name)) continue;
      const why = `the unit's inputs are not known: ${inputs.description}`;
      values.set(name, sym(`var.${name} (${why})`, wrap(`var.${name}`)));
      unknown.set(name, why);
    }
  } else if (inputs?.t === 'obj') {
    for (const [name, v] of inputs.v) {
      // Terragrunt passes a null input as no value: the module's default applies.
      if (v.t === 'null') continue;
      if (!hasSym(v)) {
        values.set(name, v);
        continue;
      }
      values.set(name, asVariable(v, name));
      if (!overridden(name)) unknown.set(name, describe(v));
    }
  }
  return { values, unknown };
}

/**
 * The unknown parts of an input as the module sees them: `var.NAME`, saying why it is not known. The
 * Terragrunt expression's own text (a `get_env` default, say) is not what the unit deploys, so it does
 * not become the value's text in the module.
 */
function asVariable(v: Val, name: string): Val {
  switch (v.t) {
    case 'sym':
      return { ...v, description: `var.${name} (${v.description})`, text: wrap(`var.${name}`) };
    case 'list':
      return { ...v, v: v.v.map((x) => asVariable(x, name)) };
    case 'obj':
      return { ...v, v: new Map([...v.v].map(([k, x]) => [k, asVariable(x, name)])) };
    default:
      return v;
  }
}

function describe(v: Val): string {
  if (v.t === 'sym') return v.description;
  if (v.t === 'list') for (const x of v.v) if (hasSym(x)) return describe(x);
  if (v.t === 'obj') for (const x of v.v.values()) if (hasSym(x)) return describe(x);
  if (v.t === 'str' && v.json) return describe(v.json);
  return 'not known';
}
