import { PACKET_OUTGOING } from '../../src/proxy';
import {
  ALL_NODES,
  body,
  buildFrame,
  GUEST_MAC,
  ipv6,
  mac,
  option,
  ROUTER_LL,
  ROUTER_MAC,
} from './nd-frames';
import { fakeHost, macOf } from './proxy-fakes';

const ETH_SRC = 6;
const RA_FLAGS = 14 + 40 + 5;
const OPTIONS = 14 + 40 + 24; // first option of an NS/NA
const PREFIX_1 = ipv6('2001:db8:1::');
const PREFIX_2 = ipv6('2001:db8:2::');
const GUEST_GLOBAL = '2001:db8:1:0:5054:ff:feaa:bb01';

const rs = (): Uint8Array => buildFrame({ type: 133, body: body.rs(), options: [option.slla(GUEST_MAC)] });
const ra = (prefix = PREFIX_1, length = 64): Uint8Array =>
  buildFrame({
    type: 134,
    body: body.ra(),
    src: ROUTER_LL,
    dst: ALL_NODES,
    ethSrc: ROUTER_MAC,
    ethDst: mac('33:33:00:00:00:01'),
    options: [option.slla(ROUTER_MAC), option.pio(prefix, length)],
  });

/** The router's NS for the guest's global address, to its solicited-node group. */
const routerSolicitsGuest = (): Uint8Array =>
  buildFrame({
    type: 135,
    body: body.ns(ipv6(GUEST_GLOBAL)),
    src: ROUTER_LL,
    dst: ipv6('ff02::1:ffaa:bb01'),
    ethSrc: ROUTER_MAC,
    ethDst: mac('33:33:ff:aa:bb:01'),
    options: [option.slla(ROUTER_MAC)],
  });

function paired(...guests: string[]) {
  const host = fakeHost();
  for (const guest of guests) host.proxy.addPair('eth0', guest);
  return host;
}

const bytes = (frame: Uint8Array, at: number, count = 6): number[] => [...frame.subarray(at, at + count)];

describe('NdProxy forwarding', () => {
  test('an RS from a guest goes to its upstream only, rewritten to the upstream MAC', () => {
    const host = paired('br0', 'br1');
    host.receive('br0', rs());
    expect(host.sent.map((s) => s.ifname)).toEqual(['eth0']);
    const [out] = host.sent;
    expect(bytes(out!.frame, ETH_SRC)).toEqual(macOf('eth0'));
    expect(out!.mac).toEqual(mac('33:33:00:00:00:02'));
  });

  test('an RS from the upstream is not forwarded', () => {
    const host = paired('br0');
    host.receive('eth0', rs());
    expect(host.sent).toEqual([]);
  });

  test('an RA from the upstream reaches every guest with the P flag and the guest MAC', () => {
    const host = paired('br0', 'br1');
    host.receive('eth0', ra());
    expect(host.sent.map((s) => s.ifname).sort()).toEqual(['br0', 'br1']);
    for (const out of host.sent) {
      expect(out.frame[RA_FLAGS]! & 0x04).toBe(0x04);
      expect(bytes(out.frame, ETH_SRC)).toEqual(macOf(out.ifname));
    }
  });

  test('an RA from a guest is dropped', () => {
    const host = paired('br0', 'br1');
    host.receive('br0', ra());
    expect(host.sent).toEqual([]);
  });

  test('frames of unmapped interfaces and our own outgoing frames are ignored', () => {
    const host = paired('br0');
    host.receive('other', ra());
    host.receive('eth0', ra(), PACKET_OUTGOING);
    expect(host.sent).toEqual([]);
    expect(host.proxy.stats().received).toBe(0);
  });

  test('an NS from the upstream goes to each guest with the SLLA rewritten', () => {
    const host = paired('br0', 'br1');
    host.receive('eth0', routerSolicitsGuest());
    expect(host.sent.map((s) => s.ifname).sort()).toEqual(['br0', 'br1']);
    for (const out of host.sent) expect(bytes(out.frame, OPTIONS + 2)).toEqual(macOf(out.ifname));
  });

  test('an NA answers through the proxy to the learnt neighbour MAC, TLLA rewritten', () => {
    const host = paired('br0', 'br1');
    host.receive('eth0', routerSolicitsGuest());
    host.sent.length = 0;
    const na = buildFrame({
      type: 136,
      body: body.na(ipv6(GUEST_GLOBAL)),
      src: ipv6(GUEST_GLOBAL),
      dst: ROUTER_LL,
      ethDst: macOf('br0'),
      options: [option.tlla(GUEST_MAC)],
    });
    host.receive('br0', na, 0);
    const toUpstream = host.sent.find((s) => s.ifname === 'eth0');
    expect(toUpstream?.mac).toEqual(ROUTER_MAC);
    expect(bytes(toUpstream!.frame, 0)).toEqual(ROUTER_MAC);
    expect(bytes(toUpstream!.frame, OPTIONS + 2)).toEqual(macOf('eth0'));
    // Guests sharing the upstream see each other's NS/NA; the unknown neighbour there gets broadcast.
    const toSibling = host.sent.find((s) => s.ifname === 'br1');
    expect(toSibling?.mac).toEqual(mac('ff:ff:ff:ff:ff:ff'));
  });

  test('malformed frames are counted by reason and never forwarded', () => {
    const host = paired('br0');
    host.receive('eth0', buildFrame({ type: 134, body: body.ra(), hopLimit: 64 }));
    host.receive('eth0', buildFrame({ type: 134, body: body.ra(), corruptChecksum: true }));
    host.receive('eth0', buildFrame({ type: 134, body: body.ra(), corruptChecksum: true }));
    host.receive('eth0', Uint8Array.of(1, 2, 3));
    expect(host.sent).toEqual([]);
    const { dropped, received } = host.proxy.stats();
    expect(received).toBe(4);
    expect(Object.values(dropped).reduce((a, b) => a + (b ?? 0), 0)).toBe(4);
    expect(Object.keys(dropped)).toHaveLength(3);
    host.receive('eth0', ra());
    expect(host.sent).toHaveLength(1);
  });

  test('an interface without a readable MAC is skipped', () => {
    const host = paired('br0', 'br1');
    delete host.macs.br1;
    host.receive('eth0', ra());
    expect(host.sent.map((s) => s.ifname)).toEqual(['br0']);
  });
});

