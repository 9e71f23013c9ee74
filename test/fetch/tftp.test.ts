// tftp:// sources against a TFTP server implemented here (UDP on 127.0.0.1, random port).
import { randomBytes, createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, fetchResource, fetchToBuffer } from '../../src/fetch/index.js';
import { encodeRrq } from '../../src/fetch/tftp.js';
import { tftpServer, type TftpServer } from './helpers.js';

const big = randomBytes(512 * 40 + 123); // 41 blocks at 512
const exact = randomBytes(512 * 4); // ends with an empty DATA block
const large = randomBytes(300_000); // 205 blocks at blksize 1468
const files = { '/boot/config.ign': big, '/exact.bin': exact, '/large.bin': large };

let dir: string;
let server: TftpServer | null = null;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-tftp-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('tftp', () => {
  it('encodes read requests in octet mode', () => {
    expect(encodeRrq('/a', { blksize: '1468' })).toEqual(Buffer.from('\x00\x01/a\x00octet\x00blksize\x001468\x00', 'latin1'));
  });

  it('downloads a multi-block file with plain RFC 1350 512-byte blocks', async () => {
    server = await tftpServer({ files });
    const path = join(dir, 'big');
    const hash = `sha512-${createHash('sha512').update(big).digest('hex')}`;
    const r = await fetchResource({ source: `tftp://127.0.0.1:${server.port}/boot/config.ign`, verification: { hash } }, { destination: { path } });
    expect(r.bytes).toBe(big.length);
    expect(readFileSync(path).equals(big)).toBe(true);
    expect(server.requests).toEqual([{ filename: '/boot/config.ign', mode: 'octet', options: {} }]);
  });

  it('handles a size that is an exact multiple of the block size', async () => {
    server = await tftpServer({ files });
    const got = await fetchToBuffer({ source: `tftp://127.0.0.1:${server.port}/exact.bin` });
    expect(got.equals(exact)).toBe(true);
  });

  it('negotiates blksize with an OACK when asked', async () => {
    server = await tftpServer({ files, options: true });
    const got = await fetchToBuffer({ source: `tftp://127.0.0.1:${server.port}/large.bin` }, { tftp: { blksize: 1468 } });
    expect(got.equals(large)).toBe(true);
    expect(server.requests[0].options).toEqual({ blksize: '1468' });
  });

  it('falls back to 512 when the server ignores the option', async () => {
    server = await tftpServer({ files, options: false });
    const got = await fetchToBuffer({ source: `tftp://127.0.0.1:${server.port}/large.bin` }, { tftp: { blksize: 1468 } });
    expect(got.equals(large)).toBe(true);
  });

  it('recovers from lost packets', async () => {
    server = await tftpServer({ files, drop: [1, 7, 20] });
    const got = await fetchToBuffer({ source: `tftp://127.0.0.1:${server.port}/boot/config.ign` }, { tftp: { timeout: 0.5 } });
    expect(got.equals(big)).toBe(true);
  });

  it('reports a missing file and leaves no destination file', async () => {
    server = await tftpServer({ files });
    const path = join(dir, 'missing');
    const e = await fetchResource({ source: `tftp://127.0.0.1:${server.port}/nope` }, { destination: { path } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FetchError);
    expect((e as FetchError).code).toBe('not-found');
    expect((e as Error).message).toBe('tftp: server error 1: File not found');
    expect(existsSync(path)).toBe(false);
  });

  it('gives up when nobody answers', async () => {
    server = await tftpServer({ files });
    const port = server.port;
    await server.close();
    server = null;
    const t0 = Date.now();
    const e = await fetchToBuffer({ source: `tftp://127.0.0.1:${port}/x` }, { tftp: { timeout: 0.2, retries: 2 } }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/^tftp: /);
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
