import fc from 'fast-check';
import { formatIpv6, parseIpv6, slaacAddress } from '../../src/addressing';
import { InvalidArgumentError } from '../../src/errors';
import { HOST_SLAAC_IPV6 } from '../../src/topology';

describe('IPv6 text', () => {
  test.each([
    ['2001:db8:1::1', '2001:db8:1::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ])('%s formats as %s (RFC 5952)', (input, canonical) => {
    expect(formatIpv6(parseIpv6(input))).toBe(canonical);
  });

  test.each(['1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'g::1', '1:2:3:4::5:6:7:8', '12345::'])(
    'rejects %s',
    (bad) => {
      expect(() => parseIpv6(bad)).toThrow(InvalidArgumentError);
    },
  );

  test('format and parse are inverse on every address', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(parseIpv6(formatIpv6(bytes))).toEqual(bytes);
      }),
    );
  });
});

describe('SLAAC addresses', () => {
  test('flip the universal/local bit and insert ff:fe (what the kernel did for the host eth0)', () => {
    expect(slaacAddress('2001:db8:1::/64', '02:70:70:00:00:02')).toBe('2001:db8:1:0:70:70ff:fe00:2');
    expect(HOST_SLAAC_IPV6).toBe('2001:db8:1:0:70:70ff:fe00:2');
    expect(slaacAddress('fe80::/64', '52:54:00:12:34:56')).toBe('fe80::5054:ff:fe12:3456');
  });

  test('need a /64 and a MAC', () => {
    expect(() => slaacAddress('2001:db8::/48', '02:00:00:00:00:01')).toThrow(InvalidArgumentError);
    expect(() => slaacAddress('2001:db8::/64', '02:00:00:00:01')).toThrow(InvalidArgumentError);
  });
});
