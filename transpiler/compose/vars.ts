// Variables for Butane configs: `${NAME}` in a string value is replaced by NAME's value, at decode
// time, after the YAML is parsed: a value is only ever text inside one string, so neither a value
// nor a variable can add keys, lists or anything else to the config's structure. Values are not
// expanded again (deterministic, no loops); `$${` writes a literal `${` (systemd units use `${X}`
// themselves). A reference to an undefined variable is an error at its line.
import type { StringHook } from '../core/decode.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface VarProblem {
  message: string;
  /** 1-based line in a variables file. */
  line?: number;
}

/** `NAME=VALUE` assignments (from --var), later ones winning; problems for malformed ones. */
export function addAssignments(vars: Map<string, string>, items: readonly string[]): VarProblem[] {
  const problems: VarProblem[] = [];
  for (const item of items) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) {
      problems.push({ message: `\`${item}\` is not NAME=VALUE with a NAME of letters, digits and _ (not starting with a digit)` });
      continue;
    }
    vars.set(name, item.slice(eq + 1));
  }
  return problems;
}

/**
 * A variables file: one `NAME=VALUE` per line, the value taken verbatim to the end of the line;
 * blank lines and lines starting with `#` are skipped.
 */
export function addVarFile(vars: Map<string, string>, text: string): VarProblem[] {
  const problems: VarProblem[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    for (const p of addAssignments(vars, [line])) problems.push({ ...p, line: i + 1 });
  });
  return problems;
}

/** The decoder hook that substitutes `vars` into string values. */
export function substitute(vars: ReadonlyMap<string, string>): StringHook {
  return (text) => {
    if (!text.includes('$')) return { value: text, problems: [] };
    const problems: ReturnType<StringHook>['problems'] = [];
    let value = '';
    let i = 0;
    while (i < text.length) {
      const at = text.indexOf('$', i);
      if (at < 0) {
        value += text.slice(i);
        break;
      }
      value += text.slice(i, at);
      if (text.startsWith('$${', at)) {
        value += '${';
        i = at + 3;
        continue;
      }
      if (!text.startsWith('${', at)) {
        value += '$';
        i = at + 1;
        continue;
      }
      const end = text.indexOf('}', at + 2);
      const name = end < 0 ? '' : text.slice(at + 2, end);
      if (end < 0 || !NAME.test(name)) {
        problems.push({
          message: `\`${text.slice(at, end < 0 ? at + 2 : end + 1)}\` is not a variable reference`,
          hint: 'write ${NAME} with letters, digits and _; write $${ for a literal ${',
          offset: at,
          length: end < 0 ? 2 : end + 1 - at,
        });
        value += text.slice(at, end < 0 ? text.length : end + 1);
        i = end < 0 ? text.length : end + 1;
        continue;
      }
      const v = vars.get(name);
      if (v === undefined) {
        problems.push({
          message: `variable ${name} is not defined`,
          hint: `define it with --var ${name}=VALUE or in a --var-file; write $\${${name}} for a literal \${${name}}`,
          offset: at,
          length: end + 1 - at,
        });
        value += text.slice(at, end + 1);
      } else value += v;
      i = end + 1;
    }
    return { value, problems };
  };
}
