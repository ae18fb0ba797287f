import { rt } from 'netlink';
import { ipv4AddressUpdate, linkUpdate, neighbourUpdate } from '../../src';

const GUEST = Uint8Array.from(Buffer.from('20010db8000100000000000000000005', 'hex'));
const MAC_A = Uint8Array.of(2, 0, 0, 0, 0, 0x0a);
const MAC_B = Uint8Array.of(2, 0, 0, 0, 0, 0x0b);

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

describe('linkUpdate', () => {
  const link = (ifname: string | undefined, address?: Buffer) =>
    ({ kind: 'link', data: {}, attrs: { ifname, address } }) as rt.Message;

  test('NEWLINK gives the MAC; DELLINK and links without an Ethernet address give none; no name, no update', () => {
    expect(linkUpdate(rt.MessageType.NEWLINK, link('eth0', Buffer.from(MAC_A)))).toEqual({
      ifname: 'eth0',
      mac: MAC_A,
    });
    expect(linkUpdate(rt.MessageType.NEWLINK, link('eth0', Buffer.from(MAC_B)))?.mac).toEqual(MAC_B);
    expect(linkUpdate(rt.MessageType.DELLINK, link('eth0', Buffer.from(MAC_B)))).toEqual({
      ifname: 'eth0',
      mac: undefined,
    });
    expect(linkUpdate(rt.MessageType.NEWLINK, link('tun0'))?.mac).toBeUndefined();
    expect(linkUpdate(rt.MessageType.NEWLINK, link(undefined, Buffer.from(MAC_A)))).toBeUndefined();
  });
});

describe('ipv4AddressUpdate', () => {
  const address = (family: number, local: number[] | undefined, prefixlen = 24, index = 2) =>
    ({
      kind: 'address',
      data: { family, prefixlen, index },
      attrs: local === undefined ? {} : { local: Buffer.from(local) },
    }) as rt.Message;

  test('NEWADDR and DELADDR of IPv4 addresses, with their interface and prefix length', () => {
    expect(ipv4AddressUpdate(rt.MessageType.NEWADDR, address(2, [198, 51, 100, 2]))).toEqual({
      ifindex: 2,
      address: Uint8Array.of(198, 51, 100, 2),
      prefixLength: 24,
      removed: false,
    });
    expect(ipv4AddressUpdate(rt.MessageType.DELADDR, address(2, [198, 51, 100, 2]))?.removed).toBe(true);
  });

  test('IPv6, a wrong length, a prefix over 32 or no interface is not an update', () => {
    expect(ipv4AddressUpdate(rt.MessageType.NEWADDR, address(10, [198, 51, 100, 2]))).toBeUndefined();
    expect(ipv4AddressUpdate(rt.MessageType.NEWADDR, address(2, [198, 51, 100]))).toBeUndefined();
    expect(ipv4AddressUpdate(rt.MessageType.NEWADDR, address(2, [198, 51, 100, 2], 33))).toBeUndefined();
    expect(ipv4AddressUpdate(rt.MessageType.NEWADDR, address(2, [198, 51, 100, 2], 24, 0))).toBeUndefined();
    expect(ipv4AddressUpdate(rt.MessageType.NEWADDR, address(2, undefined))).toBeUndefined();
  });
});
