import {
  type BroadcastAcceptance,
  type BroadcastPacket,
  type BroadcastRejectReason,
  parseBroadcastPacket,
} from '../../src/broadcast';
import { buildPacket, ipNumber, LAN_BROADCAST, type PacketSpec } from './broadcast-packets';

const lan: BroadcastAcceptance = { directedBroadcast: ipNumber('192.168.1.255') };
/** A Router Alert option (RFC 2113): 4 bytes, so IHL 6. */
const ROUTER_ALERT = [0x94, 0x04, 0x00, 0x00];

function accepted(packet: Uint8Array, accept = lan): BroadcastPacket {
  const result = parseBroadcastPacket(packet, accept);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.packet;
}

function reasonOf(spec: PacketSpec | Uint8Array, accept = lan): BroadcastRejectReason | 'accepted' {
  const result = parseBroadcastPacket(spec instanceof Uint8Array ? spec : buildPacket(spec), accept);
  return result.ok ? 'accepted' : result.reason;
}

describe('parseBroadcastPacket accepts', () => {
  test('a limited broadcast, exposing its fields and the payload as a view', () => {
    const bytes = buildPacket({ sourcePort: 1024, destinationPort: 65535, ttl: 3, identification: 0xbeef });
    const packet = accepted(bytes);
    expect(packet).toMatchObject({
      source: ipNumber('192.168.1.20'),
      destination: 0xffffffff,
      limitedBroadcast: true,
      sourcePort: 1024,
      destinationPort: 65535,
      ttl: 3,
      identification: 0xbeef,
      headerLength: 20,
    });
    expect([...packet.payload]).toEqual([1, 2, 3, 4, 5]);
    expect(packet.payload.buffer).toBe(bytes.buffer);
    expect(packet.payload.byteOffset).toBe(28);
    expect(packet.segment.length).toBe(13);
    expect(packet.datagram.length).toBe(33);
  });

  test('the directed broadcast of the receiving interface', () => {
    const packet = accepted(buildPacket({ destination: LAN_BROADCAST }));
    expect(packet.destination).toBe(ipNumber('192.168.1.255'));
    expect(packet.limitedBroadcast).toBe(false);
  });

  test('an empty payload (UDP length 8)', () => {
    expect(accepted(buildPacket({ payload: [] })).payload.length).toBe(0);
  });

  test('IP options (IHL 6): the UDP header is read after them', () => {
    const packet = accepted(buildPacket({ options: ROUTER_ALERT, sourcePort: 5000, destinationPort: 6000 }));
    expect(packet.headerLength).toBe(24);
    expect([packet.sourcePort, packet.destinationPort]).toEqual([5000, 6000]);
    expect(packet.payload.byteOffset).toBe(32);
    expect([...packet.payload]).toEqual([1, 2, 3, 4, 5]);
  });

  test('the longest header (IHL 15, 40 option bytes)', () => {
    const options = [0x01, 0x01, 0x01, 0x01, ...new Array<number>(36).fill(0)];
    expect(accepted(buildPacket({ options })).headerLength).toBe(60);
  });

  test('link-layer padding after the total length, left out of the views', () => {
    const packet = accepted(buildPacket({ payload: [9], padding: new Array<number>(17).fill(0xee) }));
    expect(packet.datagram.length).toBe(29);
    expect([...packet.payload]).toEqual([9]);
  });

  test('bytes after the UDP datagram inside the IP payload, kept in the datagram but not in the payload', () => {
    const packet = accepted(buildPacket({ payload: [7, 7], trailer: [0xaa, 0xbb] }));
    expect(packet.datagram.length).toBe(32);
    expect([...packet.payload]).toEqual([7, 7]);
  });

  test('DF set is not a fragment', () => {
    expect(reasonOf({ flagsFragment: 0x4000 })).toBe('accepted');
    expect(reasonOf({ flagsFragment: 0x0000 })).toBe('accepted');
  });
});

