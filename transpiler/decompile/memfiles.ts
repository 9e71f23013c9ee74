// The decompiler's `local` files held in memory, as the transpiler's files-directory reader, so
// the decompiled YAML can be transpiled back before anything is written.
import { ERR_NO_FILES_DIR, LocalError, type LocalFiles } from '../core/local.js';

export function memoryFiles(dir: string | undefined, files: ReadonlyMap<string, Buffer>): LocalFiles {
  return {
    dir,
    read(rel) {
      if (dir === undefined) throw new LocalError(ERR_NO_FILES_DIR);
      const data = files.get(rel);
      if (!data) throw new LocalError(`cannot read local file ${rel}: no such file or directory`);
      return data;
    },
    walk() {
      throw new LocalError('the decompiler writes no trees');
    },
  };
}