describe('NdProxy pairs', () => {
  test('unknown and self pairs are refused with codes', () => {
    const host = fakeHost();
    expect(() => host.proxy.addPair('eth0', 'nope')).toThrow(
      expect.objectContaining({ code: 'PP_ERR_NDPROXY_UNKNOWN_INTERFACE' }),
    );
    expect(() => host.proxy.addPair('eth0', 'eth0')).toThrow(
      expect.objectContaining({ code: 'PP_ERR_NDPROXY_INVALID_PAIR' }),
    );
  });

  test('one socket for every pair, closed once', () => {
    const host = paired('br0', 'br1');
    host.proxy.close();
    host.proxy.close();
    expect([host.socketsOpened(), host.socketsClosed()]).toEqual([1, 1]);
  });

  test('removePair stops forwarding to that guest, keeps the others', () => {
    const host = paired('br0', 'br1');
    host.proxy.removePair('eth0', 'br1');
    host.receive('eth0', ra());
    host.receive('br1', rs());
    expect(host.sent.map((s) => s.ifname)).toEqual(['br0']);
  });

  test('removeUpstream removes every pair of it', () => {
    const host = paired('br0', 'br1');
    host.proxy.removeUpstream('eth0');
    host.receive('eth0', ra());
    host.receive('br0', rs());
    expect(host.sent).toEqual([]);
  });
});

describe('NdProxy discovery', () => {
  const na = (target: string) =>
    buildFrame({ type: 136, body: body.na(ipv6(target)), src: ipv6(target), dst: ALL_NODES });

  test('a guest NA for a global address is one route event, however often it is seen', () => {
    const host = paired('br0');
    host.receive('br0', na(GUEST_GLOBAL));
    host.receive('br0', na(GUEST_GLOBAL));
    host.receive('br0', na('fd00::1'));
    expect(host.events).toEqual([
      { type: 'route', ifname: 'br0', address: GUEST_GLOBAL },
      { type: 'route', ifname: 'br0', address: 'fd00::1' },
    ]);
  });

  test('link-local targets and NAs from the upstream give nothing', () => {
    const host = paired('br0');
    host.receive('br0', na('fe80::1'));
    host.receive('eth0', na(GUEST_GLOBAL));
    expect(host.events).toEqual([]);
  });

  test('a DAD NS counts by its target, an NS with a global source by its source', () => {
    const host = paired('br0');
    const ns = (src: string, target: string) =>
      buildFrame({ type: 135, body: body.ns(ipv6(target)), src: ipv6(src), dst: ipv6('ff02::1:ff00:1') });
    host.receive('br0', ns('::', '2001:db8:1::7'));
    host.receive('br0', ns('2001:db8:1::8', 'fe80::1'));
    host.receive('br0', ns('fe80::9', '2001:db8:1::9'));
    expect(host.events.map((e) => e.address)).toEqual(['2001:db8:1::7', '2001:db8:1::8']);
  });

  test('an RA with a /64 PIO gives each guest its EUI-64 address once', () => {
    const host = paired('br0', 'br1');
    host.receive('eth0', ra());
    host.receive('eth0', ra());
    expect(host.events).toEqual([
      { type: 'add-address', ifname: 'br0', address: '2001:db8:1::ff:fe00:3' },
      { type: 'add-address', ifname: 'br1', address: '2001:db8:1::ff:fe00:4' },
    ]);
  });

  test('a longer prefix than /64 gives nothing', () => {
    const host = paired('br0');
    host.receive('eth0', ra(PREFIX_1, 80));
    expect(host.events).toEqual([]);
  });

  test('a new prefix replaces the address: del before add', () => {
    const host = paired('br0');
    host.receive('eth0', ra(PREFIX_1));
    host.receive('eth0', ra(PREFIX_2));
    expect(host.events.slice(1)).toEqual([
      { type: 'del-address', ifname: 'br0', address: '2001:db8:1::ff:fe00:3' },
      { type: 'add-address', ifname: 'br0', address: '2001:db8:2::ff:fe00:3' },
    ]);
  });

  test('removePair deletes the address and forgets routes so they are reported again', () => {
    const host = paired('br0');
    host.receive('eth0', ra());
    host.receive('br0', na(GUEST_GLOBAL));
    host.proxy.removePair('eth0', 'br0');
    expect(host.events.at(-1)).toEqual({
      type: 'del-address',
      ifname: 'br0',
      address: '2001:db8:1::ff:fe00:3',
    });
    host.proxy.addPair('eth0', 'br0');
    host.receive('br0', na(GUEST_GLOBAL));
    expect(host.events.filter((e) => e.type === 'route')).toHaveLength(2);
  });

  test('a throwing event handler does not stop forwarding', () => {
    const host = paired('br0');
    host.events.push = () => {
      throw new Error('boom');
    };
    host.receive('eth0', ra());
    expect(host.sent).toHaveLength(1);
  });
});