describe('parseBroadcastPacket rejects, never throws', () => {
  const valid = buildPacket();
  const rejections: [string, PacketSpec | Uint8Array, BroadcastRejectReason][] = [
    ['an empty packet', new Uint8Array(0), 'truncated-header'],
    ['19 bytes', valid.subarray(0, 19), 'truncated-header'],
    ['an IPv6 version nibble', { versionIhl: 0x65 }, 'not-ipv4'],
    ['IHL 4', { versionIhl: 0x44 }, 'header-length-too-short'],
    ['IHL 0', { versionIhl: 0x40 }, 'header-length-too-short'],
    [
      'IHL 15 in a 33-byte packet cut to 24 bytes',
      buildPacket({ versionIhl: 0x4f }).subarray(0, 24),
      'header-exceeds-packet',
    ],
    [
      'a total length one short of IP + UDP headers',
      { payload: [], totalLengthDelta: -1 },
      'total-length-too-short',
    ],
    [
      'a total length with options shorter than IHL * 4 + 8',
      { options: [1, 1, 1, 1], payload: [], totalLengthDelta: -4 },
      'total-length-too-short',
    ],
    ['a total length past the received bytes', { totalLengthDelta: 1 }, 'total-length-exceeds-packet'],
    ['a packet cut after the UDP header', valid.subarray(0, 28), 'total-length-exceeds-packet'],
    ['TCP', { protocol: 6 }, 'not-udp'],
    ['a first fragment (MF)', { flagsFragment: 0x2000 }, 'fragment'],
    ['a later fragment (offset 1)', { flagsFragment: 0x0001 }, 'fragment'],
    ['a UDP length of 7', { payload: [], udpLengthDelta: -1 }, 'udp-length-too-short'],
    ['a UDP length past the datagram', { udpLengthDelta: 1 }, 'udp-length-exceeds-datagram'],
    [
      'a UDP length past the total length, with padding that would cover it',
      { udpLengthDelta: 2, padding: [0, 0] },
      'udp-length-exceeds-datagram',
    ],
    ['source port 1023', { sourcePort: 1023 }, 'low-source-port'],
    ['source port 0', { sourcePort: 0 }, 'low-source-port'],
    ['destination port 1023 (DHCP-like low ports)', { destinationPort: 1023 }, 'low-destination-port'],
    ['the DHCP ports 68 to 67', { sourcePort: 68, destinationPort: 67 }, 'low-source-port'],
    ['a unicast destination', { destination: [192, 168, 1, 1] }, 'not-broadcast'],
    ['a multicast destination', { destination: [224, 0, 0, 251] }, 'not-broadcast'],
    ["another subnet's directed broadcast", { destination: [10, 0, 0, 255] }, 'not-broadcast'],
    ['a corrupted header checksum', { corruptHeaderChecksum: true }, 'bad-header-checksum'],
    [
      'a checksum that does not cover the options',
      { options: ROUTER_ALERT, corruptHeaderChecksum: true },
      'bad-header-checksum',
    ],
  ];
  test.each(rejections)('%s', (_name, spec, reason) => {
    expect(reasonOf(spec)).toBe(reason);
  });

  test('a directed broadcast when the interface has none', () => {
    expect(reasonOf({ destination: LAN_BROADCAST }, { directedBroadcast: undefined })).toBe('not-broadcast');
    expect(reasonOf({}, { directedBroadcast: undefined })).toBe('accepted');
  });

  test('the header checksum covers the options: changing an option byte is caught', () => {
    const bytes = buildPacket({ options: ROUTER_ALERT });
    bytes[22] = 0x01;
    expect(reasonOf(bytes)).toBe('bad-header-checksum');
  });

  test('a packet whose UDP header sits after options is not read at offset 20', () => {
    // At offset 20 this packet has ports 0x9404 and 0x0000 (the option); at offset 24 the real ones, both low.
    expect(reasonOf({ options: ROUTER_ALERT, sourcePort: 53, destinationPort: 53 })).toBe('low-source-port');
  });
});
