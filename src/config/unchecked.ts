// Config objects as code meets them before validation has passed (semantic rules, drafts being
// written by the transpiler): typed by the model (src/generated/types.ts), but with every field
// optional and enumerations plain strings, because checking those is the validator's job.
import type { ModelObjects } from '../generated/objects.js';

export type Unchecked<T> = T extends string ? string : T extends (infer U)[] ? Unchecked<U>[] : T extends object ? { [K in keyof T]?: Unchecked<T[K]> } : T;

export type ObjectName = keyof ModelObjects;

/** A model object by name, unchecked: `UncheckedObject<'Luks'>`. */
export type UncheckedObject<K extends ObjectName> = Unchecked<ModelObjects[K]>;
