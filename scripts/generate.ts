// Regenerates everything derived from the config model: per-version JSON Schemas (schema/),
// TypeScript types (src/generated/types.ts) and the ajv standalone validator that the type check's
// test uses as its oracle (test/generated/validate-config.cjs). `--check` fails instead of writing
// when anything differs.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { generatedArtifacts } from './artifacts.js';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [file, text] of Object.entries(await generatedArtifacts())) {
  let old: string | undefined;
  try {
    old = readFileSync(file, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) continue;
  if (check) stale.push(file);
  else {
    mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
if (stale.length) {
  console.error(`generated files are stale (run npm run gen): ${stale.join(', ')}`);
  process.exit(1);
}
