import fc from 'fast-check';
import { ipv4ToSaddr, saddrToIpv4 } from '../../../src/dbus/ipv4-wire';

// An independent oracle: the four octets in memory order, read as a little-endian uint32.
const inMemoryLittleEndian = (address: string) => Buffer.from(address.split('.').map(Number)).readUInt32LE(0);

describe('IPv4 s_addr packing', () => {
  test.each([
    ['100.115.92.24', 0x185c7364],
    ['100.115.92.24', 408712036],
    ['1.2.3.4', 0x04030201],
    ['0.0.0.0', 0],
    ['255.255.255.255', 0xffffffff],
    ['192.168.0.1', 0x0100a8c0],
  ])('%s travels as %d', (address, saddr) => {
    expect(ipv4ToSaddr(address)).toBe(saddr);
    expect(saddrToIpv4(saddr)).toBe(address);
  });

  test('matches in_addr.s_addr on a little-endian host for every address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(ipv4ToSaddr(address)).toBe(inMemoryLittleEndian(address));
      }),
    );
  });

  test('every uint32 is an address and round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (saddr) => {
        expect(ipv4ToSaddr(saddrToIpv4(saddr))).toBe(saddr);
      }),
    );
  });

  test.each([-1, 2 ** 32, 1.5, Number.NaN])('%d is not a uint32', (value) => {
    expect(() => saddrToIpv4(value)).toThrow(RangeError);
  });

  test.each(['1.2.3', '256.1.1.1', '01.2.3.4', ' 1.2.3.4'])('refuses to pack %j', (text) => {
    expect(() => ipv4ToSaddr(text)).toThrow(expect.objectContaining({ code: 'PP_ERR_ADDRESSING' }));
  });
});
