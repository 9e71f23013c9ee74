// The files-directory reader: what a batch shares (readingOnce) reads each file once, failures
// included, and reads nothing outside the directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERR_ESCAPE, LocalError, localFiles, readingOnce } from '../../../transpiler/core/local.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readingOnce', () => {
  it('reads a file once, and gives the same failure again without looking', () => {
    fs.writeFileSync(path.join(dir, 'key.pub'), 'ssh-ed25519 AAAA one\n');
    const local = readingOnce(localFiles(dir));
    expect(local.read('key.pub').toString()).toBe('ssh-ed25519 AAAA one\n');
    // Changed on disk: the batch keeps what it read first.
    fs.writeFileSync(path.join(dir, 'key.pub'), 'changed\n');
    expect(local.read('key.pub').toString()).toBe('ssh-ed25519 AAAA one\n');
    expect(localFiles(dir).read('key.pub').toString()).toBe('changed\n');

    expect(() => local.read('missing')).toThrow(/cannot read local file missing: no such file or directory/);
    fs.writeFileSync(path.join(dir, 'missing'), 'now here');
    expect(() => local.read('missing')).toThrow(LocalError);
  });

  it('still refuses a path outside the files directory, and walks trees as before', () => {
    const local = readingOnce(localFiles(dir));
    expect(() => local.read('../etc/passwd')).toThrow(ERR_ESCAPE);
    fs.mkdirSync(path.join(dir, 'tree/sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tree/sub/a'), 'a');
    expect(local.walk('tree').map((e) => `${e.kind} ${e.rel}`)).toEqual(['dir ', 'dir sub', 'file sub/a']);
  });
});
