// Everything generated from the config model is checked in; regenerating must change nothing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedArtifacts } from '../../scripts/artifacts.js';

describe('generated artifacts', () => {
  it('match the config model (run `npm run gen` after changing src/model)', async () => {
    const artifacts = await generatedArtifacts();
    expect(Object.keys(artifacts).length).toBeGreaterThan(8);
    for (const [file, text] of Object.entries(artifacts)) expect(readFileSync(file, 'utf8'), file).toBe(text);
  }, 60_000);
});
