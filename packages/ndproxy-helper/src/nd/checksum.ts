import { ICMPV6, ICMPV6_CHECKSUM, IPV6_SRC, NEXT_HEADER_ICMPV6 } from './layout';

function sum16(bytes: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < end) sum += bytes[i]! << 8;
  return sum;
}

function fold(sum: number): number {
  let folded = sum;
  while (folded > 0xffff) folded = (folded & 0xffff) + Math.floor(folded / 0x10000);
  return folded;
}

/**
 * One's-complement sum over the IPv6 pseudo-header (source, destination, upper-layer length, next header 58)
 * and the ICMPv6 message of `icmpLength` bytes as it stands, checksum field included (RFC 4443 §2.3).
 */
function icmpv6Sum(frame: Uint8Array, icmpLength: number): number {
  const pseudo = sum16(frame, IPV6_SRC, ICMPV6, icmpLength + NEXT_HEADER_ICMPV6);
  return fold(sum16(frame, ICMPV6, ICMPV6 + icmpLength, pseudo));
}

/** True when the ICMPv6 checksum in the frame matches its pseudo-header and message. */
export function hasValidIcmpv6Checksum(frame: Uint8Array, icmpLength: number): boolean {
  return icmpv6Sum(frame, icmpLength) === 0xffff;
}

/** Recomputes the ICMPv6 checksum of the frame in place. */
export function writeIcmpv6Checksum(frame: Uint8Array, icmpLength: number): void {
  frame[ICMPV6_CHECKSUM] = 0;
  frame[ICMPV6_CHECKSUM + 1] = 0;
  const checksum = ~icmpv6Sum(frame, icmpLength) & 0xffff;
  frame[ICMPV6_CHECKSUM] = checksum >> 8;
  frame[ICMPV6_CHECKSUM + 1] = checksum & 0xff;
}
