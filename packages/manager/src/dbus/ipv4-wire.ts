import { formatIpv4, parseIpv4 } from '../addressing/ipv4';

/**
 * IPv4 addresses travel in proto uint32 fields as `in_addr.s_addr` read on a little-endian host: the first
 * octet is the least significant byte (100.115.92.24 -> 0x185c7364 = 408712036).
 */
export function ipv4ToSaddr(address: string): number {
  return byteSwap32(parseIpv4(address));
}

/** The inverse of ipv4ToSaddr; any uint32 is an address. */
export function saddrToIpv4(saddr: number): string {
  if (!Number.isInteger(saddr) || saddr < 0 || saddr > 0xffffffff) {
    throw new RangeError(`${saddr} is not a uint32`);
  }
  return formatIpv4(byteSwap32(saddr));
}

function byteSwap32(value: number): number {
  return (
    (((value & 0xff) << 24) |
      ((value & 0xff00) << 8) |
      ((value >>> 8) & 0xff00) |
      ((value >>> 24) & 0xff)) >>>
    0
  );
}
