// gzip exactly as Go's compress/gzip + compress/flate write it at level 9 (what Butane uses for
// data URLs). zlib picks different matches and Huffman tables, so its output length differs from
// Go's, and near the size thresholds the choice between gzip and plain encodings would differ from
// Butane. This is the same algorithm (lazy matching with 4-byte hash chains, minimum match 4,
// blocks of at most 16384 tokens written as the smallest of stored/fixed/dynamic, length-limited
// Huffman codes built level by level), reimplemented for byte-identical output.
const WINDOW_BITS = 15;
const WINDOW = 1 << WINDOW_BITS;
const WINDOW_MASK = WINDOW - 1;
const MIN_MATCH = 4;
const MAX_MATCH = 258;
const MAX_BLOCK_TOKENS = 1 << 14;
const MAX_STORE = 65535;
const HASH_BITS = 17;
const HASH_SIZE = 1 << HASH_BITS;
// Level 9 parameters.
const GOOD = 32;
const LAZY = 258;
const NICE = 258;
const CHAIN = 4096;

const NUM_LIT = 286;
const NUM_OFF = 30;
const NUM_CODEGEN = 19;
const END_BLOCK = 256;
const BAD_CODE = 255;
const MATCH = 1 << 30;

const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const LENGTH_BASE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 255];
const OFFSET_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const OFFSET_BASE = [
  0x0, 0x1, 0x2, 0x3, 0x4, 0x6, 0x8, 0xc, 0x10, 0x18, 0x20, 0x30, 0x40, 0x60, 0x80, 0xc0, 0x100, 0x180, 0x200, 0x300, 0x400, 0x600, 0x800, 0xc00, 0x1000,
  0x1800, 0x2000, 0x3000, 0x4000, 0x6000,
];
const CODEGEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// Length code (0..28) for length-3, and offset code for offset-1; filled by the first goDeflate.
// Nothing here is computed when the module loads: a run that compresses nothing (a config without
// file contents, or a command that only links the transpiler in) pays nothing for it, and a cold
// run interprets every loop it meets.
const LENGTH_CODE = new Uint8Array(256);
const OFFSET_CODE_SMALL = new Uint8Array(256);
function fillCodeTables(): void {
  for (let code = 0; code < 29; code++) {
    const end = code === 28 ? 256 : LENGTH_BASE[code + 1];
    for (let x = LENGTH_BASE[code]; x < end && x < 256; x++) LENGTH_CODE[x] = code;
  }
  LENGTH_CODE[255] = 28;
  for (let code = 0; code < 16; code++) {
    const end = code === 15 ? 256 : OFFSET_BASE[code + 1];
    for (let x = OFFSET_BASE[code]; x < end; x++) OFFSET_CODE_SMALL[x] = code;
  }
}
function offsetCode(off: number): number {
  if (off < 256) return OFFSET_CODE_SMALL[off];
  if (off >> 7 < 256) return OFFSET_CODE_SMALL[off >> 7] + 14;
  return OFFSET_CODE_SMALL[off >> 14] + 28;
}

/** The low `len` bits of `code` (< 2^16) in reverse order. */
function reverse(code: number, len: number): number {
  let x = ((code & 0x5555) << 1) | ((code >> 1) & 0x5555);
  x = ((x & 0x3333) << 2) | ((x >> 2) & 0x3333);
  x = ((x & 0x0f0f) << 4) | ((x >> 4) & 0x0f0f);
  x = ((x & 0x00ff) << 8) | ((x >> 8) & 0x00ff);
  return x >> (16 - len);
}

/** A Huffman code: per symbol a (bit-reversed) code and its length. */
class Encoder {
  readonly code: Uint16Array;
  readonly len: Uint16Array;
  constructor(size: number) {
    this.code = new Uint16Array(size);
    this.len = new Uint16Array(size);
  }

  bitLength(freq: Int32Array | number[]): number {
    let total = 0;
    for (let i = 0; i < freq.length; i++) if (freq[i] !== 0) total += freq[i] * this.len[i];
    return total;
  }

