// Test-only builder of IPv4 + UDP packets, with its own checksum arithmetic so tests do not trust the code under
// test to produce the expected bytes.

export function ip(text: string): number[] {
  return text.split('.').map(Number);
}

/** The same address as the Ipv4Address number the code under test uses. */
export function ipNumber(text: string): number {
  return ip(text).reduce((value, octet) => value * 256 + octet, 0);
}

export const LAN_SENDER = ip('192.168.1.20');
export const LAN_BROADCAST = ip('192.168.1.255');
export const LIMITED = ip('255.255.255.255');
export const BRIDGE_BROADCAST = ip('100.115.92.7');

function u16(value: number): number[] {
  return [(value >>> 8) & 0xff, value & 0xff];
}

/** Folded one's-complement sum of big-endian 16-bit words, an odd last byte padded with zero. */
export function onesComplementSum(bytes: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += bytes[i]! * 256 + (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Folded sum of the IPv4 header (IHL * 4 bytes); 0xffff when its checksum is right. */
export function headerSum(datagram: Uint8Array): number {
  return onesComplementSum([...datagram.subarray(0, (datagram[0]! & 0x0f) * 4)]);
}

/** Folded sum of pseudo-header and UDP segment (UDP length bytes); 0xffff when its checksum is right. */
export function udpSum(datagram: Uint8Array): number {
  const ihl = (datagram[0]! & 0x0f) * 4;
  const udpLength = datagram[ihl + 4]! * 256 + datagram[ihl + 5]!;
  const pseudo = [...datagram.subarray(12, 20), 0, 17, ...u16(udpLength)];
  return onesComplementSum([...pseudo, ...datagram.subarray(ihl, ihl + udpLength)]);
}

export interface PacketSpec {
  readonly source?: readonly number[];
  readonly destination?: readonly number[];
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly payload?: readonly number[];
  /** IPv4 option bytes, a multiple of 4 long (IHL grows by length / 4). */
  readonly options?: readonly number[];
  readonly ttl?: number;
  readonly identification?: number;
  /** Flags and fragment offset, the 16 bits at offset 6. */
  readonly flagsFragment?: number;
  readonly protocol?: number;
  /** Replaces the version/IHL byte. */
  readonly versionIhl?: number;
  /** Bytes inside the IP payload after the UDP datagram. */
  readonly trailer?: readonly number[];
  /** Bytes after the total length (link-layer padding). */
  readonly padding?: readonly number[];
  /** Added to the true total length / UDP length when writing them. */
  readonly totalLengthDelta?: number;
  readonly udpLengthDelta?: number;
  /** 'compute' (default), 'none' (0), or a literal value. */
  readonly udpChecksum?: 'compute' | 'none' | number;
  readonly corruptHeaderChecksum?: boolean;
}

function udpChecksumOf(spec: PacketSpec, pseudo: number[], segment: number[]): number {
  if (spec.udpChecksum === 'none') return 0;
  if (typeof spec.udpChecksum === 'number') return spec.udpChecksum;
  const checksum = ~onesComplementSum([...pseudo, ...segment]) & 0xffff;
  return checksum === 0 ? 0xffff : checksum;
}

export function buildPacket(spec: PacketSpec = {}): Uint8Array {
  const options = spec.options ?? [];
  const payload = spec.payload ?? [1, 2, 3, 4, 5];
  const source = spec.source ?? LAN_SENDER;
  const destination = spec.destination ?? LIMITED;
  const udpLength = 8 + payload.length + (spec.udpLengthDelta ?? 0);
  const ports = [...u16(spec.sourcePort ?? 40000), ...u16(spec.destinationPort ?? 9999)];
  const pseudo = [...source, ...destination, 0, 17, ...u16(udpLength)];
  const unchecked = [...ports, ...u16(udpLength), 0, 0, ...payload];
  const segment = [...ports, ...u16(udpLength), ...u16(udpChecksumOf(spec, pseudo, unchecked)), ...payload];
  const headerLength = 20 + options.length;
  const trailer = spec.trailer ?? [];
  const totalLength = headerLength + segment.length + trailer.length + (spec.totalLengthDelta ?? 0);
  const header = [
    spec.versionIhl ?? 0x40 + headerLength / 4,
    0,
    ...u16(totalLength),
    ...u16(spec.identification ?? 0x1234),
    ...u16(spec.flagsFragment ?? 0x4000),
    spec.ttl ?? 64,
    spec.protocol ?? 17,
    0,
    0,
    ...source,
    ...destination,
    ...options,
  ];
  const checksum = ~onesComplementSum(header) & 0xffff;
  header.splice(10, 2, ...u16(spec.corruptHeaderChecksum ? checksum ^ 0x0100 : checksum));
  return Uint8Array.from([...header, ...segment, ...trailer, ...(spec.padding ?? [])]);
}
