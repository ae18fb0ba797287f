import fc from 'fast-check';
import { formatIp, parseIp } from '../../../src/addressing/ip-text';

describe('formatIp / parseIp', () => {
  test.each([
    [[198, 51, 100, 1], '198.51.100.1'],
    [[0, 0, 0, 0], '0.0.0.0'],
  ])('IPv4 %j is %s', (bytes, text) => {
    expect(formatIp(Uint8Array.from(bytes))).toBe(text);
  });

  test.each([
    ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ['::', '0000:0000:0000:0000:0000:0000:0000:0000'],
    ['::1', '0000:0000:0000:0000:0000:0000:0000:0001'],
    ['fe80::', 'fe80:0000:0000:0000:0000:0000:0000:0000'],
    ['2001:db8:0:1:1:1:1:1', '2001:0db8:0000:0001:0001:0001:0001:0001'],
    ['2001:0:0:1::1', '2001:0000:0000:0001:0000:0000:0000:0001'],
    ['2001:db8::1:0:0:1', '2001:0db8:0000:0000:0001:0000:0000:0001'],
  ])('IPv6 is written %s (RFC 5952)', (text, full) => {
    const bytes = Buffer.from(full.replace(/:/g, ''), 'hex');
    expect(formatIp(bytes)).toBe(text);
    expect(parseIp(text)).toEqual(bytes);
  });

  test('IPv6 text agrees with the WHATWG URL serializer and round trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (random, sparse) => {
        const bytes = sparse ? random.map((b, i) => (i % 6 < 3 ? 0 : b)) : random;
        const text = formatIp(bytes);
        return new URL(`http://[${text}]/`).hostname === `[${text}]` && parseIp(text).equals(bytes);
      }),
    );
  });

  test('IPv4 round trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (bytes) =>
        parseIp(formatIp(bytes)).equals(Buffer.from(bytes)),
      ),
    );
  });

  test.each(['', '1.2.3', 'fe80::1%eth0', '::ffff:1.2.3.4', 'x'])('parseIp refuses %j', (text) => {
    expect(() => parseIp(text)).toThrow(RangeError);
  });

  test('formatIp refuses other lengths', () => {
    expect(() => formatIp(new Uint8Array(5))).toThrow(RangeError);
  });
});