  /** The minimum-redundancy code for `freq` with at most `maxBits` bits per code. */
  generate(freq: Int32Array | number[], maxBits: number): void {
    // Symbols with a non-zero frequency, ordered by (frequency, symbol): packed into one number so a
    // plain numeric typed-array sort does it.
    let count = 0;
    for (let i = 0; i < freq.length; i++) {
      if (freq[i] !== 0) SORT_KEYS[count++] = freq[i] * 1024 + i;
      else this.len[i] = 0;
    }
    if (count <= 2) {
      // Fewer than three symbols: one bit each, in symbol order.
      let next = 0;
      for (let i = 0; i < freq.length; i++) {
        if (freq[i] === 0) continue;
        this.code[i] = next++;
        this.len[i] = 1;
      }
      return;
    }
    const keys = SORT_KEYS.subarray(0, count).sort();
    for (let i = 0; i < count; i++) {
      LIST_FREQ[i] = Math.floor(keys[i] / 1024);
      LIST_LIT[i] = keys[i] % 1024;
    }
    const counts = bitCounts(count, maxBits);
    // Shortest codes go to the most frequent symbols; within one length, codes follow symbol order.
    let code = 0;
    let rest = count;
    for (let bits = 0; bits < counts.length; bits++) {
      code <<= 1;
      const k = counts[bits];
      if (bits === 0 || k === 0) continue;
      const chunk = LIST_LIT.slice(rest - k, rest).sort();
      for (let j = 0; j < chunk.length; j++) {
        const lit = chunk[j];
        this.code[lit] = reverse(code, bits);
        this.len[lit] = bits;
        code++;
      }
      rest -= k;
    }
  }
}

// Scratch space for generate/bitCounts (single-threaded, never re-entered).
const SORT_KEYS = new Float64Array(NUM_LIT + 1);
const LIST_FREQ = new Int32Array(NUM_LIT + 1);
const LIST_LIT = new Uint16Array(NUM_LIT + 1);
const MAX_FREQ = 0x7fffffff;
const LV_LAST = new Float64Array(17);
const LV_NEXT_CHAR = new Float64Array(17);
const LV_NEXT_PAIR = new Float64Array(17);
const LV_NEEDED = new Int32Array(17);
const LEAF = new Int32Array(17 * 17);

/**
 * How many of the `n` symbols (sorted by frequency in LIST_FREQ) get each code length (index =
 * bits), limited to `maxBitsIn` bits: the tree is built level by level, each level taking either
 * the next leaf or a pair from the level below, whichever is cheaper.
 */
function bitCounts(n: number, maxBitsIn: number): number[] {
  const freqAt = (i: number) => (i < n ? LIST_FREQ[i] : MAX_FREQ);
  const maxBits = Math.min(maxBitsIn, n - 1);
  const W = 17;
  LEAF.fill(0);
  LV_NEEDED.fill(0);
  LV_LAST.fill(0);
  LV_NEXT_CHAR.fill(0);
  LV_NEXT_PAIR.fill(0);
  for (let l = 1; l <= maxBits; l++) {
    LV_LAST[l] = freqAt(1);
    LV_NEXT_CHAR[l] = freqAt(2);
    LV_NEXT_PAIR[l] = l === 1 ? MAX_FREQ : freqAt(0) + freqAt(1);
    LEAF[l * W + l] = 2;
  }
  LV_NEEDED[maxBits] = 2 * n - 4;
  let level = maxBits;
  for (;;) {
    if (LV_NEXT_PAIR[level] === MAX_FREQ && LV_NEXT_CHAR[level] === MAX_FREQ) {
      LV_NEEDED[level] = 0;
      LV_NEXT_PAIR[level + 1] = MAX_FREQ;
      level++;
      continue;
    }
    const prevFreq = LV_LAST[level];
    if (LV_NEXT_CHAR[level] < LV_NEXT_PAIR[level]) {
      const k = LEAF[level * W + level] + 1;
      LV_LAST[level] = LV_NEXT_CHAR[level];
      LEAF[level * W + level] = k;
      LV_NEXT_CHAR[level] = freqAt(k);
    } else {
      LV_LAST[level] = LV_NEXT_PAIR[level];
      for (let j = 0; j < level; j++) LEAF[level * W + j] = LEAF[(level - 1) * W + j];
      LV_NEEDED[level - 1] = 2;
    }
    if (--LV_NEEDED[level] === 0) {
      if (level === maxBits) break;
      LV_NEXT_PAIR[level + 1] = prevFreq + LV_LAST[level];
      level++;
    } else {
      while (LV_NEEDED[level - 1] > 0) level--;
    }
  }
  const counts = new Array(maxBits + 1).fill(0);
  let bits = 1;
  for (let l = maxBits; l > 0; l--) counts[bits++] = LEAF[maxBits * W + l] - LEAF[maxBits * W + l - 1];
  return counts;
}

