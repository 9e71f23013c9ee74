// kindling karg --network CONFIG: the network section of a `variant: kindling` config as the
// kernel arguments an initramfs reads (dracut syntax). Where the section says something those
// arguments cannot, each such place is shown at its YAML line with the reason, and nothing is
// printed: a partial network on the command line is worse than none.
import type { Diagnostic } from '../diag/diagnostic.js';
import { renderPretty } from '../diag/render.js';
import { readButane } from '../../transpiler/transpile.js';
import { readNetwork } from '../../transpiler/network/interfaces.js';
import { networkKargs } from '../../transpiler/network/kargs.js';
import { networkRenderer } from '../../transpiler/variants/kindling.js';
import { readInput } from './input.js';
import { utf8Text } from '../host/utf8.js';

export function printNetworkKargs(file: string): number {
  const input = readInput(file);
  if ('error' in input) {
    process.stderr.write(`kindling karg: ${input.error}\n`);
    return 1;
  }
  const text = utf8Text(input.bytes);
  const read = readButane(text, { file: input.name });
  const diags: Diagnostic[] = read.diagnostics.filter((d) => d.severity === 'error');
  const { ctx, src } = read;
  const net = ctx && src && read.spec?.kindling !== undefined ? readNetwork(ctx, src) : undefined;
  if (ctx) diags.push(...ctx.diagnostics);
  if (!diags.length && !net) {
    process.stderr.write(`kindling karg: ${input.name} has no network section (it is written in a \`variant: kindling\` config)\n`);
    return 1;
  }
  if (net && ctx && !diags.length) {
    const plan = networkKargs(net, networkRenderer(read.spec!.variant));
    for (const p of plan.problems) diags.push(ctx.at('error', 'karg-network', `not expressible as kernel arguments: ${p.message}`, p.at));
    if (!plan.problems.length) {
      process.stdout.write(plan.args.join(' ') + '\n');
      return 0;
    }
  }
  const color = !process.env.NO_COLOR && process.stderr.isTTY === true;
  process.stderr.write(renderPretty(diags, new Map([[input.name, text]]), { color }));
  process.stderr.write('kindling karg: no kernel arguments written\n');
  return 1;
}
