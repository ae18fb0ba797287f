import {
  IPV4_CHECKSUM,
  IPV4_DESTINATION,
  IPV4_SOURCE,
  PROTOCOL_UDP,
  readUint16,
  UDP_CHECKSUM,
  writeUint16,
} from './layout';

/** Sum of the bytes as big-endian 16-bit words, an odd last byte padded with zero (RFC 1071), unfolded. */
function sumWords(bytes: Uint8Array, initial: number): number {
  let sum = initial;
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < bytes.length) sum += bytes[i]! << 8;
  return sum;
}

function fold(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + Math.floor(folded / 0x10000);
  return folded;
}

/**
 * The Internet checksum (RFC 1071) of `bytes`, starting from the unfolded word sum `initial` (a pseudo-header).
 * Over bytes that include a correct checksum field the result is 0.
 */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~fold(sumWords(bytes, initial)) & 0xffff;
}

/** True when the IPv4 header (IHL * 4 bytes, options included) carries a correct header checksum. */
export function hasValidIpv4HeaderChecksum(header: Uint8Array): boolean {
  return internetChecksum(header) === 0;
}

/** Recomputes the header checksum of an IPv4 header in place. */
export function writeIpv4HeaderChecksum(header: Uint8Array): void {
  writeUint16(header, IPV4_CHECKSUM, 0);
  writeUint16(header, IPV4_CHECKSUM, internetChecksum(header));
}

/** Word sum of the UDP pseudo-header: source, destination, zero + protocol 17, UDP length. */
function udpPseudoHeaderSum(datagram: Uint8Array, udpLength: number): number {
  return sumWords(datagram.subarray(IPV4_SOURCE, IPV4_DESTINATION + 4), PROTOCOL_UDP + udpLength);
}

/**
 * Recomputes in place the UDP checksum of `segment` (header and payload, exactly UDP length bytes) carried in
 * `datagram`, whose IPv4 addresses enter the pseudo-header. A result of 0 is sent as 0xffff, since 0 means "no
 * checksum" (RFC 768).
 */
export function writeUdpChecksum(datagram: Uint8Array, segment: Uint8Array): void {
  writeUint16(segment, UDP_CHECKSUM, 0);
  const checksum = internetChecksum(segment, udpPseudoHeaderSum(datagram, segment.length));
  writeUint16(segment, UDP_CHECKSUM, checksum === 0 ? 0xffff : checksum);
}

/** True when the segment's UDP checksum field is 0: the sender computed none. */
export function hasNoUdpChecksum(segment: Uint8Array): boolean {
  return readUint16(segment, UDP_CHECKSUM) === 0;
}
