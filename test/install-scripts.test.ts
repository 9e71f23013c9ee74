// `npm ci` prints no install-script advisory (npm 11) and is not blocked (npm 12): every
// dependency with an install script in the lock file is covered by package.json's allowScripts.
import * as fs from 'node:fs';
import { expect, it } from 'vitest';

it('allowScripts covers every dependency that has an install script', () => {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { allowScripts?: Record<string, boolean> };
  const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages)
    .filter(([, p]) => p.hasInstallScript)
    .map(([where, p]) => ({ name: where.replace(/^.*node_modules\//, ''), version: p.version }));
  expect(withScripts.length).toBeGreaterThan(0);
  for (const { name, version } of withScripts) {
    const allowed = pkg.allowScripts?.[name] ?? pkg.allowScripts?.[`${name}@${version}`];
    expect(allowed, `${name}@${version} runs an install script: review it, then npm install-scripts approve ${name}`).toBe(true);
  }
});
