import { type Ipv4Address, LIMITED_BROADCAST } from './address';
import { hasValidIpv4HeaderChecksum } from './checksum';
import {
  IPV4_DESTINATION,
  IPV4_FLAGS_FRAGMENT,
  IPV4_FRAGMENT_MASK,
  IPV4_IDENTIFICATION,
  IPV4_MIN_HEADER_BYTES,
  IPV4_PROTOCOL,
  IPV4_SOURCE,
  IPV4_TOTAL_LENGTH,
  IPV4_TTL,
  IPV4_VERSION,
  IPV4_VERSION_IHL,
  MIN_FORWARDED_PORT,
  PROTOCOL_UDP,
  readUint16,
  readUint32,
  UDP_DESTINATION_PORT,
  UDP_HEADER_BYTES,
  UDP_LENGTH,
  UDP_SOURCE_PORT,
} from './layout';

/** Why a received packet is not forwarded; a closed set so the forwarder can count drops per reason. */
export type BroadcastRejectReason =
  | 'truncated-header'
  | 'not-ipv4'
  | 'header-length-too-short'
  | 'header-exceeds-packet'
  | 'total-length-too-short'
  | 'total-length-exceeds-packet'
  | 'not-udp'
  | 'fragment'
  | 'udp-length-too-short'
  | 'udp-length-exceeds-datagram'
  | 'low-source-port'
  | 'low-destination-port'
  | 'not-broadcast'
  | 'bad-header-checksum';

/**
 * A validated UDP broadcast. The byte fields are views into the caller's buffer: the packet stays valid only as
 * long as the caller does not reuse that buffer.
 */
export interface BroadcastPacket {
  /** The IPv4 datagram trimmed to its total length (link-layer padding left out). */
  readonly datagram: Uint8Array;
  /** IHL * 4: the IPv4 header with its options; the UDP header starts here. */
  readonly headerLength: number;
  /** The UDP header and payload, exactly UDP length bytes. */
  readonly segment: Uint8Array;
  /** The UDP payload, exactly UDP length - 8 bytes. */
  readonly payload: Uint8Array;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  /** True for 255.255.255.255, false for the accepted directed broadcast. */
  readonly limitedBroadcast: boolean;
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly ttl: number;
  readonly identification: number;
}

export interface BroadcastAcceptance {
  /** The receiving interface's directed broadcast address, accepted besides 255.255.255.255 (none: undefined). */
  readonly directedBroadcast: Ipv4Address | undefined;
}

export type BroadcastParseResult =
  | { readonly ok: true; readonly packet: BroadcastPacket }
  | { readonly ok: false; readonly reason: BroadcastRejectReason };

const reject = (reason: BroadcastRejectReason): BroadcastParseResult => ({ ok: false, reason });

type Ipv4Check =
  | { readonly ok: true; readonly headerLength: number; readonly totalLength: number }
  | { readonly ok: false; readonly reason: BroadcastRejectReason };

/** Header and length checks of RFC 791 that do not depend on the transport. */
function checkIpv4(packet: Uint8Array): Ipv4Check {
  if (packet.length < IPV4_MIN_HEADER_BYTES) return { ok: false, reason: 'truncated-header' };
  const versionIhl = packet[IPV4_VERSION_IHL]!;
  if (versionIhl >> 4 !== IPV4_VERSION) return { ok: false, reason: 'not-ipv4' };
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_BYTES) return { ok: false, reason: 'header-length-too-short' };
  if (headerLength > packet.length) return { ok: false, reason: 'header-exceeds-packet' };
  const totalLength = readUint16(packet, IPV4_TOTAL_LENGTH);
  if (totalLength < headerLength + UDP_HEADER_BYTES) return { ok: false, reason: 'total-length-too-short' };
  // Bytes past the total length are link-layer padding (short Ethernet frames), not an error.
  if (totalLength > packet.length) return { ok: false, reason: 'total-length-exceeds-packet' };
  return { ok: true, headerLength, totalLength };
}

/**
 * Validates a packet received from an AF_PACKET SOCK_DGRAM socket (starting at the IPv4 header) as an
 * unfragmented UDP broadcast between unprivileged ports that the broadcast forwarder may relay. The UDP header
 * is found after the IPv4 options, whatever their length. Never throws: anything else yields a reason.
 */
export function parseBroadcastPacket(packet: Uint8Array, accept: BroadcastAcceptance): BroadcastParseResult {
  const ip = checkIpv4(packet);
  if (!ip.ok) return reject(ip.reason);
  const { headerLength, totalLength } = ip;
  if (packet[IPV4_PROTOCOL] !== PROTOCOL_UDP) return reject('not-udp');
  if ((readUint16(packet, IPV4_FLAGS_FRAGMENT) & IPV4_FRAGMENT_MASK) !== 0) return reject('fragment');
  const udpLength = readUint16(packet, headerLength + UDP_LENGTH);
  if (udpLength < UDP_HEADER_BYTES) return reject('udp-length-too-short');
  if (udpLength > totalLength - headerLength) return reject('udp-length-exceeds-datagram');
  const sourcePort = readUint16(packet, headerLength + UDP_SOURCE_PORT);
  const destinationPort = readUint16(packet, headerLength + UDP_DESTINATION_PORT);
  if (sourcePort < MIN_FORWARDED_PORT) return reject('low-source-port');
  if (destinationPort < MIN_FORWARDED_PORT) return reject('low-destination-port');
  const destination = readUint32(packet, IPV4_DESTINATION);
  const limitedBroadcast = destination === LIMITED_BROADCAST;
  if (!limitedBroadcast && destination !== accept.directedBroadcast) return reject('not-broadcast');
  if (!hasValidIpv4HeaderChecksum(packet.subarray(0, headerLength))) return reject('bad-header-checksum');
  const segment = packet.subarray(headerLength, headerLength + udpLength);
  return {
    ok: true,
    packet: {
      datagram: packet.subarray(0, totalLength),
      headerLength,
      segment,
      payload: segment.subarray(UDP_HEADER_BYTES),
      source: readUint32(packet, IPV4_SOURCE),
      destination,
      limitedBroadcast,
      sourcePort,
      destinationPort,
      ttl: packet[IPV4_TTL]!,
      identification: readUint16(packet, IPV4_IDENTIFICATION),
    },
  };
}
