import { MacCache } from '../../src/system/mac-cache';

describe('MacCache', () => {
  test('reads once per TTL and again after it, and never caches a failed read', () => {
    let now = 0;
    const reads: string[] = [];
    let value: Uint8Array | undefined = Uint8Array.of(2, 0, 0, 0, 0, 1);
    const cache = new MacCache(
      (ifname) => {
        reads.push(ifname);
        return value;
      },
      1000,
      () => now,
    );
    expect(cache.get('eth0')).toEqual(Uint8Array.of(2, 0, 0, 0, 0, 1));
    now = 999;
    value = Uint8Array.of(2, 0, 0, 0, 0, 2);
    expect(cache.get('eth0')).toEqual(Uint8Array.of(2, 0, 0, 0, 0, 1));
    now = 1000;
    expect(cache.get('eth0')).toEqual(Uint8Array.of(2, 0, 0, 0, 0, 2));
    value = undefined;
    expect(cache.get('br0')).toBeUndefined();
    expect(cache.get('br0')).toBeUndefined();
    expect(reads).toEqual(['eth0', 'eth0', 'br0', 'br0']);
  });
});
