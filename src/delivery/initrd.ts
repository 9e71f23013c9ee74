// A config carried in an initrd, in coreos-installer's layout (`pxe ignition wrap`): one cpio newc
// archive holding `config.ign` at its root (each parent directory as its own 0755 entry before
// the files in it, files 0600, names sorted), xz-compressed with a CRC32 check because that is
// the only integrity check the kernel's xz decoder accepts. Appended to an initramfs, the file
// appears as /config.ign in the early root, where the dracut module picks it up.
import { type CpioEntry, readNewc, writeNewc } from './cpio.js';
import { isFileMode, S_IFDIR, S_IFREG } from '../host/modes.js';
import { type Codecs, decompressAt, detect, InitrdFormatError } from './compression.js';

export const INITRD_CONFIG_PATH = 'config.ign';

/** The cpio entries for files at `paths`, with the parent directories the kernel needs first. */
export function archiveEntries(files: Map<string, Buffer>): CpioEntry[] {
  const out: CpioEntry[] = [];
  const made = new Set<string>();
  for (const name of [...files.keys()].sort()) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (made.has(dir)) continue;
      made.add(dir);
      out.push({ name: dir, mode: S_IFDIR | 0o755, data: Buffer.alloc(0) });
    }
    out.push({ name, mode: S_IFREG | 0o600, data: files.get(name)! });
  }
  return out;
}

/** The uncompressed archive for a config; compress it with `xz --check=crc32` to match. */
export function configArchive(config: Buffer): Buffer {
  return writeNewc(archiveEntries(new Map([[INITRD_CONFIG_PATH, config]])));
}

/**
 * Regular files in every archive of an initrd (plain or compressed, concatenated, zero padding
 * between), the last copy of a path winning as it does when the kernel unpacks them. `want`
 * limits which paths are kept.
 */
export function readInitrd(buf: Buffer, codecs: Codecs, want: (name: string) => boolean = () => true): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const take = (archive: Buffer, start: number): number => {
    const { entries, end } = readNewc(archive, start);
    for (const e of entries) if (isFileMode(e.mode) && want(e.name)) files.set(e.name, Buffer.from(e.data));
    return end;
  };
  let p = 0;
  while (p < buf.length) {
    if (buf[p] === 0) {
      p++;
      continue;
    }
    const kind = detect(buf, p);
    if (kind === 'none') {
      p = take(buf, p);
      continue;
    }
    const { data, end } = decompressAt(buf, p, kind, codecs);
    // A compressed segment may hold several archives back to back.
    let q = 0;
    while (q < data.length) {
      if (data[q] === 0) q++;
      else q = take(data, q);
    }
    p = end;
  }
  if (buf.length === 0) throw new InitrdFormatError('the initrd is empty');
  return files;
}

/** The config in an initrd, or undefined when it holds none. */
export function unwrapConfig(buf: Buffer, codecs: Codecs): Buffer | undefined {
  return readInitrd(buf, codecs, (n) => n === INITRD_CONFIG_PATH).get(INITRD_CONFIG_PATH);
}
