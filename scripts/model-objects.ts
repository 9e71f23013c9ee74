// src/generated/objects.ts: the model's objects by name (src/model/spec.ts), mapped to their
// generated types (src/generated/types.ts), so code that names an object by its model name (a
// semantic rule's `on`) gets that object's type, and a name the model lacks does not compile.
import { objectNames } from '../src/model/spec.js';
import { object } from '../src/model/view.js';

const BANNER = '// Generated from src/model/spec.ts by `npm run gen`. Do not edit.';

export function modelObjectArtifacts(): Record<string, string> {
  const lines = [
    BANNER,
    "import type * as T from './types.js';",
    '',
    '/** Every object of the config model, by its model name, as its generated type. */',
    'export interface ModelObjects {',
    ...objectNames().map((name) => `  ${name}: T.${object(name).title};`),
    '}',
    '',
  ];
  return { 'src/generated/objects.ts': lines.join('\n') };
}
