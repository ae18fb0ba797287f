import fc from 'fast-check';
import { ACCEPT, ipv4ToNumber, neighborDiscoveryFilter, udpBroadcastFilter } from '../../src/bpf/filters';
import { runBpf } from '../../src/bpf/interpreter';
import {
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ethernet,
  icmpv6Packet,
  ipv4UdpPacket,
  neighborSolicitationFrame,
  type UdpSpec,
} from '../support/frames';

const MAC_A = '02:00:00:00:00:0a';
const MAC_B = '02:00:00:00:00:0b';

const ndPacket = (type: number) =>
  icmpv6Packet({ src: 'fe80::b', dst: 'ff02::1', type, body: Buffer.alloc(20) });
const ndFrame = (type: number) => ethernet('33:33:00:00:00:01', MAC_B, ETHERTYPE_IPV6, ndPacket(type));

describe('neighborDiscoveryFilter', () => {
  const raw = neighborDiscoveryFilter('ethernet');
  const dgram = neighborDiscoveryFilter('none');

  test.each([133, 134, 135, 136])('accepts ICMPv6 type %d with and without the Ethernet header', (type) => {
    expect(runBpf(raw, ndFrame(type))).toBe(ACCEPT);
    expect(runBpf(dgram, ndPacket(type))).toBe(ACCEPT);
  });

  test.each([1, 128, 129, 130, 132, 137, 143])('drops ICMPv6 type %d', (type) => {
    expect(runBpf(raw, ndFrame(type))).toBe(0);
    expect(runBpf(dgram, ndPacket(type))).toBe(0);
  });

  test('accepts a real Neighbor Solicitation', () => {
    expect(runBpf(raw, neighborSolicitationFrame(MAC_B, '2001:db8::b', '2001:db8::77'))).toBe(ACCEPT);
  });

  test('drops ND behind an extension header, other ethertypes and truncated frames', () => {
    const behindHopByHop = ndFrame(135);
    behindHopByHop[20] = 0; // next header: hop-by-hop options
    expect(runBpf(raw, behindHopByHop)).toBe(0);
    const arp = ndFrame(135);
    arp.writeUInt16BE(0x0806, 12);
    expect(runBpf(raw, arp)).toBe(0);
    expect(runBpf(raw, ndFrame(135).subarray(0, 54))).toBe(0);
    expect(runBpf(dgram, ndPacket(135).subarray(0, 40))).toBe(0);
  });

  test('matches a reference predicate on mutated frames', () => {
    const reference = (frame: Uint8Array) =>
      frame.length > 54 &&
      ((frame[12]! << 8) | frame[13]!) === ETHERTYPE_IPV6 &&
      frame[20] === 58 &&
      frame[54]! >= 133 &&
      frame[54]! <= 136;
    fc.assert(
      fc.property(mutatedFrames([ndFrame(135), ndFrame(128), ndFrame(136)], [12, 13, 20, 54]), (frame) => {
        expect(runBpf(raw, frame) === ACCEPT).toBe(reference(frame));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('udpBroadcastFilter', () => {
  const base: UdpSpec = {
    src: '192.168.1.20',
    dst: '255.255.255.255',
    srcPort: 5000,
    dstPort: 6000,
    payload: Buffer.from('hi'),
  };
  const plain = udpBroadcastFilter();
  const directed = udpBroadcastFilter({ broadcast: '192.168.1.255' });
  const packet = (change: Partial<UdpSpec> = {}) => ipv4UdpPacket({ ...base, ...change });

  test('accepts UDP to 255.255.255.255 with both ports >= 1024', () => {
    expect(runBpf(plain, packet())).toBe(ACCEPT);
    expect(runBpf(plain, packet({ srcPort: 1024, dstPort: 1024 }))).toBe(ACCEPT);
  });

  test('accepts the directed broadcast only when configured', () => {
    expect(runBpf(plain, packet({ dst: '192.168.1.255' }))).toBe(0);
    expect(runBpf(directed, packet({ dst: '192.168.1.255' }))).toBe(ACCEPT);
    expect(runBpf(directed, packet())).toBe(ACCEPT);
    expect(runBpf(directed, packet({ dst: '192.168.1.20' }))).toBe(0);
  });

  test.each([
    ['DHCP', { srcPort: 68, dstPort: 67 }],
    ['a low source port', { srcPort: 1023 }],
    ['a low destination port', { dstPort: 1023 }],
    ['a first fragment (MF)', { fragment: 0x2000 }],
    ['a later fragment', { fragment: 0x0010 }],
  ])('drops %s', (_, change) => {
    expect(runBpf(plain, packet(change))).toBe(0);
  });

  test('drops other protocols and short packets', () => {
    const tcp = packet();
    tcp[9] = 6;
    expect(runBpf(plain, tcp)).toBe(0);
    expect(runBpf(plain, packet().subarray(0, 23))).toBe(0);
  });

  test('reads the ports after IPv4 options', () => {
    const options = Buffer.from([0x01, 0x01, 0x01, 0x00]); // NOPs and end of options
    expect(runBpf(plain, packet({ options }))).toBe(ACCEPT);
    expect(runBpf(plain, packet({ options, srcPort: 53 }))).toBe(0);
    const highLookingOptions = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    expect(runBpf(plain, packet({ options: highLookingOptions, dstPort: 137 }))).toBe(0);
  });

  test('with an Ethernet header, requires the IPv4 ethertype', () => {
    const raw = udpBroadcastFilter({ link: 'ethernet' });
    expect(runBpf(raw, ethernet('ff:ff:ff:ff:ff:ff', MAC_A, ETHERTYPE_IPV4, packet()))).toBe(ACCEPT);
    expect(runBpf(raw, ethernet('ff:ff:ff:ff:ff:ff', MAC_A, ETHERTYPE_IPV6, packet()))).toBe(0);
  });

  test('matches a reference predicate on mutated packets', () => {
    const broadcast = ipv4ToNumber('192.168.1.255');
    const reference = (bytes: Uint8Array) => {
      const view = Buffer.from(bytes);
      if (view.length < 20 || view[9] !== 17 || (view.readUInt16BE(6) & 0x3fff) !== 0) return false;
      const destination = view.readUInt32BE(16);
      if (destination !== 0xffffffff && destination !== broadcast) return false;
      const ports = (view[0]! & 0x0f) * 4;
      return (
        view.length >= ports + 4 && view.readUInt16BE(ports) >= 1024 && view.readUInt16BE(ports + 2) >= 1024
      );
    };
    const seeds = [
      packet(),
      packet({ dst: '192.168.1.255' }),
      packet({ srcPort: 80 }),
      packet({ options: Buffer.alloc(4) }),
    ];
    fc.assert(
      fc.property(mutatedFrames(seeds, [0, 6, 7, 9, 16, 19, 20, 21, 22, 23, 24, 25]), (bytes) => {
        expect(runBpf(directed, bytes) === ACCEPT).toBe(reference(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});

/** Seed frames with a few bytes overwritten (favouring the fields a filter reads) and maybe truncated. */
function mutatedFrames(seeds: Buffer[], hotOffsets: number[]): fc.Arbitrary<Uint8Array> {
  const offset = fc.oneof(fc.constantFrom(...hotOffsets), fc.nat(80));
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.tuple(offset, fc.nat(255)), { maxLength: 4 }),
      fc.option(fc.nat(80), { nil: undefined }),
    )
    .map(([seed, edits, cut]) => {
      const frame = Buffer.from(seed);
      for (const [at, value] of edits) if (at < frame.length) frame[at] = value;
      return cut === undefined ? frame : frame.subarray(0, cut);
    });
}
