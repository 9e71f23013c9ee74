// The types of the Butane view's fields (model.ts), and shorthands to declare them as data.
import type { Scalar } from '../../src/model/spec.js';
import type { Version } from '../../src/model/versions.js';

export type BType = Scalar | { list: BType } | { obj: string; later?: Record<string, Version> } | { map: BType };

export const s = 'string' as const;
export const i = 'integer' as const;
export const b = 'boolean' as const;
export const list = (t: BType): BType => ({ list: t });
export const obj = (name: string): BType => ({ obj: name });
