import type { Ipv4Address } from './address';
import { writeIpv4HeaderChecksum, writeUdpChecksum } from './checksum';
import {
  IPV4_DESTINATION,
  IPV4_MIN_HEADER_BYTES,
  IPV4_PROTOCOL,
  IPV4_SOURCE,
  IPV4_TOTAL_LENGTH,
  IPV4_TTL,
  IPV4_VERSION_IHL,
  PROTOCOL_UDP,
  UDP_DESTINATION_PORT,
  UDP_HEADER_BYTES,
  UDP_LENGTH,
  UDP_SOURCE_PORT,
  writeUint16,
  writeUint32,
} from './layout';

export interface UdpIpv4Datagram {
  readonly source: Ipv4Address;
  readonly sourcePort: number;
  readonly destination: Ipv4Address;
  readonly destinationPort: number;
  readonly ttl: number;
  readonly payload: Uint8Array;
}

/** The largest payload one IPv4 UDP datagram without options can carry. */
export const MAX_UDP_IPV4_PAYLOAD = 0xffff - IPV4_MIN_HEADER_BYTES - UDP_HEADER_BYTES;

/**
 * A whole IPv4 packet (20-byte header, UDP header, payload) with both checksums, for a raw socket that sends
 * with the source given here. Throws RangeError for a payload that does not fit.
 */
export function buildUdpIpv4Packet(datagram: UdpIpv4Datagram): Uint8Array {
  if (datagram.payload.length > MAX_UDP_IPV4_PAYLOAD) {
    throw new RangeError(`a UDP payload of ${datagram.payload.length} bytes does not fit in IPv4`);
  }
  const udpLength = UDP_HEADER_BYTES + datagram.payload.length;
  const packet = new Uint8Array(IPV4_MIN_HEADER_BYTES + udpLength);
  const header = packet.subarray(0, IPV4_MIN_HEADER_BYTES);
  header[IPV4_VERSION_IHL] = 0x45;
  writeUint16(header, IPV4_TOTAL_LENGTH, packet.length);
  header[IPV4_TTL] = datagram.ttl;
  header[IPV4_PROTOCOL] = PROTOCOL_UDP;
  writeUint32(header, IPV4_SOURCE, datagram.source);
  writeUint32(header, IPV4_DESTINATION, datagram.destination);
  writeIpv4HeaderChecksum(header);
  const segment = packet.subarray(IPV4_MIN_HEADER_BYTES);
  writeUint16(segment, UDP_SOURCE_PORT, datagram.sourcePort);
  writeUint16(segment, UDP_DESTINATION_PORT, datagram.destinationPort);
  writeUint16(segment, UDP_LENGTH, udpLength);
  segment.set(datagram.payload, UDP_HEADER_BYTES);
  writeUdpChecksum(packet, segment);
  return packet;
}
