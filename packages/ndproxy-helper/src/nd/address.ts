import { IPV6_ADDRESS_BYTES } from './layout';

export type Ipv6AddressClass = 'global-unicast' | 'unique-local' | 'link-local' | 'other';

/** 2000::/3 global unicast, fc00::/7 unique local, fe80::/10 link-local, or anything else. */
export function classifyIpv6(address: Uint8Array): Ipv6AddressClass {
  if (address.length !== IPV6_ADDRESS_BYTES) return 'other';
  if ((address[0]! & 0xe0) === 0x20) return 'global-unicast';
  if ((address[0]! & 0xfe) === 0xfc) return 'unique-local';
  if (address[0] === 0xfe && (address[1]! & 0xc0) === 0x80) return 'link-local';
  return 'other';
}

/**
 * The SLAAC address of an interface on a /64: the first 8 bytes of `prefix` followed by the modified EUI-64
 * interface identifier of `mac` (ff:fe inserted in the middle, universal/local bit flipped; RFC 4291 App. A).
 */
export function eui64Address(prefix: Uint8Array, mac: Uint8Array): Uint8Array {
  const address = new Uint8Array(IPV6_ADDRESS_BYTES);
  address.set(prefix.subarray(0, 8));
  address.set([mac[0]! ^ 0x02, mac[1]!, mac[2]!, 0xff, 0xfe, mac[3]!, mac[4]!, mac[5]!], 8);
  return address;
}