// The fixed Huffman codes of RFC 1951 3.2.6. Their lengths size every block (the first goDeflate
// fills them); the codes themselves only a block written with them needs.
const FIXED_LIT = new Encoder(NUM_LIT);
const FIXED_OFF = new Encoder(NUM_OFF);
let fixedCodes = false;
function fillFixedLengths(): void {
  FIXED_LIT.len.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, NUM_LIT);
  FIXED_OFF.len.fill(5);
}
function fillFixedCodes(): void {
  fixedCodes = true;
  for (let ch = 0; ch < NUM_LIT; ch++) {
    const len = FIXED_LIT.len[ch];
    FIXED_LIT.code[ch] = reverse(ch < 144 ? ch + 48 : ch < 256 ? ch + 400 - 144 : ch < 280 ? ch - 256 : ch + 192 - 280, len);
  }
  for (let i = 0; i < NUM_OFF; i++) FIXED_OFF.code[i] = reverse(i, 5);
}

/** LSB-first bit writer into a growing byte array, which starts with `room` bytes left free. */
class Bits {
  out: Uint8Array;
  length: number;
  private acc = 0;
  private n = 0;
  constructor(room: number) {
    this.out = new Uint8Array(room + 256);
    this.length = room;
  }
  private byte(b: number): void {
    if (this.length === this.out.length) this.grow(1);
    this.out[this.length++] = b;
  }
  private grow(need: number): void {
    const bigger = new Uint8Array(Math.max(this.out.length * 2, this.length + need));
    bigger.set(this.out.subarray(0, this.length));
    this.out = bigger;
  }
  write(value: number, count: number): void {
    this.acc |= (value & ((1 << count) - 1)) << this.n;
    this.n += count;
    while (this.n >= 8) {
      this.byte(this.acc & 0xff);
      this.acc >>>= 8;
      this.n -= 8;
    }
  }
  /** Pads to a byte boundary. */
  align(): void {
    if (this.n > 0) {
      this.byte(this.acc);
      this.acc = 0;
      this.n = 0;
    }
  }
  bytes(b: Uint8Array): void {
    if (this.out.length - this.length < b.length) this.grow(b.length);
    this.out.set(b, this.length);
    this.length += b.length;
  }
}

class BlockWriter {
  /** Made anew by reset() for each stream. */
  bits!: Bits;
  /** Set: blocks are not written, only `lowBits` (see blockLowerBound) is summed. */
  private boundOnly = false;
  lowBits = 0;
  reset(room: number, boundOnly = false): void {
    this.bits = new Bits(room);
    this.boundOnly = boundOnly;
    this.lowBits = 0;
  }
  private readonly litFreq = new Int32Array(NUM_LIT);
  private readonly offFreq = new Int32Array(NUM_OFF);
  private readonly codegenFreq = new Int32Array(NUM_CODEGEN);
  private codegen: number[] = [];
  private readonly lit = new Encoder(NUM_LIT);
  private readonly off = new Encoder(NUM_OFF);
  private readonly cg = new Encoder(NUM_CODEGEN);

  storedHeader(length: number, eof: boolean): void {
    this.bits.write(eof ? 1 : 0, 3);
    this.bits.align();
    this.bits.write(length, 16);
    this.bits.write(~length & 0xffff, 16);
  }

  private index(tokens: number[]): [number, number] {
    const [numLit, numOff] = this.count(tokens);
    this.lit.generate(this.litFreq, 15);
    this.off.generate(this.offFreq, 15);
    return [numLit, numOff];
  }

