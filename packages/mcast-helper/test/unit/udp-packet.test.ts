import { buildUdpIpv4Packet, parseBroadcastPacket, parseIpv4Address } from '../../src/broadcast';

const address = (text: string) => parseIpv4Address(text)!;

describe('buildUdpIpv4Packet', () => {
  test('a packet with both checksums right, the given source, and the payload', () => {
    const payload = new TextEncoder().encode('HTTP/1.1 200 OK\r\n\r\n');
    const packet = buildUdpIpv4Packet({
      source: address('198.51.100.1'),
      sourcePort: 1900,
      destination: address('255.255.255.255'),
      destinationPort: 40000,
      ttl: 64,
      payload,
    });
    expect(packet.length).toBe(20 + 8 + payload.length);
    // The broadcast parser checks version, lengths and the header checksum.
    const parsed = parseBroadcastPacket(packet, { directedBroadcast: undefined });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.packet.source).toBe(address('198.51.100.1'));
    expect(parsed.packet.sourcePort).toBe(1900);
    expect(parsed.packet.ttl).toBe(64);
    expect(parsed.packet.payload).toEqual(payload);
    // UDP checksum over the pseudo-header: summing it all, checksum included, gives 0xffff.
    let sum = 17 + parsed.packet.segment.length;
    for (const bytes of [packet.subarray(12, 20), parsed.packet.segment]) {
      for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
    }
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });

  test('a payload that does not fit in one IPv4 datagram is refused', () => {
    const datagram = { source: 1, sourcePort: 1, destination: 2, destinationPort: 2, ttl: 1 };
    expect(() => buildUdpIpv4Packet({ ...datagram, payload: new Uint8Array(65_508) })).toThrow(RangeError);
    expect(buildUdpIpv4Packet({ ...datagram, payload: new Uint8Array(65_507) }).length).toBe(65_535);
  });
});
