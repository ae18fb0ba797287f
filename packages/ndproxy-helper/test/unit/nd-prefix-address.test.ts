import { Buffer } from 'node:buffer';
import {
  classifyIpv6,
  eui64Address,
  type NdFrame,
  NdType,
  parseNdFrame,
  prefixInformation,
  rewriteNdFrame,
} from '../../src/nd';
import {
  ALL_NODES,
  body,
  buildFrame,
  type FrameSpec,
  GUEST_MAC,
  ipv6,
  mac,
  option,
  ROUTER_LL,
} from './nd-frames';

function parsed(spec: FrameSpec): NdFrame {
  const result = parseNdFrame(buildFrame(spec));
  if (!result.ok) throw new Error(`fixture rejected: ${result.reason}`);
  return result.frame;
}

const ra = (options: number[][]): NdFrame =>
  parsed({ type: NdType.RouterAdvertisement, body: body.ra(), src: ROUTER_LL, dst: ALL_NODES, options });

describe('golden vector computed outside this repository (Python struct + ipaddress)', () => {
  test('an NS to fe80::1 from a guest, proxied with an unknown neighbour', () => {
    const input = Buffer.from(
      '525400ccdd02525400aabb0186dd6000000000203afffe80000000000000505400fffeaabb01fe800000000000000000000000000001' +
        '8700631f00000000fe8000000000000000000000000000010101525400aabb01',
      'hex',
    );
    const expected =
      'ffffffffffff02005e10203086dd6000000000203afffe80000000000000505400fffeaabb01fe800000000000000000000000000001' +
      '8700f0de00000000fe800000000000000000000000000001010102005e102030';
    const result = parseNdFrame(input);
    if (!result.ok) throw new Error(`rejected: ${result.reason}`);
    const output = rewriteNdFrame(result.frame, {
      interfaceMac: Uint8Array.from(mac('02:00:5e:10:20:30')),
      destinationMac: Uint8Array.from(mac('ff:ff:ff:ff:ff:ff')),
    });
    expect(Buffer.from(output).toString('hex')).toBe(expected);
  });
});

describe('prefixInformation', () => {
  const prefix = ipv6('2001:db8:1::');

  test('finds a /64 PIO among other options, with its flags and lifetimes', () => {
    const found = prefixInformation(
      ra([option.slla(GUEST_MAC), option.pio(prefix, 64, 0xc0, 2592000, 604800)]),
    );
    expect(found).toEqual([
      {
        prefix: Uint8Array.from(prefix),
        prefixLength: 64,
        onLink: true,
        autonomous: true,
        validLifetime: 2592000,
        preferredLifetime: 604800,
      },
    ]);
  });

  test('returns every PIO in order, infinite lifetimes included', () => {
    const ula = ipv6('fd00:1:2:3::');
    const found = prefixInformation(
      ra([option.pio(prefix, 64, 0x40), option.pio(ula, 48, 0x80, 0xffffffff)]),
    );
    expect(found.map((p) => [p.prefixLength, p.onLink, p.autonomous, p.validLifetime])).toEqual([
      [64, false, true, 86400],
      [48, true, false, 0xffffffff],
    ]);
    expect([...found[1]!.prefix]).toEqual(ula);
  });

  test('skips a PIO of the wrong length or with a prefix length over 128', () => {
    const short = option.pio(prefix, 64).slice(0, 24);
    short[1] = 3;
    expect(prefixInformation(ra([short, option.pio(prefix, 129)]))).toEqual([]);
  });

  test('finds nothing in an RS, even with PIO-shaped bytes', () => {
    const rs = parsed({
      type: NdType.RouterSolicitation,
      body: body.rs(),
      options: [option.pio(prefix, 64)],
    });
    expect(prefixInformation(rs)).toEqual([]);
  });
});

describe('eui64Address', () => {
  test('RFC 4291 modified EUI-64: ff:fe inserted, U/L bit flipped, prefix beyond /64 ignored', () => {
    const address = eui64Address(
      Uint8Array.from(ipv6('2001:db8:1:0:ffff::')),
      Uint8Array.from(mac('00:11:22:33:44:55')),
    );
    expect([...address]).toEqual(ipv6('2001:db8:1:0:211:22ff:fe33:4455'));
  });

  test('a locally administered MAC loses the U/L bit', () => {
    const address = eui64Address(Uint8Array.from(ipv6('fd00::')), Uint8Array.from(mac('02:00:5e:10:20:30')));
    expect([...address]).toEqual(ipv6('fd00::5eff:fe10:2030'));
  });
});

describe('classifyIpv6', () => {
  test.each([
    ['2001:db8::1', 'global-unicast'],
    ['3fff:ffff::1', 'global-unicast'],
    ['fc00::1', 'unique-local'],
    ['fdff:1::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'other'],
    ['ff02::1', 'other'],
    ['::', 'other'],
    ['::1', 'other'],
    ['4000::1', 'other'],
  ])('%s is %s', (text, expected) => {
    expect(classifyIpv6(Uint8Array.from(ipv6(text)))).toBe(expected);
  });

  test('anything but 16 bytes is other', () => {
    expect(classifyIpv6(Uint8Array.of(0x20, 0x01))).toBe('other');
  });
});
