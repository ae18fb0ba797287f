import { NeighbourCache } from '../../src/proxy';
import { LinkTable } from '../../src/system/link-table';
import { ipv6, mac } from './nd-frames';

const GUEST = Uint8Array.from(ipv6('2001:db8:1::5'));
const MAC_A = Uint8Array.from(mac('02:00:00:00:00:0a'));
const MAC_B = Uint8Array.from(mac('02:00:00:00:00:0b'));

describe('NeighbourCache', () => {
  test('frames and kernel events feed one table; the newest word wins; the kernel can remove', () => {
    const cache = new NeighbourCache();
    cache.learn(3, GUEST, MAC_A);
    expect(cache.lookup(3, GUEST)).toEqual(MAC_A);
    expect(cache.lookup(4, GUEST)).toBeUndefined();
    cache.update(3, GUEST, MAC_B);
    expect(cache.lookup(3, GUEST)).toEqual(MAC_B);
    cache.update(3, GUEST, undefined);
    expect(cache.lookup(3, GUEST)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('the unspecified source and multicast or short MACs are never recorded', () => {
    const cache = new NeighbourCache();
    cache.learn(3, new Uint8Array(16), MAC_A);
    cache.learn(3, GUEST, Uint8Array.from(mac('33:33:00:00:00:01')));
    cache.update(3, GUEST, MAC_A.subarray(0, 4));
    expect(cache.size).toBe(0);
  });

  test('each interface keeps at most its bound, the oldest going first; forget drops an interface', () => {
    const cache = new NeighbourCache(2);
    const address = (n: number) => Uint8Array.from(ipv6(`2001:db8::${n}`));
    for (const n of [1, 2, 3]) cache.learn(3, address(n), MAC_A);
    expect(cache.lookup(3, address(1))).toBeUndefined();
    expect(cache.lookup(3, address(3))).toEqual(MAC_A);
    cache.learn(4, address(1), MAC_B);
    cache.forget(3);
    expect(cache.size).toBe(1);
  });
});

describe('LinkTable', () => {
  test('a MAC per interface name, replaced by a newer one, removed by undefined', () => {
    const table = new LinkTable();
    table.update('eth0', MAC_A);
    table.update('eth0', MAC_B);
    expect(table.macOf('eth0')).toEqual(MAC_B);
    table.update('eth0', undefined);
    expect(table.macOf('eth0')).toBeUndefined();
  });
});
