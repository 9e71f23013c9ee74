// The config cache as the stages after fetch read it back: like Ignition (acquireCachedConfig), the
// config the fetch stage checked and wrote is unmarshalled, not validated again; a damaged cache
// fails with Ignition's message; a cache in an older version is checked and translated.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AcquireError, readCache } from '../../src/engine/acquire.js';
import { EngineLog } from '../../src/engine/log.js';
import { LATEST } from '../../src/model/versions.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-cache-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function read(text: string) {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, text);
  let logged = '';
  const log = new EngineLog((t) => (logged += t));
  try {
    return { config: readCache(file, log), logged };
  } catch (e) {
    return { error: e, logged };
  }
}

describe('the cached config', () => {
  it('is read back as the fetch stage wrote it, without the semantic checks (as Ignition does)', () => {
    // A relative path is an error of validation, which the fetch stage ran before writing.
    const cached = { ignition: { version: LATEST }, storage: { files: [{ path: 'relative', overwrite: true }] } };
    const r = read(JSON.stringify(cached));
    expect(r.config).toEqual(cached);
  });

  it('fails on a damaged cache with Ignition’s message, naming the problem', () => {
    for (const text of ['{"ignition":', JSON.stringify({ ignition: { version: LATEST }, storage: { files: 'x' } })]) {
      const r = read(text);
      expect(r.error).toBeInstanceOf(AcquireError);
      expect((r.error as Error).message).toBe('failed to parse cached config');
      expect(r.logged).not.toBe('');
    }
  });

  it('checks and translates a cache in another version', () => {
    const r = read(JSON.stringify({ ignition: { version: '3.0.0' }, storage: { files: [{ path: '/etc/a' }] } }));
    expect((r.config as { ignition: { version: string } }).ignition.version).toBe(LATEST);
    expect(read(JSON.stringify({ ignition: { version: '3.0.0' }, storage: { files: [{ path: 'relative' }] } })).error).toBeInstanceOf(AcquireError);
  });
});
