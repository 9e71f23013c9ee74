// The cpio "newc" format the kernel unpacks initramfs archives from (070701; 070702 is the same
// with a checksum field, accepted when reading). Pure: buffers in, buffers out.
import { isDirMode } from '../host/modes.js';

export interface CpioEntry {
  name: string;
  /** File type and permission bits, e.g. 0o100600 for a regular file, 0o40755 for a directory. */
  mode: number;
  data: Buffer;
}

const TRAILER = 'TRAILER!!!';
const HEADER_LEN = 110;
const pad4 = (n: number) => (4 - (n % 4)) % 4;

function header(fields: number[]): string {
  return '070701' + fields.map((f) => f.toString(16).toUpperCase().padStart(8, '0')).join('');
}

/** One archive: the entries in order, then the trailer. Owner root, mtime 0, one link each. */
export function writeNewc(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    offset += b.length;
  };
  const entry = (ino: number, name: string, mode: number, data: Buffer) => {
    const nameBytes = Buffer.from(name + '\0', 'utf8');
    const isDir = isDirMode(mode);
    // ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
    push(Buffer.from(header([ino, mode, 0, 0, isDir ? 2 : 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0]), 'latin1'));
    push(nameBytes);
    push(Buffer.alloc(pad4(offset)));
    push(data);
    push(Buffer.alloc(pad4(offset)));
  };
  entries.forEach((e, i) => entry(i + 1, e.name, e.mode, e.data));
  entry(0, TRAILER, 0, Buffer.alloc(0));
  return Buffer.concat(parts);
}

export class CpioError extends Error {}

/**
 * Reads one archive starting at `start`: its entries (any type; directories and links have their
 * bytes as data) and the offset just past the trailer's padding.
 */
export function readNewc(buf: Buffer, start = 0): { entries: CpioEntry[]; end: number } {
  const entries: CpioEntry[] = [];
  let p = start;
  for (;;) {
    if (p + HEADER_LEN > buf.length) throw new CpioError(`cpio archive truncated at byte ${p}`);
    const magic = buf.toString('latin1', p, p + 6);
    if (magic !== '070701' && magic !== '070702') throw new CpioError(`not a newc cpio header at byte ${p} (magic ${JSON.stringify(magic)})`);
    const field = (i: number) => {
      const hex = buf.toString('latin1', p + 6 + i * 8, p + 14 + i * 8);
      if (!/^[0-9A-Fa-f]{8}$/.test(hex)) throw new CpioError(`bad cpio header field at byte ${p + 6 + i * 8}`);
      return parseInt(hex, 16);
    };
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const nameStart = p + HEADER_LEN;
    const dataStart = nameStart + nameSize + pad4(HEADER_LEN + nameSize);
    const dataEnd = dataStart + size;
    if (nameSize === 0 || dataEnd > buf.length) throw new CpioError(`cpio entry at byte ${p} runs past the end of the archive`);
    // Names are NUL-terminated; dracut's cpio pads them with further NULs.
    const rawName = buf.toString('utf8', nameStart, nameStart + nameSize);
    const name = rawName.slice(0, rawName.indexOf('\0') >= 0 ? rawName.indexOf('\0') : undefined);
    p = dataEnd + pad4(size);
    if (name === TRAILER) return { entries, end: p };
    entries.push({ name: name.replace(/^(\.\/)+/, ''), mode, data: buf.subarray(dataStart, dataEnd) });
  }
}
