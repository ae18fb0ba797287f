import { writeIcmpv6Checksum } from './checksum';
import { ETH_DST, ETH_SRC, MAC_BYTES, NdOptionType, NdType, RA_FLAG_PROXY, RA_FLAGS } from './layout';
import type { NdFrame } from './parse';

export const BROADCAST_MAC: Uint8Array = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

export interface NdEgress {
  /** MAC of the interface the frame leaves through (6 bytes). */
  readonly interfaceMac: Uint8Array;
  /** Ethernet destination of the output (6 bytes); see egressDestinationMac. */
  readonly destinationMac: Uint8Array;
}

function isGroupMac(mac: Uint8Array): boolean {
  return (mac[0]! & 0x01) !== 0;
}

function isBroadcastMac(mac: Uint8Array): boolean {
  return mac.every((byte) => byte === 0xff);
}

/**
 * The Ethernet destination for a proxied frame: a multicast destination (33:33:…) is kept; a unicast or
 * broadcast one (broadcast comes from a cascaded proxy) becomes the neighbour's MAC for the IPv6 destination,
 * which the caller resolves, or broadcast when the neighbour is unknown.
 */
export function egressDestinationMac(frame: NdFrame, neighbourMac: Uint8Array | undefined): Uint8Array {
  const current = frame.ethDestination;
  if (isGroupMac(current) && !isBroadcastMac(current)) return current;
  return neighbourMac ?? BROADCAST_MAC;
}

/** The link-layer address option a message of this type carries about its sender. */
function linkLayerOptionType(type: NdType): number {
  return type === NdType.NeighborAdvertisement
    ? NdOptionType.TargetLinkLayerAddress
    : NdOptionType.SourceLinkLayerAddress;
}

/**
 * Translates a validated frame for egress (RFC 4389 §4.1.3): Ethernet source and destination, the link-layer
 * address options (SLLA for RS/RA/NS, TLLA for NA) set to the egress MAC, the Proxy flag set on an RA, and
 * the checksum recomputed. IPv6 addresses, hop limit, target and every other byte are kept. Returns a new
 * array of the same length as the input; the input is not modified.
 */
export function rewriteNdFrame(frame: NdFrame, egress: NdEgress): Uint8Array {
  const out = frame.bytes.slice();
  out.set(egress.destinationMac.subarray(0, MAC_BYTES), ETH_DST);
  out.set(egress.interfaceMac.subarray(0, MAC_BYTES), ETH_SRC);
  const optionType = linkLayerOptionType(frame.type);
  for (const option of frame.options) {
    if (option.type === optionType) out.set(egress.interfaceMac.subarray(0, MAC_BYTES), option.offset + 2);
  }
  if (frame.type === NdType.RouterAdvertisement) out[RA_FLAGS]! |= RA_FLAG_PROXY;
  writeIcmpv6Checksum(out, frame.icmpLength);
  return out;
}
