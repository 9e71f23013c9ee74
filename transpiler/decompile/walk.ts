// What the decompiler carries while it walks a config.
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import type { Obj } from '../butane/tree.js';
import type { VariantSpec } from '../butane/variants.js';

export interface Walk {
  spec: VariantSpec;
  diagnostics: Diagnostic[];
  localFiles: Map<string, Buffer>;
  filesDir: boolean;
  /** Indices of storage.filesystems whose mount unit was recognised. */
  mountFilesystems: Set<number>;
  /** The whole config (local file names follow the paths of the files). */
  root: Obj;
}
