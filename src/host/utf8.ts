// UTF-8 and base64 on plain Uint8Arrays, through the native codecs Node puts on Buffer.prototype
// (utf8Slice, utf8Write, base64Slice: the same code as Buffer's toString and write). Why not Buffer:
// Buffer.from, allocUnsafe, byteLength and Buffer's own methods are JavaScript that Node compiles
// from its source at their first call in a process, about 90 thousand instructions each, and a
// cold `kindling transpile` called nine of them to read a config, encode two data URLs and print.
// Same results as Buffer's, lone surrogates included (each becomes U+FFFD, three bytes). Pure.

interface NativeCodecs {
  latin1Slice(this: Uint8Array, start: number, end: number): string;
  utf8Slice(this: Uint8Array, start: number, end: number): string;
  utf8Write(this: Uint8Array, text: string, offset: number, length: number): number;
  base64Slice(this: Uint8Array, start: number, end: number): string;
}
const native = Buffer.prototype as unknown as NativeCodecs;

/** The text of UTF-8 `bytes` (from `start` to `end`), as `buffer.toString('utf8', start, end)`. */
export function utf8Text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return native.utf8Slice.call(bytes, start, end);
}

/** `bytes` (from `start` to `end`) a character a byte, as `buffer.toString('latin1', start, end)`. */
export function latin1Text(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return native.latin1Slice.call(bytes, start, end);
}

/** The UTF-8 bytes of `text`, as `Buffer.from(text)`. */
export function utf8Bytes(text: string): Uint8Array {
  const out = new Uint8Array(utf8Length(text));
  native.utf8Write.call(out, text, 0, out.length);
  return out;
}

/** A character outside ASCII: where there is none, UTF-8 takes a byte a character. */
const NON_ASCII = /[^\0-\x7f]/;

/** How many bytes `text` takes in UTF-8, as `Buffer.byteLength(text)`. */
export function utf8Length(text: string): number {
  // The regular expression engine looks natively; the loop runs in V8's interpreter in a cold
  // process, some hundreds of instructions a character (a unit's contents, a file's inline text).
  if (!NON_ASCII.test(text)) return text.length;
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: two code units, four bytes
      i++;
    } else n += 2; // three bytes, also a lone surrogate (U+FFFD)
  }
  return n;
}

/** `bytes` in standard base64 with padding, as `buffer.toString('base64')`. */
export function base64(bytes: Uint8Array): string {
  return native.base64Slice.call(bytes, 0, bytes.length);
}
