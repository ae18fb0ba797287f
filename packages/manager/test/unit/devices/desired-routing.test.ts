import {
  desiredRouting,
  isOwnRoute,
  isOwnRule,
  PATCHPANEL_PROTOCOL,
  routingTableOf,
  routingTagOf,
} from '../../../src/devices/routing/desired-routing';
import { connected, defaultVia, route, rule } from '../../support/kernel-fixtures';

const eth0 = { ifname: 'eth0', ifindex: 2, kind: 'ethernet' } as const;
const wlan0 = { ifname: 'wlan0', ifindex: 3, kind: 'wifi' } as const;

describe('routing tables and tags (spec §5.3)', () => {
  test('table = ifindex + 1000, tag in bits 31..16', () => {
    expect(routingTableOf(2)).toBe(1002);
    expect(routingTagOf(1002)).toBe(0x03ea0000);
  });

  test('tags above 0x7fff0000 stay unsigned', () => {
    expect(routingTagOf(routingTableOf(40_000) ?? 0)).toBe(41_000 * 65_536);
  });

  test('an ifindex whose table does not fit 16 bits has none', () => {
    expect(routingTableOf(64_535)).toBe(0xffff);
    expect(routingTableOf(64_536)).toBeUndefined();
    expect(routingTableOf(0)).toBeUndefined();
  });
});

describe('desiredRouting', () => {
  const main = [
    defaultVia(2, '198.51.100.1', 100),
    connected(2, '198.51.100.0', 24, '198.51.100.2'),
    connected(2, 'fe80::', 64),
    defaultVia(3, '192.0.2.1', 600),
    connected(3, '192.0.2.0', 24, '192.0.2.7'),
    connected(9, '10.9.0.0', 16), // a veth of a guest: not physical
    route({ table: 255, oif: 2, dst: '198.51.100.2', dstLen: 32, type: 2 }), // local table
    route({ oif: 2, dst: '203.0.113.0', dstLen: 24, type: 6 }), // blackhole
    route({ oif: 2, dst: '203.0.114.0', dstLen: 24, multipath: true }),
  ];

  test('one rule per device and family, and copies of its unicast main routes in its table', () => {
    const desired = desiredRouting([eth0, wlan0], main, 1000);
    expect(
      desired.rules.map((r) => [
        r.family,
        r.priority,
        r.fwmark?.toString(16),
        r.fwmask?.toString(16),
        r.table,
      ]),
    ).toEqual([
      [4, 1000, '3ea0000', 'ffff0000', 1002],
      [6, 1000, '3ea0000', 'ffff0000', 1002],
      [4, 1000, '3eb0000', 'ffff0000', 1003],
      [6, 1000, '3eb0000', 'ffff0000', 1003],
    ]);
    expect(
      desired.routes.map((r) => `${r.table} ${r.dst}/${r.dstLen} via ${r.gateway ?? '-'} dev ${r.oif}`),
    ).toEqual([
      '1002 0.0.0.0/0 via 198.51.100.1 dev 2',
      '1002 198.51.100.0/24 via - dev 2',
      '1002 fe80::/64 via - dev 2',
      '1003 0.0.0.0/0 via 192.0.2.1 dev 3',
      '1003 192.0.2.0/24 via - dev 3',
    ]);
    expect(desired.routes.every((r) => r.protocol === PATCHPANEL_PROTOCOL)).toBe(true);
    expect(desired.rules.every(isOwnRule)).toBe(true);
    expect(desired.routes.every(isOwnRoute)).toBe(true);
  });

  test('a copy keeps metric, scope, source and nexthop', () => {
    const [copy] = desiredRouting([eth0], [connected(2, '198.51.100.0', 24, '198.51.100.2')]).routes;
    expect(copy).toEqual({ ...connected(2, '198.51.100.0', 24, '198.51.100.2'), table: 1002, protocol: 112 });
  });

  test('no devices, no routing', () => {
    expect(desiredRouting([], main)).toEqual({ rules: [], routes: [] });
  });

  test('a device beyond the 16-bit tag gets nothing', () => {
    expect(desiredRouting([{ ...eth0, ifindex: 70_000 }], main)).toEqual({ rules: [], routes: [] });
  });
});

describe('what counts as the daemon own', () => {
  test.each([
    ['another protocol', rule({ protocol: 0 })],
    ['a mark that is not the table tag', rule({ fwmark: 0x03eb0000 })],
    ['another mask', rule({ fwmask: 0xff00 })],
    ['a table of 1000 or less', rule({ table: 254, fwmark: 254 * 0x10000 })],
    ['another action', rule({ action: 2 })],
  ])('not a rule of ours: %s', (_, candidate) => {
    expect(isOwnRule(candidate)).toBe(false);
  });

  test('routes: our protocol in a per-interface table only', () => {
    expect(isOwnRoute(route({ table: 1002, protocol: 112 }))).toBe(true);
    expect(isOwnRoute(route({ table: 1002, protocol: 3 }))).toBe(false);
    expect(isOwnRoute(route({ table: 254, protocol: 112 }))).toBe(false);
  });
});
