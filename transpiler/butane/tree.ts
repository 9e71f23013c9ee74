// The plain tree a Butane config decodes into, and paths into it (the same shape as Ignition
// config paths, so diagnostics and provenance speak one language).
import type { ConfigPath } from '../../src/diag/diagnostic.js';

export type Path = ConfigPath;
export type Obj = Record<string, unknown>;
