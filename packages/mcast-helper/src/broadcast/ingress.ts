import type { Ipv4Address } from './address';
import { hasNoUdpChecksum, writeIpv4HeaderChecksum, writeUdpChecksum } from './checksum';
import { IPV4_DESTINATION, writeUint32 } from './layout';
import type { BroadcastPacket } from './parse';

/**
 * True when a packet seen on the LAN listener comes from the LAN's own address: the packet socket also sees the
 * host's outgoing frames (among them the egress copies this forwarder sends), which must not come back in.
 */
export function isOwnIngress(packet: BroadcastPacket, lanAddress: Ipv4Address): boolean {
  return packet.source === lanAddress;
}

/**
 * The copy of a LAN broadcast injected into one guest bridge through a raw IP_HDRINCL socket: a new buffer of
 * exactly the total length, with the IPv4 options, source address, source port, TTL and ID kept. A directed
 * broadcast is readdressed to the bridge's broadcast address; 255.255.255.255 stays. Both checksums are
 * recomputed. A UDP checksum of 0 ("none", RFC 768) stays 0: the sender asked for no check, and computing one
 * here would vouch for bytes nobody protected.
 */
export function ingressCopy(packet: BroadcastPacket, bridgeBroadcast: Ipv4Address): Uint8Array {
  const copy = packet.datagram.slice();
  const header = copy.subarray(0, packet.headerLength);
  if (!packet.limitedBroadcast) writeUint32(header, IPV4_DESTINATION, bridgeBroadcast);
  writeIpv4HeaderChecksum(header);
  const segment = copy.subarray(packet.headerLength, packet.headerLength + packet.segment.length);
  if (!hasNoUdpChecksum(segment)) writeUdpChecksum(copy, segment);
  return copy;
}