  /** Symbol frequencies of the tokens; an offset code of frequency 1 when there is no match, as Go sizes it. */
  private count(tokens: number[]): [number, number] {
    this.litFreq.fill(0);
    this.offFreq.fill(0);
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t < MATCH) {
        this.litFreq[t]++;
        continue;
      }
      const length = (t - MATCH) >>> 22;
      const offset = t & ((1 << 22) - 1);
      this.litFreq[257 + LENGTH_CODE[length]]++;
      this.offFreq[offsetCode(offset)]++;
    }
    let numLit = NUM_LIT;
    while (this.litFreq[numLit - 1] === 0) numLit--;
    let numOff = NUM_OFF;
    while (numOff > 0 && this.offFreq[numOff - 1] === 0) numOff--;
    if (numOff === 0) {
      this.offFreq[0] = 1;
      numOff = 1;
    }
    return [numLit, numOff];
  }

  /** Run-length encoding of the code lengths (RFC 1951 3.2.7), with the frequencies of its symbols. */
  private generateCodegen(numLit: number, numOff: number): void {
    this.codegenFreq.fill(0);
    const sizes: number[] = [];
    for (let i = 0; i < numLit; i++) sizes.push(this.lit.len[i]);
    for (let i = 0; i < numOff; i++) sizes.push(this.off.len[i]);
    sizes.push(BAD_CODE);
    const out: number[] = [];
    let size = sizes[0];
    let count = 1;
    for (let i = 1; size !== BAD_CODE; i++) {
      const next = sizes[i];
      if (next === size) {
        count++;
        continue;
      }
      if (size !== 0) {
        out.push(size);
        this.codegenFreq[size]++;
        count--;
        while (count >= 3) {
          const k = Math.min(6, count);
          out.push(16, k - 3);
          this.codegenFreq[16]++;
          count -= k;
        }
      } else {
        while (count >= 11) {
          const k = Math.min(138, count);
          out.push(18, k - 11);
          this.codegenFreq[18]++;
          count -= k;
        }
        if (count >= 3) {
          out.push(17, count - 3);
          this.codegenFreq[17]++;
          count = 0;
        }
      }
      for (count--; count >= 0; count--) {
        out.push(size);
        this.codegenFreq[size]++;
      }
      size = next;
      count = 1;
    }
    out.push(BAD_CODE);
    this.codegen = out;
  }

  private dynamicSize(extra: number): [number, number] {
    let numCodegens = NUM_CODEGEN;
    while (numCodegens > 4 && this.codegenFreq[CODEGEN_ORDER[numCodegens - 1]] === 0) numCodegens--;
    const header =
      3 + 5 + 5 + 4 + 3 * numCodegens + this.cg.bitLength(this.codegenFreq) + this.codegenFreq[16] * 2 + this.codegenFreq[17] * 3 + this.codegenFreq[18] * 7;
    return [header + this.lit.bitLength(this.litFreq) + this.off.bitLength(this.offFreq) + extra, numCodegens];
  }

  private dynamicHeader(numLit: number, numOff: number, numCodegens: number, eof: boolean): void {
    const b = this.bits;
    b.write(eof ? 5 : 4, 3);
    b.write(numLit - 257, 5);
    b.write(numOff - 1, 5);
    b.write(numCodegens - 4, 4);
    for (let i = 0; i < numCodegens; i++) b.write(this.cg.len[CODEGEN_ORDER[i]], 3);
    for (let i = 0; ;) {
      const word = this.codegen[i++];
      if (word === BAD_CODE) break;
      b.write(this.cg.code[word], this.cg.len[word]);
      if (word === 16) b.write(this.codegen[i++], 2);
      else if (word === 17) b.write(this.codegen[i++], 3);
      else if (word === 18) b.write(this.codegen[i++], 7);
    }
  }

  /**
   * At most the bits that block() writes for these tokens, without building a Huffman code. Stored
   * and fixed-Huffman sizes are exact. A dynamic block's symbols cost at least their optimal
   * (unlimited) Huffman code, and its header at least one bit per symbol of the run-length coded
   * code lengths: exact symbols for the runs of unused codes (whose places the frequencies give),
   * half a bit per used code (a repeat covers at most six for three bits).
   */
  private blockLowerBound(tokens: number[], input: Uint8Array | undefined): number {
    const [numLit, numOff] = this.count(tokens);
    // Only a match counts a length code (literal/length symbols from 257).
    const hasMatch = numLit > 257;
    const stored = input !== undefined && input.length <= MAX_STORE ? 3 + 32 + 8 * input.length : Infinity;
    // One pass over the used symbols, literal/length codes then offset codes (Go codes their
    // lengths as one sequence): the fixed code's bits, the extra bits, the dynamic header's code
    // lengths, and the frequencies the dynamic codes are built from. (Each loop runs once in a cold
    // process: it is written for the interpreter, without a call per symbol.)
    let fixed = 3;
    let extra = 0;
    let header = 3 + 5 + 5 + 4 + 3 * 4;
    let zeros = 0;
    let inRun = false;
    let nLit = 0;
    for (let i = 0; i < numLit; i++) {
      const f = this.litFreq[i];
      if (f === 0) {
        zeros++;
        inRun = false;
        continue;
      }
      fixed += f * FIXED_LIT.len[i];
      if (i >= 257 + 8) extra += f * LENGTH_EXTRA[i - 257];
      header += codegenZeros(zeros) + (inRun ? 0.5 : 1); // the first of a run of used codes alone, a repeat covers six more
      zeros = 0;
      inRun = true;
      WEIGHTS[nLit++] = f;
    }
    let nOff = 0;
    for (let i = 0; i < numOff; i++) {
      const f = this.offFreq[i];
      if (f === 0) {
        zeros++;
        inRun = false;
        continue;
      }
      // Go counts one offset code when there is no match; none is written.
      if (hasMatch) fixed += f * FIXED_OFF.len[i];
      if (i >= 4) extra += f * OFFSET_EXTRA[i];
      header += codegenZeros(zeros) + (inRun ? 0.5 : 1);
      zeros = 0;
      inRun = true;
      WEIGHTS[nLit + nOff++] = f;
    }
    header += codegenZeros(zeros);
    const dynamic = Math.ceil(header) + huffmanCost(WEIGHTS.subarray(0, nLit)) + (hasMatch ? huffmanCost(WEIGHTS.subarray(nLit, nLit + nOff)) : 0) + extra;
    return Math.min(stored, fixed + extra, dynamic);
  }

  /** Writes tokens as the smallest of a stored, fixed-Huffman or dynamic-Huffman block. */
  block(tokensIn: number[], eof: boolean, input: Uint8Array | undefined): void {
    // The caller starts a new token list after each block.
    const tokens = tokensIn;
    tokens.push(END_BLOCK);
    if (this.boundOnly) {
      this.lowBits += this.blockLowerBound(tokens, input);
      return;
    }
    const [numLit, numOff] = this.index(tokens);
    const storable = input !== undefined && input.length <= MAX_STORE;
    const storedSize = storable ? (input.length + 5) * 8 : 0;
    let extra = 0;
    if (storable) {
      for (let c = 257 + 8; c < numLit; c++) extra += this.litFreq[c] * LENGTH_EXTRA[c - 257];
      for (let c = 4; c < numOff; c++) extra += this.offFreq[c] * OFFSET_EXTRA[c];
    }
    let lit = FIXED_LIT;
    let off = FIXED_OFF;
    let size = 3 + FIXED_LIT.bitLength(this.litFreq) + FIXED_OFF.bitLength(this.offFreq) + extra;
    this.generateCodegen(numLit, numOff);
    this.cg.generate(this.codegenFreq, 7);
    const [dyn, numCodegens] = this.dynamicSize(extra);
    if (dyn < size) {
      size = dyn;
      lit = this.lit;
      off = this.off;
    }
    if (storable && storedSize < size) {
      this.storedHeader(input.length, eof);
      this.bits.bytes(input);
      return;
    }
    if (lit === FIXED_LIT) {
      if (!fixedCodes) fillFixedCodes();
      this.bits.write(eof ? 3 : 2, 3);
    } else this.dynamicHeader(numLit, numOff, numCodegens, eof);
    const b = this.bits;
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k];
      if (t < MATCH) {
        b.write(lit.code[t], lit.len[t]);
        continue;
      }
      const length = (t - MATCH) >>> 22;
      const lc = LENGTH_CODE[length];
      b.write(lit.code[lc + 257], lit.len[lc + 257]);
      if (LENGTH_EXTRA[lc] > 0) b.write(length - LENGTH_BASE[lc], LENGTH_EXTRA[lc]);
      const offset = t & ((1 << 22) - 1);
      const oc = offsetCode(offset);
      b.write(off.code[oc], off.len[oc]);
      if (OFFSET_EXTRA[oc] > 0) b.write(offset - OFFSET_BASE[oc], OFFSET_EXTRA[oc]);
    }
  }
}

