// xz and zstd through their command-line tools (xz-utils, zstd): Node has neither codec, and the
// delivery commands run on an installing machine, not in the initramfs.
import { spawnSync } from 'node:child_process';
import { defaultTools, type Tools } from '../host/tools.js';
import type { Codecs } from './compression.js';

const PACKAGE: Record<string, string> = { xz: 'xz-utils', zstd: 'zstd' };

export class ToolError extends Error {}

function pipe(tool: string, args: string[], input: Buffer, what: string): Buffer {
  const r = spawnSync(tool, args, { input, maxBuffer: 4 << 30 });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    const name = tool.slice(tool.lastIndexOf('/') + 1);
    throw new ToolError(missing ? `${what} needs ${name}, which is not installed (apt-get install ${PACKAGE[name] ?? name})` : `${what}: ${r.error.message}`);
  }
  if (r.status !== 0) throw new ToolError(`${what}: ${tool} exited ${r.status}: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

export function toolCodecs(tools: Pick<Tools, 'xz' | 'zstd'> = defaultTools): Codecs & { xz(data: Buffer): Buffer } {
  return {
    unxz: (data) => pipe(tools.xz, ['--decompress', '--stdout', '--single-stream'], data, 'reading an xz-compressed archive'),
    unzstd: (data) => pipe(tools.zstd, ['--decompress', '--stdout', '--quiet'], data, 'reading a zstd-compressed archive'),
    // Preset 9 and a CRC32 check, as coreos-installer writes them (the kernel rejects CRC64/SHA-256).
    xz: (data) => pipe(tools.xz, ['--compress', '--stdout', '--check=crc32', '-9'], data, 'compressing the initrd'),
  };
}
