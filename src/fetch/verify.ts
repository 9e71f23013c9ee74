// Hash verification of fetched bytes (`<function>-<hex>`), computed while streaming.
import { createHash, type Hash } from 'node:crypto';
import { FetchError, hashMismatch } from './errors.js';

const HASH_HEX_LENGTH: Record<string, number> = { sha512: 128, sha256: 64 };

export interface HashSpec {
  algorithm: 'sha512' | 'sha256';
  expected: string;
}

/** Parses a verification.hash value; null/empty means "no verification". Pure. */
export function parseHashSpec(spec: string | null | undefined): HashSpec | null {
  if (!spec) return null;
  const dash = spec.indexOf('-');
  if (dash < 0) throw new FetchError('invalid', 'malformed hash specifier');
  const algorithm = spec.slice(0, dash);
  const expected = spec.slice(dash + 1);
  const len = HASH_HEX_LENGTH[algorithm];
  if (len === undefined) throw new FetchError('invalid', 'unrecognized hash function');
  if (expected.length !== len || !/^[0-9a-fA-F]*$/.test(expected)) throw new FetchError('invalid', 'incorrect size for hash sum');
  return { algorithm: algorithm as HashSpec['algorithm'], expected: expected.toLowerCase() };
}

/** Hashes and counts the bytes given to it (the fetch pipeline feeds it what flows through). */
export class Hasher {
  private readonly hash: Hash | null;
  bytes = 0;

  constructor(readonly spec: HashSpec | null) {
    this.hash = spec ? createHash(spec.algorithm) : null;
  }

  update(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
  }

  /** Throws the Ignition mismatch error unless the digest equals the expected sum. */
  check(): void {
    if (!this.spec || !this.hash) return;
    const calculated = this.hash.digest('hex');
    if (calculated !== this.spec.expected) throw hashMismatch(calculated, this.spec.expected);
  }
}
