// The network section reads IP addresses itself (node:net costs a cold transpile too much to load
// for two checks): what it accepts must be what node:net's isIPv4 and isIPv6 accept.
import * as net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familyOf } from '../../../transpiler/network/ip.js';

const nodeFamily = (s: string) => (net.isIPv4(s) ? 4 : net.isIPv6(s) ? 6 : undefined);

describe('familyOf', () => {
  it('agrees with node:net on addresses and near misses', () => {
    const cases = [
      ...['0.0.0.0', '192.0.2.1', '255.255.255.255', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3', ' 1.2.3.4', '1.2.3.4 '],
      ...['::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8::', '1:2:3:4:5:6:7:8:9'],
      ...['1::2::3', ':::', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', 'fe80::1%eth0', 'fe80::1%', 'fe80::1%a%b', 'FE80::ABCD', '12345::1'],
      ...['::ffff:192.0.2.1', '::192.0.2.1', '1:2:3:4:5:6:192.0.2.1', '1:2:3:4:5::192.0.2.1', '1:2:3:4:5:6::192.0.2.1', '192.0.2.1::'],
      ...['::ffff:1.2.3', '1.2.3.4:1::', '1:2:3:4:5:6:7:1.2.3.4', '', '%eth0', '::%eth0', 'g::1'],
    ];
    for (const c of cases) expect(familyOf(c), JSON.stringify(c)).toBe(nodeFamily(c));
  });

  it('agrees with node:net on random strings of address characters', () => {
    const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.%g'.split(''), '::', '1.2.3.4', '255', 'ffff');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 16 }), (parts) => {
        const s = parts.join('');
        expect(familyOf(s), JSON.stringify(s)).toBe(nodeFamily(s));
      }),
      { numRuns: 20000 },
    );
  });
});
