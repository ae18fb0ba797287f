import { formatMac, parseMac } from '../../src/mac';
import { netnsPath } from '../../src/netns';
import { openPacketSocket } from '../../src/packet-socket';
import { openRawIpv4Socket } from '../../src/raw-ipv4';
import { createTap, openTap } from '../../src/tap';
import { openUdpSocket } from '../../src/udp';
import { isInterfaceName } from '../../src/validate';

// These reject before the addon is touched: they run without root and without a build.
const invalid = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('MAC addresses', () => {
  test('parse text and bytes, format back', () => {
    expect([...parseMac('02:00:5E:10:00:ff')]).toEqual([2, 0, 0x5e, 0x10, 0, 0xff]);
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(parseMac(bytes)).toBe(bytes);
    expect(formatMac(bytes)).toBe('01:02:03:04:05:06');
  });

  test.each(['', '02:00:00:00:00', '02:00:00:00:00:00:00', '02-00-00-00-00-00', 'zz:00:00:00:00:00'])(
    'rejects %j',
    (text) => {
      expect(invalid(() => parseMac(text))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    },
  );

  test('rejects short and long byte arrays', () => {
    expect(invalid(() => parseMac(new Uint8Array(5)))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
    expect(invalid(() => parseMac(new Uint8Array(8)))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
  });
});

describe('namespace targets', () => {
  test('resolve to nsfs paths', () => {
    expect(netnsPath({ pid: 42 })).toBe('/proc/42/ns/net');
    expect(netnsPath({ name: 'ppt123-a' })).toBe('/run/netns/ppt123-a');
    expect(netnsPath({ path: '/proc/self/ns/net' })).toBe('/proc/self/ns/net');
  });

  test.each([
    { pid: 0 },
    { pid: 1.5 },
    { name: '../etc' },
    { name: '..' },
    { name: '' },
    { path: 'relative' },
  ])('rejects %j', (target) => {
    expect(invalid(() => netnsPath(target))).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
  });
});

describe('option validation', () => {
  test.each<[string, () => unknown]>([
    ['packet socket protocol', () => openPacketSocket({ protocol: 0x10000 })],
    ['packet socket mode', () => openPacketSocket({ protocol: 3, mode: 'cooked' as 'raw' })],
    ['packet socket interface name', () => openPacketSocket({ protocol: 3, interface: 'a/b' })],
    ['packet socket interface index', () => openPacketSocket({ protocol: 3, interface: -2 })],
    ['packet socket filter', () => openPacketSocket({ protocol: 3, filter: [] })],
    ['UDP family', () => openUdpSocket({ family: 5 as 4 })],
    [
      'UDP group family',
      () => openUdpSocket({ family: 4, memberships: [{ group: 'ff02::fb', interface: 1 }] }),
    ],
    ['UDP port', () => openUdpSocket({ family: 6, port: 70000 })],
    ['UDP device', () => openUdpSocket({ family: 6, device: 'x'.repeat(16) })],
    ['raw IPv4 device', () => openRawIpv4Socket({ device: '' })],
    ['TAP name', () => createTap({ name: 'tap/0' })],
    ['TAP owner', () => createTap({ name: 'tap0', owner: -5 })],
    ['TAP template when opening', () => openTap('tap%d')],
  ])('%s', (_, run) => {
    expect(invalid(run)).toBe('PP_ERR_NETIO_INVALID_ARGUMENT');
  });
});

describe('isInterfaceName', () => {
  test.each(['eth0', 'arc_ns12', 'wlan0.100', 'br-lan', 'a', 'x'.repeat(15), 'eth0:1', 'veth@1'])(
    '%j is one',
    (name) => {
      expect(isInterfaceName(name)).toBe(true);
    },
  );

  test.each([
    '',
    'x'.repeat(16),
    'eth0 -j ACCEPT',
    '../etc',
    'a/b',
    '.',
    '..',
    'eth0\n',
    'eth0;id',
    'et h0',
    42,
    undefined,
    null,
  ])('%j is not', (name) => {
    expect(isInterfaceName(name)).toBe(false);
  });
});
