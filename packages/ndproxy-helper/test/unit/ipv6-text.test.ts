import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { ipv6Text } from '../../src/proxy';
import { ipv6 } from './nd-frames';

describe('ipv6Text', () => {
  test.each([
    ['2001:db8::1', '2001:db8::1'],
    ['2001:db8:1:0:5054:ff:feaa:bb01', '2001:db8:1:0:5054:ff:feaa:bb01'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['::', '::'],
    ['fe80::', 'fe80::'],
    ['::1', '::1'],
  ])('%s is written %s', (input, expected) => {
    expect(ipv6Text(Uint8Array.from(ipv6(input)))).toBe(expected);
  });

  test('every address round-trips through its text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        const text = ipv6Text(bytes);
        expect(isIPv6(text)).toBe(true);
        expect(ipv6(text)).toEqual([...bytes]);
      }),
    );
  });
});
