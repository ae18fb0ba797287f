import { IPV6_ADDRESS_BYTES, ND_OPTION_UNIT, NdOptionType, NdType } from './layout';
import type { NdFrame } from './parse';

/** A Prefix Information option of an RA (RFC 4861 §4.6.2). */
export interface PrefixInformation {
  /** The 16 prefix bytes as sent (a copy). */
  readonly prefix: Uint8Array;
  readonly prefixLength: number;
  readonly onLink: boolean;
  readonly autonomous: boolean;
  /** Seconds; 0xffffffff means infinity. */
  readonly validLifetime: number;
  readonly preferredLifetime: number;
}

const PIO_BYTES = 4 * ND_OPTION_UNIT;

/**
 * The well-formed PIOs of an RA, in frame order: length exactly 4 units and a prefix length ≤ 128.
 * Anything else (and every non-RA) yields no entries.
 */
export function prefixInformation(frame: NdFrame): PrefixInformation[] {
  if (frame.type !== NdType.RouterAdvertisement) return [];
  const found: PrefixInformation[] = [];
  const view = new DataView(frame.bytes.buffer, frame.bytes.byteOffset, frame.bytes.byteLength);
  for (const option of frame.options) {
    if (option.type !== NdOptionType.PrefixInformation || option.length !== PIO_BYTES) continue;
    const at = option.offset;
    const prefixLength = frame.bytes[at + 2]!;
    if (prefixLength > IPV6_ADDRESS_BYTES * 8) continue;
    const flags = frame.bytes[at + 3]!;
    found.push({
      prefix: frame.bytes.slice(at + 16, at + 16 + IPV6_ADDRESS_BYTES),
      prefixLength,
      onLink: (flags & 0x80) !== 0,
      autonomous: (flags & 0x40) !== 0,
      validLifetime: view.getUint32(at + 4),
      preferredLifetime: view.getUint32(at + 8),
    });
  }
  return found;
}
