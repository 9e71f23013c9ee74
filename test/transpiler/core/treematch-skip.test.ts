// The decoder says when Butane's tree comparison has nothing to find (Decoded.treeMatches), and the
// transpiler then skips it. Checked as a property: wherever the decoder says so, the comparison
// finds nothing, over the corpus, the examples and seeded mutations of them; and each shape the
// comparison warns about makes the decoder say otherwise.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeButane } from '../../../transpiler/core/decode.js';
import { treeMismatches } from '../../../transpiler/core/treematch.js';
import { allVariants, findVariant } from '../../../transpiler/butane/variants.js';
import { Locator, parseYaml } from '../../../transpiler/yaml/yaml.js';
import { corpusDir } from '../../support/corpus.js';
import { seededRandom } from '../../support/random.js';

const HEAD = 'variant: fcos\nversion: 1.5.0\n';
const MISMATCHES = [
  `${HEAD}storage:\n`,
  `${HEAD}storage: ~\n`,
  `${HEAD}storage:\n  files:\n    -\n    - path: /a\n`,
  `${HEAD}x: &a {}\nstorage: *a\n`,
  `${HEAD}storage:\n  files:\n    - &f {path: /a}\n    - *f\n`,
  `${HEAD}passwd:\n  users:\n    - name: a\n    - ~\n    - name: b\n`,
];

function check(text: string, spec = findVariant('fcos', '1.5.0')!): { skipped: boolean; found: number } | undefined {
  const parsed = parseYaml(text, 'x.bu');
  if (!parsed.root || parsed.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const loc = new Locator('x.bu', parsed.lines);
  const decoded = decodeButane(parsed.root, spec, loc);
  return { skipped: decoded.treeMatches, found: treeMismatches(parsed.root, spec, loc).length };
}

describe('skipping the tree comparison', () => {
  it('is not done where the comparison warns', () => {
    for (const t of MISMATCHES) expect(check(t), t).toEqual({ skipped: false, found: 1 });
  });

  it('is done only where the comparison finds nothing (corpus, examples, 8,000 mutations)', () => {
    const dirs = [corpusDir('transpile'), 'examples'].filter((d): d is string => !!d);
    const texts = dirs.flatMap((d) =>
      fs
        .readdirSync(d, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.bu'))
        .map((f) => fs.readFileSync(path.join(d, f), 'utf8')),
    );
    texts.push(...MISMATCHES);
    expect(texts.length).toBeGreaterThan(10);
    const specs = allVariants();
    const next = seededRandom(20261205);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const pieces = [
      ' ',
      '-',
      '- ',
      ': ',
      '#',
      '&a ',
      '*a',
      '\n',
      '~',
      'null',
      '<<: *a\n',
      '{}',
      '[]',
      '\n  - ',
      '\n    -\n',
      '\n  files:\n',
      '\n    - path: /x\n',
    ];
    let skipped = 0;
    for (let i = 0; i < texts.length + 8_000; i++) {
      let t = texts[i % texts.length];
      if (i >= texts.length)
        for (let m = 1 + Math.floor(next() * 3); m > 0; m--) {
          const at = Math.floor(next() * (t.length + 1));
          const lines = t.split('\n');
          const r = next();
          if (r < 0.4) t = t.slice(0, at) + pick(pieces) + t.slice(at);
          else if (r < 0.7) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(next() * 8));
          else t = [...lines.slice(0, at % lines.length), pick(lines), ...lines.slice(at % lines.length)].join('\n');
        }
      for (const spec of [pick(specs), findVariant('fcos', '1.5.0')!]) {
        const r = check(t, spec);
        if (!r?.skipped) continue;
        skipped++;
        expect(r.found, `${spec.variant} ${spec.version}: ${JSON.stringify(t)}`).toBe(0);
      }
    }
    // The common case is skipped: most of these configs are valid.
    expect(skipped).toBeGreaterThan(1_000);
  });
});