/** Symbols (at least one bit each) and extra bits that Go's code-length coding spends on a run of `count` unused codes. */
function codegenZeros(count: number): number {
  let bits = 0;
  for (; count >= 11; count -= Math.min(138, count)) bits += 1 + 7;
  if (count >= 3) return bits + 1 + 3;
  return bits + count;
}

/** Frequencies of the used symbols of one block, for huffmanCost (single-threaded, never re-entered). */
const WEIGHTS = new Float64Array(NUM_LIT + NUM_OFF);
const MERGED = new Float64Array(NUM_LIT + NUM_OFF);

/**
 * The cost in bits of an optimal prefix code for these (non-zero) frequencies, which it sorts in
 * place (Go gives one bit each to one or two symbols).
 */
function huffmanCost(weights: Float64Array): number {
  const n = weights.length;
  if (n <= 2) return n === 0 ? 0 : n === 1 ? weights[0] : weights[0] + weights[1];
  weights.sort(); // numeric: a typed array's own sort
  // Two queues: the sorted leaves, and the merged nodes (made in increasing order).
  let li = 0;
  let mi = 0;
  let mn = 0;
  let cost = 0;
  for (let left = n; left > 1; left--) {
    let w = 0;
    for (let k = 0; k < 2; k++) w += mi >= mn || (li < n && weights[li] <= MERGED[mi]) ? weights[li++] : MERGED[mi++];
    cost += w;
    MERGED[mn++] = w;
  }
  return cost;
}

