// Byte layout of an IPv4 + UDP datagram (RFC 791, RFC 768), offsets from the start of the IPv4 header.

export const IPV4_MIN_HEADER_BYTES = 20;
export const IPV4_VERSION = 4;
/** Version (high nibble) and IHL, the header length in 32-bit words (low nibble). */
export const IPV4_VERSION_IHL = 0;
export const IPV4_TOTAL_LENGTH = 2;
export const IPV4_IDENTIFICATION = 4;
/** Flags (reserved, DF, MF) and the 13-bit fragment offset. */
export const IPV4_FLAGS_FRAGMENT = 6;
/** The MF flag and the fragment offset: non-zero in every fragment of a split datagram. */
export const IPV4_FRAGMENT_MASK = 0x3fff;
export const IPV4_TTL = 8;
export const IPV4_PROTOCOL = 9;
export const IPV4_CHECKSUM = 10;
export const IPV4_SOURCE = 12;
export const IPV4_DESTINATION = 16;
export const PROTOCOL_UDP = 17;

/** UDP header fields, relative to the start of the UDP header (IHL * 4 into the datagram). */
export const UDP_HEADER_BYTES = 8;
export const UDP_SOURCE_PORT = 0;
export const UDP_DESTINATION_PORT = 2;
export const UDP_LENGTH = 4;
export const UDP_CHECKSUM = 6;

/** Both UDP ports must be at least this, which keeps DHCP, NetBIOS and other system services out. */
export const MIN_FORWARDED_PORT = 1024;

export function readUint16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 8) | bytes[offset + 1]!;
}

export function writeUint16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 8;
  bytes[offset + 1] = value & 0xff;
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  return readUint16(bytes, offset) * 0x10000 + readUint16(bytes, offset + 2);
}

export function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  writeUint16(bytes, offset, value >>> 16);
  writeUint16(bytes, offset + 2, value & 0xffff);
}
