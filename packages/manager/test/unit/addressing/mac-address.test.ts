import { MacAddressGenerator, stableMac } from '../../../src/addressing/mac-address';

describe('MAC addresses', () => {
  test('stable MACs are 42:37:05:13:17:<index>', () => {
    expect(stableMac(1)).toBe('42:37:05:13:17:01');
    expect(stableMac(32)).toBe('42:37:05:13:17:20');
    expect(() => stableMac(256)).toThrow(expect.objectContaining({ code: 'PP_ERR_ADDRESSING' }));
  });

  test('random MACs are locally administered unicast and never repeat', () => {
    const generator = new MacAddressGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const mac = generator.next();
      const first = Number.parseInt(mac.slice(0, 2), 16);
      expect(first & 0x02).toBe(0x02);
      expect(first & 0x01).toBe(0);
      expect(seen.has(mac)).toBe(false);
      seen.add(mac);
    }
  });

  test('a collision or the stable prefix is drawn again', () => {
    const draws = [
      [0x02, 1, 2, 3, 4, 5],
      [0x02, 1, 2, 3, 4, 5], // the same again
      [0x42, 0x37, 0x05, 0x13, 0x17, 9], // the stable range
      [0x03, 9, 9, 9, 9, 9], // multicast bit cleared on use
    ];
    const generator = new MacAddressGenerator(() => Uint8Array.from(draws.shift()!));
    expect(generator.next()).toBe('02:01:02:03:04:05');
    expect(generator.next()).toBe('02:09:09:09:09:09');
    expect(draws).toEqual([]);
  });
});
