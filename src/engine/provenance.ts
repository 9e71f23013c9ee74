// Where each entry of a Butane user config came from, carried from the fetch stage (which read the
// YAML) to later stage processes (which see only the JSON cache), so a failure report in the files
// stage still names the YAML line. Stored beside the cache; positions only, never values.
import fs from 'node:fs';
import type { ConfigPath, SourceSpan } from '../diag/diagnostic.js';
import type { Config } from '../generated/types.js';
import { childPath } from '../diag/config-path.js';

type SourceOf = (path: ConfigPath) => SourceSpan | undefined;
type Spans = Record<string, [string, number, number]>;

export function sourcesFile(configCache: string): string {
  return configCache.replace(/(\.json)?$/, '.sources.json');
}

function walk(v: unknown, path: ConfigPath, visit: (p: ConfigPath) => void): void {
  visit(path);
  if (Array.isArray(v)) v.forEach((x, i) => walk(x, childPath(path, i), visit));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, childPath(path, k), visit);
}

export function writeSources(configCache: string, user: Config, sourceOf: SourceOf | undefined): void {
  const file = sourcesFile(configCache);
  if (!sourceOf) {
    // unlink, not rmSync: fs.rmSync loads Node's recursive remover even for one file.
    try {
      fs.unlinkSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return;
  }
  const spans: Spans = {};
  walk(user, [], (p) => {
    const s = sourceOf(p);
    if (s) spans[p.join('/')] = [s.file ?? '<stdin>', s.line, s.column];
  });
  fs.writeFileSync(file, JSON.stringify(spans), { mode: 0o640 });
}

/** An entry's identity in a list, so a path into the merged config finds the user's entry. */
function identity(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const o = v as Record<string, unknown>;
  for (const k of ['path', 'name', 'device', 'source', 'number', 'label', 'url']) if (o[k] !== undefined) return `${k}=${JSON.stringify(o[k])}`;
  return '';
}

/**
 * Maps a path into the full (base + user) config to the same entry's path in the user config:
 * base configs shift list indices, so lists are matched by entry identity.
 */
export function userPath(full: unknown, user: unknown, path: ConfigPath): ConfigPath | undefined {
  const out: ConfigPath = [];
  let f = full;
  let u = user;
  for (const seg of path) {
    if (Array.isArray(f) && Array.isArray(u) && typeof seg === 'number') {
      const id = identity(f[seg]);
      const j = id ? u.findIndex((x) => identity(x) === id) : -1;
      if (j < 0) return undefined;
      out.push(j);
      f = f[seg];
      u = u[j];
    } else if (f && u && typeof f === 'object' && typeof u === 'object') {
      out.push(seg);
      f = (f as Record<string | number, unknown>)[seg];
      u = (u as Record<string | number, unknown>)[seg];
    } else return undefined;
  }
  return out;
}

/** The YAML positions recorded by the fetch stage, looked up by paths into the user config. */
export function readSources(configCache: string): Spans | undefined {
  try {
    return JSON.parse(fs.readFileSync(sourcesFile(configCache), 'utf8')) as Spans;
  } catch {
    return undefined;
  }
}

export function sourceOfSpans(spans: Spans): SourceOf {
  return (p) => {
    const s = spans[p.join('/')];
    return s ? { file: s[0], line: s[1], column: s[2] } : undefined;
  };
}