/**
 * Inputs up to this size are compressed with small tables made for the call. Go's 17-bit hash
 * only shortens the chains of earlier positions that findMatch walks; a chain that mixes in other
 * 4-byte prefixes finds the same matches (they cannot match 4 bytes), and it cannot use up the
 * CHAIN tries when the whole input has fewer positions. So the output is Go's, and a small config
 * file does not touch (page in) 640 KiB of tables.
 */
const SMALL_INPUT = CHAIN;
const SMALL_HASH_BITS = 12;

// The large tables are kept between calls and never cleared. Each call starts its position
// numbering above every value a previous call stored, so old entries read as "before the window"
// exactly like the empty entries of a fresh table.
let large: { window: Uint8Array; hashHead: Uint32Array; hashPrev: Uint32Array } | undefined;
let nextBase = 1;

let writer: BlockWriter | undefined;

/**
 * Raw deflate stream as Go's flate.Writer at level 9 produces it (Write once, then Close), after
 * `room` bytes left for the caller: in the returned writer's `bits`, or, with `boundOnly`, only
 * its size bounded from below in `lowBits`.
 */
function deflate(data: Uint8Array, room: number, boundOnly = false): BlockWriter {
  if (!writer) {
    fillCodeTables();
    fillFixedLengths();
    writer = new BlockWriter();
  }
  const w = writer;
  w.reset(room, boundOnly);
  const small = data.length <= SMALL_INPUT;
  let window: Uint8Array;
  let hashHead: Uint32Array;
  let hashPrev: Uint32Array;
  let hashOffset: number;
  const hashShift = 32 - (small ? SMALL_HASH_BITS : HASH_BITS);
  if (small) {
    window = new Uint8Array(data.length + MIN_MATCH + MAX_MATCH);
    hashHead = new Uint32Array(1 << SMALL_HASH_BITS);
    hashPrev = new Uint32Array(Math.max(data.length, 1));
    hashOffset = 1;
  } else {
    large ??= { window: new Uint8Array(2 * WINDOW), hashHead: new Uint32Array(HASH_SIZE), hashPrev: new Uint32Array(WINDOW) };
    ({ window, hashHead, hashPrev } = large);
    if (nextBase > 0x7fffffff - data.length - 4 * WINDOW) {
      hashHead.fill(0);
      hashPrev.fill(0);
      nextBase = 1;
    }
    // Go rebases its positions after 16 MiB; that never changes the output, and our numbering
    // stays far below 2^32 (see the reset above), so it is not needed here.
    hashOffset = nextBase;
  }
  let chainHead = -1;
  let index = 0;
  let windowEnd = 0;
  let blockStart = 0;
  let byteAvailable = false;
  let tokens: number[] = [];
  let length = MIN_MATCH - 1;
  let offset = 0;
  let maxInsertIndex = 0;
  let sync = false;

  const hash4 = (i: number) => Math.imul((window[i + 3] | (window[i + 2] << 8) | (window[i + 1] << 16) | (window[i] << 24)) >>> 0, 0x1e35a7bd) >>> hashShift;

  const writeBlock = (at: number) => {
    if (at > 0) {
      const input = blockStart <= at ? window.subarray(blockStart, at) : undefined;
      blockStart = at;
      w.block(tokens, false, input);
    }
  };

  // findMatch's result, when it returns true.
  let matchLength = 0;
  let matchOffset = 0;
  const findMatch = (pos: number, prevHead: number, prevLength: number, lookahead: number): boolean => {
    const look = Math.min(MAX_MATCH, lookahead);
    const nice = Math.min(look, NICE);
    let tries = CHAIN;
    let len = prevLength;
    let off = 0;
    let ok = false;
    if (len >= GOOD) tries >>= 2;
    let wEnd = window[pos + len];
    const minIndex = pos - WINDOW;
    for (let i = prevHead; tries > 0; tries--) {
      if (wEnd === window[i + len]) {
        let n = 0;
        while (n < look && window[i + n] === window[pos + n]) n++;
        if (n > len && (n > MIN_MATCH || pos - i <= 4096)) {
          len = n;
          off = pos - i;
          ok = true;
          if (n >= nice) break;
          wEnd = window[pos + n];
        }
      }
      if (i === minIndex) break;
      i = hashPrev[i & WINDOW_MASK] - hashOffset;
      if (i < minIndex || i < 0) break;
    }
    matchLength = len;
    matchOffset = off;
    return ok;
  };

  const step = () => {
    if (windowEnd - index < MIN_MATCH + MAX_MATCH && !sync) return;
    maxInsertIndex = windowEnd - (MIN_MATCH - 1);
    for (;;) {
      const lookahead = windowEnd - index;
      if (lookahead < MIN_MATCH + MAX_MATCH) {
        if (!sync) break;
        if (lookahead === 0) {
          if (byteAvailable) {
            tokens.push(window[index - 1]);
            byteAvailable = false;
          }
          if (tokens.length > 0) {
            writeBlock(index);
            tokens = [];
          }
          break;
        }
      }
      if (index < maxInsertIndex) {
        const h = hash4(index);
        chainHead = hashHead[h];
        hashPrev[index & WINDOW_MASK] = chainHead;
        hashHead[h] = index + hashOffset;
      }
      const prevLength = length;
      const prevOffset = offset;
      length = MIN_MATCH - 1;
      offset = 0;
      const minIndex = Math.max(index - WINDOW, 0);
      if (chainHead - hashOffset >= minIndex && lookahead > prevLength && prevLength < LAZY) {
        if (findMatch(index, chainHead - hashOffset, MIN_MATCH - 1, lookahead)) {
          length = matchLength;
          offset = matchOffset;
        }
      }
      if (prevLength >= MIN_MATCH && length <= prevLength) {
        // The match found at the previous byte is at least as good: emit it.
        tokens.push(MATCH + ((prevLength - 3) << 22) + (prevOffset - 1));
        const newIndex = index + prevLength - 1;
        for (index++; index < newIndex; index++) {
          if (index < maxInsertIndex) {
            const h = hash4(index);
            hashPrev[index & WINDOW_MASK] = hashHead[h];
            hashHead[h] = index + hashOffset;
          }
        }
        byteAvailable = false;
        length = MIN_MATCH - 1;
        if (tokens.length === MAX_BLOCK_TOKENS) {
          writeBlock(index);
          tokens = [];
        }
      } else {
        if (byteAvailable) {
          const i = index - 1;
          tokens.push(window[i]);
          if (tokens.length === MAX_BLOCK_TOKENS) {
            writeBlock(i + 1);
            tokens = [];
          }
        }
        index++;
        byteAvailable = true;
      }
    }
  };

  const fill = (b: Uint8Array): number => {
    if (index >= 2 * WINDOW - (MIN_MATCH + MAX_MATCH)) {
      window.copyWithin(0, WINDOW, 2 * WINDOW);
      index -= WINDOW;
      windowEnd -= WINDOW;
      blockStart = blockStart >= WINDOW ? blockStart - WINDOW : 0x7fffffff;
      hashOffset += WINDOW;
    }
    const n = Math.min(b.length, window.length - windowEnd);
    window.set(b.subarray(0, n), windowEnd);
    windowEnd += n;
    return n;
  };

  let rest = data;
  while (rest.length > 0) {
    step();
    rest = rest.subarray(fill(rest));
  }
  sync = true;
  step();
  w.storedHeader(0, true);
  if (!small) nextBase = hashOffset + windowEnd + 1;
  w.bits.align();
  return w;
}

