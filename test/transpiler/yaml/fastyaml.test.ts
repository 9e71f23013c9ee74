// The fast YAML reader must either give up or produce exactly the tree (values and start
// positions) that the full `yaml` package produces.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fastParse } from '../../../transpiler/yaml/fastyaml.js';
import { fromYamlPackage, type YNode } from '../../../transpiler/yaml/ynode.js';
import { corpusDir } from '../../support/corpus.js';

/** Plain data with each node's start offset, for comparison. */
function shape(n: YNode | null | undefined, seen = new Set<YNode>()): unknown {
  if (!n) return null;
  if (n.kind === 'alias') return { alias: n.name, at: n.range[0], target: n.target ? n.target.range[0] : null };
  if (seen.has(n)) return '<cycle>';
  seen.add(n);
  try {
    if (n.kind === 'scalar') return n.plain && n.text === '' ? null : { s: n.text, plain: n.plain, at: n.range[0] };
    if (n.kind === 'seq') return { seq: n.items.map((x) => shape(x, seen)), at: n.range[0] };
    return { map: n.pairs.map((p) => [shape(p.key, seen), shape(p.value, seen)]), at: n.range[0] };
  } finally {
    seen.delete(n);
  }
}

function full(text: string): unknown {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, strict: true });
  if (Array.isArray(docs) && docs.length === 0) return null; // no document at all, like an empty one
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length) return 'error';
  return shape(fromYamlPackage(docs[0], text));
}

const transpileSet = corpusDir('transpile');
const corpus = path.join(transpileSet ?? '', 'cases');
const corpusFiles = transpileSet ? fs.readdirSync(corpus).filter((f) => f.endsWith('.bu')) : [];

const SAMPLES = [
  'a: 1\nb: two\n',
  '---\na: [1, "two", \'three\', {x: y}]\n',
  'a:\n  - b: 1\n    c: 2\n  - d\n  -\n  - e: |\n      line1\n\n      line3\n    f: >-\n      folded\n      text\n\n      para\n',
  'a: &x\n  k: v\nb: *x\nc:\n  <<: *x\n  z: 1\n',
  "key: \"esc \\n \\t \\u00e9 \\x41\"\nother: 'it''s'\n",
  'list:\n- a\n- b\nmap:\n  k: v # comment\n# full line comment\n\nend: ~\n',
  'a: |+\n  keep\n\n\nb: |-\n  strip\n\nc: >\n  x\n  y\n',
  'url: http://example.com:8080/path#frag\nmode: 0644\nempty:\nnull: null\n',
  'a: b\n  c\n', // multi-line plain: the fast reader must give up
  'a: "multi\n  line"\n',
  'a: !!str 0644\n',
  'a: 1\n---\nb: 2\n',
  'a:\n\t- tab\n',
  'a: b: c\n',
  'storage\n  files:\n',
  '- a\n- - b\n',
  'a: [1, 2\n',
  'x: {a: 1, b: [c, d], "e f": g}\n',
  'x:\n  - name: a\n    dropins:\n      - name: b\n        contents: |\n          [Service]\n          X=1\n  - name: c\n',
  'a: |\n    more\n  less\n',
  'a: >\n  x\n\n   indented\n  y\n',
  'items:\n  - &first\n    name: a\n  # between\n  - *first\n  - []\n  - {}\n"quoted key": v   \nkey with spaces  :   spaced value   \n',
  '# only a comment\n',
  '',
  'a: |\n  text\n# comment after block\nb: 2\n',
  'a:\n  b:\n    c: |\n      deep\n  d: e\nf: g\n',
  'seq:\n- x: 1\n  y: 2\n- z\n',
  'a: "x" # c\nb: \'y\' #c\nc: [a, b] # c\n',
  'a: -1\nb: -x\nc: :x\nd: x:y\ne: "a:b"\n',
  'a: |\n\n  leading blank\n',
  'a: |\n  trailing spaces   \n  \n  x\n',
  'a: |\n  x\n\n  no final newline', // Go's yaml.v3 adds no newline here; the yaml package would
  'a: |+\n  x\n  y',
];

describe('fast YAML reader', () => {
  for (const f of corpusFiles) {
    it(`corpus ${f}`, () => {
      const text = fs.readFileSync(path.join(corpus, f), 'utf8');
      const fast = fastParse(text);
      const ref = full(text);
      if (fast) expect(shape(fast.root)).toEqual(ref);
      else expect(f.startsWith('neg-yaml') || text.includes('\r')).toBe(true); // only broken or CRLF inputs need the full parser
    });
  }
  SAMPLES.forEach((text, i) => {
    it(`sample ${i}: ${JSON.stringify(text).slice(0, 40)}`, () => {
      const fast = fastParse(text);
      const ref = full(text);
      if (fast) expect(shape(fast.root)).toEqual(ref);
      else expect(true).toBe(true);
    });
  });
  it('handles the common shapes itself (no fallback)', () => {
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 17, 18]) expect(fastParse(SAMPLES[i]), `sample ${i}`).toBeDefined();
    for (const i of [8, 9, 10, 11, 12, 13, 14, 16]) expect(fastParse(SAMPLES[i]), `sample ${i}`).toBeUndefined();
  });
  it('agrees with the full parser on thousands of mutated corpus files', () => {
    const texts = corpusFiles.map((f) => fs.readFileSync(path.join(corpus, f), 'utf8')).filter((t) => !t.includes('\r'));
    if (!texts.length) return;
    let seed = 20261123;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const pieces = [
      ' ',
      '  ',
      '-',
      '- ',
      ':',
      ': ',
      '#',
      ' #',
      '"',
      "'",
      '|',
      '>',
      '[',
      ']',
      '{',
      '}',
      ',',
      '&a ',
      '*a',
      '\n',
      '\t',
      '|-',
      '>+',
      'x',
      '0644',
      '\\',
      '!!str ',
      '? ',
      '---\n',
      '...\n',
      '%',
      '@',
      '<<: *a\n',
    ];
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      let t = texts[rnd(texts.length)];
      for (let m = 1 + rnd(3); m > 0; m--) {
        const pos = rnd(t.length + 1);
        const kind = rnd(3);
        if (kind === 0) t = t.slice(0, pos) + pieces[rnd(pieces.length)] + t.slice(pos);
        else if (kind === 1) t = t.slice(0, pos) + t.slice(pos + 1 + rnd(3));
        else {
          const lines = t.split('\n');
          const j = rnd(lines.length);
          lines[j] = (rnd(2) ? ' ' : '') + lines[j].replace(/^ /, rnd(2) ? '' : ' ');
          t = lines.join('\n');
        }
      }
      const fast = fastParse(t);
      if (!fast) continue;
      accepted++;
      expect(shape(fast.root), JSON.stringify(t)).toEqual(full(t));
    }
    expect(accepted).toBeGreaterThan(1000);
  });
});
