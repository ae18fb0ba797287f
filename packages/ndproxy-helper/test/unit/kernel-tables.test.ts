import { rt } from 'netlink';
import { NeighbourCache } from '../../src/proxy';
import { linkUpdate, neighbourUpdate } from '../../src/system/kernel-messages';
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

describe('neighbourUpdate: kernel messages as cache updates', () => {
  const message = (overrides: {
    state?: rt.NeighborState;
    family?: number;
    proxy?: boolean;
    lladdr?: Buffer;
  }) =>
    ({
      kind: 'neighbor',
      data: {
        family: overrides.family ?? 10,
        ifindex: 3,
        state: overrides.state ?? { reachable: true },
        flags: overrides.proxy ? { proxy: true } : {},
      },
      attrs: {
        dst: Buffer.from(GUEST),
        lladdr: 'lladdr' in overrides ? overrides.lladdr : Buffer.from(MAC_A),
      },
    }) as rt.Message;

  test('a reachable or stale entry gives its MAC; DEL, INCOMPLETE and FAILED remove it', () => {
    expect(neighbourUpdate(rt.MessageType.NEWNEIGH, message({}))).toEqual({
      ifindex: 3,
      address: GUEST,
      mac: MAC_A,
    });
    expect(neighbourUpdate(rt.MessageType.NEWNEIGH, message({ state: { stale: true } }))?.mac).toEqual(MAC_A);
    expect(neighbourUpdate(rt.MessageType.DELNEIGH, message({}))?.mac).toBeUndefined();
    const incomplete = message({ state: { incomplete: true }, lladdr: undefined });
    expect(neighbourUpdate(rt.MessageType.NEWNEIGH, incomplete)?.mac).toBeUndefined();
    expect(
      neighbourUpdate(rt.MessageType.NEWNEIGH, message({ state: { failed: true } }))?.mac,
    ).toBeUndefined();
  });

  test('IPv4 entries, proxy entries and other messages are not updates', () => {
    expect(neighbourUpdate(rt.MessageType.NEWNEIGH, message({ family: 2 }))).toBeUndefined();
    expect(neighbourUpdate(rt.MessageType.NEWNEIGH, message({ proxy: true }))).toBeUndefined();
    expect(
      neighbourUpdate(rt.MessageType.NEWLINK, { kind: 'link', data: {}, attrs: {} } as rt.Message),
    ).toBeUndefined();
  });
});

describe('linkUpdate and LinkTable: interface MACs from link notifications', () => {
  const link = (ifname: string | undefined, address?: Buffer) =>
    ({ kind: 'link', data: {}, attrs: { ifname, address } }) as rt.Message;

  test('NEWLINK sets the MAC, DELLINK and links without an Ethernet address remove it', () => {
    const table = new LinkTable();
    const apply = (type: number, message: rt.Message) => {
      const update = linkUpdate(type, message);
      if (update) table.update(update.ifname, update.mac);
    };
    apply(rt.MessageType.NEWLINK, link('eth0', Buffer.from(MAC_A)));
    expect(table.macOf('eth0')).toEqual(MAC_A);
    apply(rt.MessageType.NEWLINK, link('eth0', Buffer.from(MAC_B)));
    expect(table.macOf('eth0')).toEqual(MAC_B);
    apply(rt.MessageType.DELLINK, link('eth0', Buffer.from(MAC_B)));
    expect(table.macOf('eth0')).toBeUndefined();
    apply(rt.MessageType.NEWLINK, link('tun0'));
    expect(table.macOf('tun0')).toBeUndefined();
    expect(linkUpdate(rt.MessageType.NEWLINK, link(undefined, Buffer.from(MAC_A)))).toBeUndefined();
  });
});
