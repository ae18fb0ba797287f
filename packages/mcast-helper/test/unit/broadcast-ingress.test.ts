import { ingressCopy, internetChecksum, isOwnIngress, parseBroadcastPacket } from '../../src/broadcast';
import {
  BRIDGE_BROADCAST,
  buildPacket,
  headerSum,
  ipNumber,
  LAN_BROADCAST,
  LAN_SENDER,
  onesComplementSum,
  type PacketSpec,
  udpSum,
} from './broadcast-packets';

const bridgeBroadcast = ipNumber('100.115.92.7');

function copyOf(spec: PacketSpec): { original: Uint8Array; copy: Uint8Array } {
  const original = buildPacket(spec);
  const result = parseBroadcastPacket(original, { directedBroadcast: ipNumber('192.168.1.255') });
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return { original, copy: ingressCopy(result.packet, bridgeBroadcast) };
}

/** Offsets at which two equally long byte strings differ. */
function differences(a: Uint8Array, b: Uint8Array): number[] {
  expect(a.length).toBe(b.length);
  return [...a.keys()].filter((i) => a[i] !== b[i]);
}

describe('ingressCopy', () => {
  test('readdresses a directed broadcast to the bridge, with both checksums valid', () => {
    const { original, copy } = copyOf({
      destination: LAN_BROADCAST,
      payload: [0xde, 0xad, 0xbe, 0xef, 0x01],
    });
    expect([...copy.subarray(16, 20)]).toEqual(BRIDGE_BROADCAST);
    expect(headerSum(copy)).toBe(0xffff);
    expect(udpSum(copy)).toBe(0xffff);
    // Only the destination and the two checksums change: source, ports, TTL, ID and payload are kept.
    expect(
      differences(original, copy).every(
        (i) => (i >= 16 && i < 20) || i === 10 || i === 11 || i === 26 || i === 27,
      ),
    ).toBe(true);
    expect([...copy.subarray(12, 16)]).toEqual(LAN_SENDER);
  });

  test('keeps 255.255.255.255: the copy equals the valid original byte for byte', () => {
    const { original, copy } = copyOf({ ttl: 1, identification: 0xabcd, sourcePort: 50000 });
    expect([...copy]).toEqual([...original]);
  });

  test('repairs no checksum it was not asked to: a limited broadcast with a zeroed UDP checksum keeps 0', () => {
    const { copy } = copyOf({ udpChecksum: 'none' });
    expect([copy[26], copy[27]]).toEqual([0, 0]);
    expect(headerSum(copy)).toBe(0xffff);
  });

  test('a directed broadcast with no UDP checksum is readdressed and still carries none', () => {
    const { copy } = copyOf({ destination: LAN_BROADCAST, udpChecksum: 'none' });
    expect([...copy.subarray(16, 20)]).toEqual(BRIDGE_BROADCAST);
    expect([copy[26], copy[27]]).toEqual([0, 0]);
    expect(headerSum(copy)).toBe(0xffff);
  });

  test('replaces a wrong UDP checksum by a correct one', () => {
    const { copy } = copyOf({ udpChecksum: 0x1234 });
    expect(udpSum(copy)).toBe(0xffff);
  });

  test('sends a UDP checksum that computes to 0 as 0xffff', () => {
    // Choose the last payload word so that pseudo-header + segment sum to 0xffff after readdressing: the
    // computed checksum is then 0, which UDP must send as 0xffff.
    const udpLength = 8 + 4;
    const pseudo = [...LAN_SENDER, ...BRIDGE_BROADCAST, 0, 17, 0, udpLength];
    const fixed = onesComplementSum([
      ...pseudo,
      0x9c,
      0x40,
      0x27,
      0x0f,
      0,
      udpLength,
      0,
      0,
      0x12,
      0x34,
      0,
      0,
    ]);
    const word = 0xffff - fixed;
    const { copy } = copyOf({ destination: LAN_BROADCAST, payload: [0x12, 0x34, word >> 8, word & 0xff] });
    expect([copy[26], copy[27]]).toEqual([0xff, 0xff]);
    expect(udpSum(copy)).toBe(0xffff);
  });

  test('copies IP options (IHL 6) and puts the UDP checksum after them', () => {
    const options = [0x94, 0x04, 0x00, 0x00];
    const { original, copy } = copyOf({ options, destination: LAN_BROADCAST, payload: [1, 2, 3] });
    expect(copy.length).toBe(24 + 8 + 3);
    expect([...copy.subarray(20, 24)]).toEqual(options);
    expect(headerSum(copy)).toBe(0xffff);
    expect(udpSum(copy)).toBe(0xffff);
    expect(
      differences(original, copy).every((i) => (i >= 16 && i < 20) || [10, 11, 30, 31].includes(i)),
    ).toBe(true);
  });

  test('trims link-layer padding to the total length', () => {
    const { copy } = copyOf({ payload: [5, 6], padding: new Array<number>(20).fill(0) });
    expect(copy.length).toBe(30);
    expect(copy[2]! * 256 + copy[3]!).toBe(30);
  });

  test('keeps bytes after the UDP datagram and leaves them out of the UDP checksum', () => {
    const { copy } = copyOf({ destination: LAN_BROADCAST, payload: [5], trailer: [0xaa, 0xbb, 0xcc] });
    expect(copy.length).toBe(32);
    expect([...copy.subarray(29)]).toEqual([0xaa, 0xbb, 0xcc]);
    expect(udpSum(copy)).toBe(0xffff);
  });

  test('returns a new buffer: the received one may be reused at once', () => {
    const { original, copy } = copyOf({ destination: LAN_BROADCAST });
    expect(copy.buffer).not.toBe(original.buffer);
    expect([...original.subarray(16, 20)]).toEqual(LAN_BROADCAST);
  });
});

describe('isOwnIngress', () => {
  const result = parseBroadcastPacket(buildPacket(), { directedBroadcast: undefined });
  const packet = result.ok ? result.packet : undefined;

  test('is true only for the LAN address itself', () => {
    expect(isOwnIngress(packet!, ipNumber('192.168.1.20'))).toBe(true);
    expect(isOwnIngress(packet!, ipNumber('192.168.1.21'))).toBe(false);
  });
});

describe('internetChecksum', () => {
  test('matches a published IPv4 header example', () => {
    const header = Uint8Array.from([
      0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0,
      0xa8, 0x00, 0xc7,
    ]);
    expect(internetChecksum(header)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(internetChecksum(header)).toBe(0);
  });

  test('pads an odd last byte with zero and adds the initial sum', () => {
    expect(internetChecksum(Uint8Array.from([0x01]))).toBe(~0x0100 & 0xffff);
    expect(internetChecksum(Uint8Array.from([0x00, 0x01]), 0x2)).toBe(~0x0003 & 0xffff);
  });

  test('folds carries back in', () => {
    expect(internetChecksum(Uint8Array.from([0xff, 0xff, 0x00, 0x02]))).toBe(~0x0002 & 0xffff);
  });
});
