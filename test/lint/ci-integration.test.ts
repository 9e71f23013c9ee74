// The CI integrations as their hosts run them: the pre-commit hook with the real `pre-commit` tool
// on a scratch git repository (a commit with a broken config is refused), and the composite GitHub
// Action's lint step run as the runner would run it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../cli/helpers.js';

const BAD = 'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: etc/motd\n';
const GOOD = 'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n    - path: /etc/motd.d/welcome\n';
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
if (!hasPreCommit) console.log('skipping the pre-commit hook test: pre-commit is not installed (Debian package pre-commit; .ci/run installs it)');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-ci-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

describe.skipIf(!hasPreCommit)('pre-commit hook (.pre-commit-hooks.yaml)', () => {
  it('refuses a commit with a broken config, shows where, and lets a fixed one through', () => {
    const git = (cwd: string, ...args: string[]) => {
      const r = run('git', args, cwd, { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' });
      return r;
    };
    // The hook repository: this project's hook definitions, committed.
    const hooks = path.join(tmp, 'hooks');
    fs.mkdirSync(hooks);
    fs.copyFileSync('.pre-commit-hooks.yaml', path.join(hooks, '.pre-commit-hooks.yaml'));
    git(hooks, 'init', '-q');
    git(hooks, 'add', '.');
    git(hooks, 'commit', '-qm', 'hooks');
    const rev = git(hooks, 'rev-parse', 'HEAD').out.trim();
    // `kindling` on PATH, as the hook expects.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'kindling'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      PRE_COMMIT_HOME: path.join(tmp, 'cache'),
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e',
    };

    const work = path.join(tmp, 'work');
    fs.mkdirSync(work);
    git(work, 'init', '-q');
    fs.writeFileSync(path.join(work, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: kindling-lint\n`);
    fs.writeFileSync(path.join(work, 'node.bu'), BAD);
    fs.writeFileSync(path.join(work, 'compose.yaml'), 'services: {}\n');
    expect(run('pre-commit', ['install'], work, env).status).toBe(0);
    git(work, 'add', '.');

    const refused = run('git', ['commit', '-m', 'add node config'], work, env);
    expect(refused.status, refused.out).not.toBe(0);
    expect(refused.out).toMatch(/kindling lint\.+Failed/);
    expect(refused.out).toContain('node.bu:5:13: error: path not absolute');
    expect(refused.out).toContain('1 file checked: 1 error, 0 warnings');

    fs.writeFileSync(path.join(work, 'node.bu'), GOOD);
    git(work, 'add', '.');
    const accepted = run('git', ['commit', '-m', 'add node config'], work, env);
    expect(accepted.status, accepted.out).toBe(0);
    expect(accepted.out).toMatch(/kindling lint\.+Passed/);
  });
});

describe('GitHub Action (action.yml)', () => {
  const action = parse(fs.readFileSync('action.yml', 'utf8')) as {
    runs: { using: string; steps: { name?: string; run?: string; env?: Record<string, string> }[] };
    inputs: Record<string, { default: string }>;
  };
  const step = action.runs.steps.find((s) => s.name === 'kindling lint')!;

  /** The lint step as the runner runs it: expressions filled in, in bash. */
  const runStep = (inputs: Record<string, string>, cwd: string) => {
    const value = (expr: string) => {
      const m = /^\$\{\{ (github\.action_path|inputs\.([\w-]+)) \}\}(.*)$/.exec(expr)!;
      if (m[1] === 'github.action_path') return path.dirname(path.dirname(CLI)) + m[3];
      return (inputs[m[2]] ?? action.inputs[m[2]].default) + m[3];
    };
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, value(v)]));
    return run('bash', ['-e', '-c', step.run!], cwd, env);
  };

  it('is a composite action whose lint step uses the github format', () => {
    expect(action.runs.using).toBe('composite');
    expect(step.run).toContain('--format github');
  });
  it('annotates problems, fails on errors, and on warnings with strict', () => {
    const dir = path.join(tmp, 'gh');
    fs.mkdirSync(path.join(dir, 'configs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'configs', 'bad.bu'), BAD);
    const r = runStep({ paths: 'configs/' }, dir);
    expect(r.status).toBe(1);
    expect(r.out).toContain('::error file=configs/bad.bu,line=5,col=13,endLine=5,endColumn=21,title=node-path::path not absolute');
    fs.writeFileSync(path.join(dir, 'configs', 'bad.bu'), GOOD + '      contents:\n        source: https://example.com/motd\n');
    const ok = runStep({ paths: 'configs/*.bu' }, dir);
    expect(ok.status, ok.out).toBe(0);
    const strict = runStep({ paths: 'configs/*.bu', strict: 'true' }, dir);
    expect([strict.status, strict.out.includes('::warning file=configs/bad.bu')]).toEqual([1, true]);
    expect(runStep({ paths: 'configs/*.bu', strict: 'true', args: '--disable remote-no-hash' }, dir).status).toBe(0);
  });
});
