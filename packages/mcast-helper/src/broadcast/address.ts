import { McastError } from '../errors';

/**
 * An IPv4 address as an unsigned 32-bit integer in network order of significance: a.b.c.d is
 * a * 2^24 + b * 2^16 + c * 2^8 + d, always in 0..0xffffffff (never negative). Plain numbers compare with ===
 * and mask cheaply; this is also the form netio's ipv4ToNumber produces.
 */
export type Ipv4Address = number;

/** An interface's IPv4 address and prefix length (0..32), as RTM_NEWADDR reports them. */
export interface Ipv4Interface {
  readonly address: Ipv4Address;
  readonly prefixLength: number;
}

/** 255.255.255.255, the limited broadcast address (RFC 919). */
export const LIMITED_BROADCAST: Ipv4Address = 0xffffffff;

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted-quad text to an address; undefined for anything else (leading zeros are refused as ambiguous). */
export function parseIpv4Address(text: string): Ipv4Address | undefined {
  const match = DOTTED_QUAD.exec(text);
  if (match === null) return undefined;
  let address = 0;
  for (const octet of match.slice(1)) {
    if (octet.length > 1 && octet.startsWith('0')) return undefined;
    const value = Number(octet);
    if (value > 255) return undefined;
    address = address * 256 + value;
  }
  return address;
}

export function formatIpv4Address(address: Ipv4Address): string {
  return [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff].join('.');
}

/** 4 bytes in network order (an IFA_ADDRESS attribute, an A record's rdata) to an address. */
export function ipv4AddressFromBytes(bytes: Uint8Array): Ipv4Address {
  if (bytes.length !== 4) {
    throw new McastError(
      'PP_ERR_MCAST_INVALID_ARGUMENT',
      `IPv4 address must be 4 bytes, got ${bytes.length}`,
    );
  }
  return bytes[0]! * 0x1000000 + ((bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!);
}

export function ipv4AddressBytes(address: Ipv4Address): Uint8Array {
  return Uint8Array.of(address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff);
}

/** The netmask of a prefix length; throws PP_ERR_MCAST_INVALID_ARGUMENT unless it is an integer in 0..32. */
export function subnetMask(prefixLength: number): Ipv4Address {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new McastError(
      'PP_ERR_MCAST_INVALID_ARGUMENT',
      `IPv4 prefix length must be an integer in 0..32, got ${prefixLength}`,
    );
  }
  // A shift count of 32 is taken modulo 32 in JavaScript, so /0 needs its own case.
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/**
 * The directed broadcast address of the subnet (host bits all ones), or undefined for a /31 or /32, which have
 * none (RFC 3021): callers then accept only 255.255.255.255.
 */
export function directedBroadcast(address: Ipv4Address, prefixLength: number): Ipv4Address | undefined {
  const mask = subnetMask(prefixLength);
  return prefixLength >= 31 ? undefined : (address | ~mask) >>> 0;
}

/** True when `address` lies in the subnet of `network` (same bits under its prefix). */
export function inSubnet(address: Ipv4Address, network: Ipv4Interface): boolean {
  const mask = subnetMask(network.prefixLength);
  // Both sides are int32 after &, so they compare bit for bit without converting back to unsigned.
  return (address & mask) === (network.address & mask);
}