// CRC-32 (IEEE) for the gzip trailer. node:zlib has one, but loading node:zlib costs a cold
// `kindling transpile` more than compressing every resource of a typical config.
let crcTable: Int32Array | undefined;
function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** gzip member as Go's gzip.Writer at level 9 writes it: mtime 0, XFL 2, OS 255. */
export function goGzip(data: Uint8Array): Buffer {
  const { bits } = deflate(data, 10);
  bits.out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff], 0);
  const crc = crc32(data);
  const size = data.length >>> 0;
  for (let k = 0; k < 32; k += 8) bits.write((crc >>> k) & 0xff, 8);
  for (let k = 0; k < 32; k += 8) bits.write((size >>> k) & 0xff, 8);
  return Buffer.from(bits.out.buffer, bits.out.byteOffset, bits.length);
}

/**
 * At most goGzip(data).length, for a small input (SMALL_INPUT bytes or fewer; else undefined): the
 * same matches, sized without building the Huffman codes or writing (a third of the cost, for a
 * config file's text).
 */
export function goGzipLengthAtLeast(data: Uint8Array): number | undefined {
  if (data.length > SMALL_INPUT) return undefined;
  return memberLength(deflate(data, 0, true).lowBits);
}

/**
 * The bytes of a gzip member whose data blocks take `bits` bits: the 18 bytes of gzip framing, the
 * blocks, and Go's empty final stored block (3 bits, then a byte boundary and 4 bytes).
 */
