// A reader that goes away (`kindling ... | head`) ends the program quietly with status 141
// (128 + SIGPIPE), as Unix tools do: no "Unhandled 'error' event", no stack trace.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kindlingIntoClosedPipe } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-pipes-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Output well beyond a pipe's 64 KiB buffer.
const files = Array.from(
  { length: 3000 },
  (_, i) => `    - path: /etc/file-${i}\n      mode: 420\n      contents:\n        inline: content number ${i}\n`,
).join('');
const big = path.join(dir, 'big.bu');
fs.writeFileSync(big, `variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n${files}`);
// Thousands of warnings (unused keys), for the diagnostics streams.
const noisy = path.join(dir, 'noisy.bu');
fs.writeFileSync(noisy, `variant: fcos\nversion: 1.6.0\n${Array.from({ length: 3000 }, (_, i) => `unknown_${i}: x\n`).join('')}`);

describe('a closed pipe ends the program quietly', () => {
  it('transpile --pretty | head -c 10', async () => {
    const r = await kindlingIntoClosedPipe(['transpile', '--pretty', big]);
    expect(r.gotData).toBe(true);
    expect(r.otherOutput).toBe('');
    expect(r.status).toBe(141);
  });
  it('validate --format json | head', async () => {
    const r = await kindlingIntoClosedPipe(['validate', '--format', 'json', noisy]);
    expect(r.gotData).toBe(true);
    expect(r.otherOutput).toBe('');
    expect(r.status).toBe(141);
  });
  it('transpile 2>&1 | head: a closed stderr too', async () => {
    const r = await kindlingIntoClosedPipe(['transpile', noisy], 'stderr');
    expect(r.gotData).toBe(true);
    expect(r.status).toBe(141);
  });
});
