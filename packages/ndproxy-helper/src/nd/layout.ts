// Byte layout of an Ethernet + IPv6 + ICMPv6 Neighbor Discovery frame (RFC 4861), offsets from the frame start.

export const ETH_HEADER_BYTES = 14;
export const ETH_DST = 0;
export const ETH_SRC = 6;
export const ETH_TYPE = 12;
export const ETHERTYPE_IPV6 = 0x86dd;
export const MAC_BYTES = 6;

export const IPV6 = ETH_HEADER_BYTES;
export const IPV6_HEADER_BYTES = 40;
export const IPV6_PAYLOAD_LENGTH = IPV6 + 4;
export const IPV6_NEXT_HEADER = IPV6 + 6;
export const IPV6_HOP_LIMIT = IPV6 + 7;
export const IPV6_SRC = IPV6 + 8;
export const IPV6_DST = IPV6 + 24;
export const IPV6_ADDRESS_BYTES = 16;
export const NEXT_HEADER_ICMPV6 = 58;
export const ND_HOP_LIMIT = 255;

export const ICMPV6 = IPV6 + IPV6_HEADER_BYTES;
export const ICMPV6_CODE = ICMPV6 + 1;
export const ICMPV6_CHECKSUM = ICMPV6 + 2;
export const ICMPV6_HEADER_BYTES = 4;
/** An NS or NA carries its target address right after the 4 reserved/flags bytes. */
export const ND_TARGET = ICMPV6 + 8;
/** The RA flags byte (M, O, H, Prf, P): RFC 4861 §4.2, RFC 4389 §4.1.3.3. */
export const RA_FLAGS = ICMPV6 + 5;
export const RA_FLAG_PROXY = 0x04;

export const NdType = {
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
} as const;
export type NdType = (typeof NdType)[keyof typeof NdType];
export const ICMPV6_REDIRECT = 137;

/** Fixed part of each message (header included); options follow it. RFC 4861 §4.1–4.4. */
export const ND_FIXED_BYTES: Readonly<Record<NdType, number>> = {
  [NdType.RouterSolicitation]: 8,
  [NdType.RouterAdvertisement]: 16,
  [NdType.NeighborSolicitation]: 24,
  [NdType.NeighborAdvertisement]: 24,
};

export const NdOptionType = {
  SourceLinkLayerAddress: 1,
  TargetLinkLayerAddress: 2,
  PrefixInformation: 3,
} as const;
/** Option lengths are in units of 8 bytes, type and length bytes included. */
export const ND_OPTION_UNIT = 8;

export function isNdType(type: number): type is NdType {
  return type >= NdType.RouterSolicitation && type <= NdType.NeighborAdvertisement;
}
