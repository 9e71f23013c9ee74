// Recognising input that is clearly not a text config (a program, an archive, a compressed or
// encrypted file), so it gets one error instead of one per line of binary noise. Only bytes that
// JSON and YAML both reject count as evidence (NUL, C0 controls other than tab, CR, LF), so the
// verdict is the one Ignition and Butane give: invalid.
import type { Diagnostic } from '../diag/diagnostic.js';
import { latin1Text } from '../host/utf8.js';

const SAMPLE = 8192;
/** The bytes counted as evidence: NUL and the C0 controls but tab, LF and CR. */
const SUSPECT = /[\0-\x08\x0b\x0c\x0e-\x1f]/;

const MAGIC: [string, number[]][] = [
  ['gzip-compressed', [0x1f, 0x8b]],
  ['xz-compressed', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd-compressed', [0x28, 0xb5, 0x2f, 0xfd]],
  ['bzip2-compressed', [0x42, 0x5a, 0x68]],
  ['a zip archive', [0x50, 0x4b, 0x03, 0x04]],
  ['an ELF program', [0x7f, 0x45, 0x4c, 0x46]],
];

/** Why `bytes` is not a text config, or undefined when it may be one. */
export function binaryKind(bytes: Uint8Array): string | undefined {
  const n = Math.min(bytes.length, SAMPLE);
  // Text holds none of them, which the regular expression engine finds in native code. The loop
  // below runs in V8's interpreter in a cold process, some 500 instructions a byte (1 M
  // instructions for a 2 KB config, 1 % of a cold `kindling plan`): it counts only when one is there.
  if (!SUSPECT.test(latin1Text(bytes, 0, n))) return undefined;
  let controls = 0;
  let nul = false;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) nul = true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) controls++;
  }
  // Text has no NUL; a stray control character or two is a typo worth a positioned error.
  return !nul && controls <= Math.max(8, n / 20) ? undefined : binaryFormat(bytes);
}

/**
 * What binary data is, by its magic number. Apart from binaryKind, whose loop runs long enough for
 * V8 to compile it to baseline code, at a cost per byte of the function's bytecode.
 */
function binaryFormat(bytes: Uint8Array): string {
  for (const [kind, magic] of MAGIC) if (magic.every((m, i) => bytes[i] === m)) return kind;
  return 'binary data';
}

export function notTextDiagnostic(kind: string, file: string | undefined): Diagnostic {
  const compressed = kind.endsWith('-compressed');
  return {
    severity: 'error',
    code: 'not-text',
    message: `not a text config: the file holds ${compressed ? kind.replace('-compressed', '-compressed data') : kind}`,
    source: { file, line: 1, column: 1 },
    hint: compressed ? 'decompress it first; an Ignition or Butane config is JSON or YAML text' : 'give an Ignition config (JSON) or a Butane config (YAML)',
  };
}
