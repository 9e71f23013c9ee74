// The trees the transpiler works on, and paths into them (the same shape as Ignition config paths,
// so diagnostics and provenance speak one language):
// - `Butane.Config` and its parts: a decoded Butane config, typed from the Butane model
//   (transpiler/generated/butane-tree.ts, `npm run gen`);
// - `Draft`: an Ignition config being written (the user's translated config, the generated one),
//   typed by the Ignition model (src/generated/types.ts) but unchecked (src/config/unchecked.ts):
//   nothing is validated before the whole config is.
import type { ConfigPath } from '../../src/diag/diagnostic.js';
import type { ObjectName, Unchecked, UncheckedObject } from '../../src/config/unchecked.js';
import type * as Ignition from '../../src/generated/types.js';

export type * as Butane from '../generated/butane-tree.js';
export type Path = ConfigPath;
/** A plain object of any shape, for code that walks the model generically. */
export type Obj = Record<string, unknown>;
export type Draft = Unchecked<Ignition.Config>;
/** A draft's object of the model, by its model name, e.g. `DraftOf<'Luks'>`. */
export type DraftOf<K extends ObjectName> = UncheckedObject<K>;
