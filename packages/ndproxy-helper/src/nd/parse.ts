import { hasValidIcmpv6Checksum } from './checksum';
import {
  ETH_DST,
  ETH_HEADER_BYTES,
  ETH_SRC,
  ETH_TYPE,
  ETHERTYPE_IPV6,
  ICMPV6,
  ICMPV6_CODE,
  ICMPV6_HEADER_BYTES,
  ICMPV6_REDIRECT,
  IPV6,
  IPV6_ADDRESS_BYTES,
  IPV6_DST,
  IPV6_HEADER_BYTES,
  IPV6_HOP_LIMIT,
  IPV6_NEXT_HEADER,
  IPV6_PAYLOAD_LENGTH,
  IPV6_SRC,
  isNdType,
  MAC_BYTES,
  ND_FIXED_BYTES,
  ND_HOP_LIMIT,
  ND_TARGET,
  NdType,
  NEXT_HEADER_ICMPV6,
} from './layout';
import { type NdOption, walkNdOptions } from './options';

/** Why a frame is not proxied; a closed set so the proxy can count drops per reason. */
export type NdRejectReason =
  | 'frame-too-short'
  | 'not-ipv6'
  | 'bad-ip-version'
  | 'extension-header'
  | 'not-icmpv6'
  | 'payload-length-exceeds-frame'
  | 'payload-length-short-of-frame'
  | 'hop-limit-not-255'
  | 'redirect'
  | 'not-nd'
  | 'bad-code'
  | 'message-too-short'
  | 'zero-length-option'
  | 'option-past-end'
  | 'bad-checksum';

/**
 * A validated ND frame. Address fields are views into `bytes`, which is the caller's buffer: the frame stays
 * valid only as long as the caller does not reuse that buffer.
 */
export interface NdFrame {
  readonly bytes: Uint8Array;
  readonly type: NdType;
  readonly ethDestination: Uint8Array;
  readonly ethSource: Uint8Array;
  readonly source: Uint8Array;
  readonly destination: Uint8Array;
  /** The target address of an NS or NA; undefined for RS and RA. */
  readonly target: Uint8Array | undefined;
  /** ICMPv6 message length in bytes (the IPv6 payload length). */
  readonly icmpLength: number;
  readonly options: readonly NdOption[];
}

export type NdParseResult =
  | { readonly ok: true; readonly frame: NdFrame }
  | { readonly ok: false; readonly reason: NdRejectReason };

// Next-header values of IPv6 extension headers (IANA "IPv6 Extension Header Types").
const EXTENSION_HEADERS = new Set([0, 43, 44, 50, 51, 60, 135, 139, 140, 253, 254]);

const reject = (reason: NdRejectReason): NdParseResult => ({ ok: false, reason });

function checkIpv6Header(bytes: Uint8Array): NdRejectReason | undefined {
  if (bytes.length < ICMPV6 + ICMPV6_HEADER_BYTES) return 'frame-too-short';
  if (((bytes[ETH_TYPE]! << 8) | bytes[ETH_TYPE + 1]!) !== ETHERTYPE_IPV6) return 'not-ipv6';
  if (bytes[IPV6]! >> 4 !== 6) return 'bad-ip-version';
  const nextHeader = bytes[IPV6_NEXT_HEADER]!;
  if (EXTENSION_HEADERS.has(nextHeader)) return 'extension-header';
  if (nextHeader !== NEXT_HEADER_ICMPV6) return 'not-icmpv6';
  // The smallest ND frame (an RS) is 62 bytes, above Ethernet's 60-byte minimum, so an ND frame never carries
  // padding: the payload length must account for every byte after the IPv6 header.
  const payloadLength = (bytes[IPV6_PAYLOAD_LENGTH]! << 8) | bytes[IPV6_PAYLOAD_LENGTH + 1]!;
  const available = bytes.length - ETH_HEADER_BYTES - IPV6_HEADER_BYTES;
  if (payloadLength > available) return 'payload-length-exceeds-frame';
  if (payloadLength < available) return 'payload-length-short-of-frame';
  if (bytes[IPV6_HOP_LIMIT] !== ND_HOP_LIMIT) return 'hop-limit-not-255';
  return undefined;
}

/**
 * Validates an Ethernet frame as an RS, RA, NS or NA that is safe to proxy (RFC 4861 §6.1, §7.1 checks plus
 * frame consistency). Never throws: anything else yields a rejection reason.
 */
export function parseNdFrame(bytes: Uint8Array): NdParseResult {
  const headerProblem = checkIpv6Header(bytes);
  if (headerProblem !== undefined) return reject(headerProblem);
  const type = bytes[ICMPV6]!;
  if (type === ICMPV6_REDIRECT) return reject('redirect');
  if (!isNdType(type)) return reject('not-nd');
  if (bytes[ICMPV6_CODE] !== 0) return reject('bad-code');
  const icmpLength = bytes.length - ICMPV6;
  if (icmpLength < ND_FIXED_BYTES[type]) return reject('message-too-short');
  const walk = walkNdOptions(bytes, ICMPV6 + ND_FIXED_BYTES[type], bytes.length);
  if (!walk.ok) return reject(walk.reason);
  if (!hasValidIcmpv6Checksum(bytes, icmpLength)) return reject('bad-checksum');
  const hasTarget = type === NdType.NeighborSolicitation || type === NdType.NeighborAdvertisement;
  return {
    ok: true,
    frame: {
      bytes,
      type,
      ethDestination: bytes.subarray(ETH_DST, ETH_DST + MAC_BYTES),
      ethSource: bytes.subarray(ETH_SRC, ETH_SRC + MAC_BYTES),
      source: bytes.subarray(IPV6_SRC, IPV6_SRC + IPV6_ADDRESS_BYTES),
      destination: bytes.subarray(IPV6_DST, IPV6_DST + IPV6_ADDRESS_BYTES),
      target: hasTarget ? bytes.subarray(ND_TARGET, ND_TARGET + IPV6_ADDRESS_BYTES) : undefined,
      icmpLength,
      options: walk.options,
    },
  };
}
