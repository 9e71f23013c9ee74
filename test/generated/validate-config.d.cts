// Generated from src/model/spec.ts by `npm run gen`. Do not edit.
import type { ErrorObject } from 'ajv';
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export = validate;