function memberLength(bits: number): number {
  return 18 + Math.ceil((bits + 3) / 8) + 4;
}

/** Frequencies of the bytes no match can cover, and the bytes seen, for goGzipLengthBelowMatches. */
const FORCED = new Int32Array(256);
const SEEN_BYTE = new Uint8Array(256);
/**
 * For each number of bits m, the first place in CODEGEN_ORDER that holds a code length of 1 to m
 * bits (it holds 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 at places 4 to 18).
 */
const FIRST_PLACE_UP_TO = [19, 17, 15, 13, 11, 9, 7, 5, 4, 4, 4, 4, 4, 4, 4, 4];

/**
 * A looser lower bound than goGzipLengthAtLeast for the same small inputs, found in one pass
 * without finding the matches (which a cold process pays for dearly: the deflate code, its hash
 * chains and its closures, for a config's few short files). Whatever Go's matches are:
 * - A byte can be inside a match only if one of the 4-byte strings starting at it or at the three
 *   bytes before occurred earlier (a match of 4 or more bytes repeats each of its 4-byte strings).
 *   Every other byte is a literal, and there are at most (coverable bytes)/4 matches.
 * - Its single block costs at least the stored size, or the fixed code's 8 or 9 bits for each of
 *   those literals, or a dynamic block: the optimal (unlimited) prefix code's cost of those
 *   literals and the end of block; half a bit per used code length and 8/138 of a bit per code of a
 *   byte that never occurs; and the code-length code's own lengths, 3 bits each, which Go writes in
 *   CODEGEN_ORDER up to the last one used. A complete code of k symbols has a length of at most
 *   log2(k) bits, so the literal code uses one of at most log2(bytes + 1 + matches) bits and the
 *   distance code one of at most log2(matches) (Go gives one or two codes 1 bit each), and
 *   CODEGEN_ORDER places short lengths last.
 */
export function goGzipLengthBelowMatches(data: Uint8Array): number | undefined {
  const n = data.length;
  if (n === 0 || n > SMALL_INPUT) return undefined;
  const { distinct, forced, fixedBits, used } = forcedLiterals(data);
  const literals = huffmanCost(WEIGHTS.subarray(0, used + 1));
  const matches = Math.floor((n - forced) / 4);
  const distances = Math.max(1, Math.min(30, matches));
  const codegens =
    1 +
    Math.max(
      3,
      FIRST_PLACE_UP_TO[Math.floor(Math.log2(distinct + 1 + Math.min(matches, 29)))],
      FIRST_PLACE_UP_TO[distances <= 2 ? 1 : Math.floor(Math.log2(distances))],
    );
  const header = 3 + 5 + 5 + 4 + 3 * codegens + 0.5 * (used + 1) + 0.5 + ((256 - distinct) * 8) / 138;
  const block = Math.min(3 + 32 + 8 * n, 3 + fixedBits + 7, Math.ceil(header) + literals);
  return memberLength(block);
}

/**
 * The bytes no match can cover (the literals): their frequencies in FORCED, and in WEIGHTS with the
 * end of block's last; their number and the fixed code's bits for them; and the number of distinct
 * bytes of the input.
 */
function forcedLiterals(data: Uint8Array): { distinct: number; forced: number; fixedBits: number; used: number } {
  FORCED.fill(0);
  SEEN_BYTE.fill(0);
  const strings = new Set<number>();
  let distinct = 0;
  let forced = 0;
  let lastRepeat = -4; // the last start of a 4-byte string that occurred before it
  for (let q = 0; q < data.length; q++) {
    const b = data[q];
    if (SEEN_BYTE[b] === 0) {
      SEEN_BYTE[b] = 1;
      distinct++;
    }
    if (q + 3 < data.length) {
      const s = b | (data[q + 1] << 8) | (data[q + 2] << 16) | (data[q + 3] << 24);
      if (strings.has(s)) lastRepeat = q;
      else strings.add(s);
    }
    if (q - lastRepeat > 3) {
      FORCED[b]++;
      forced++;
    }
  }
  let fixedBits = 0; // as the fixed code writes them
  let used = 0;
  for (let c = 0; c < 256; c++) {
    const f = FORCED[c];
    if (f === 0) continue;
    fixedBits += f * (c < 144 ? 8 : 9);
    WEIGHTS[used++] = f;
  }
  WEIGHTS[used] = 1; // the end of block
  return { distinct, forced, fixedBits, used };
}
