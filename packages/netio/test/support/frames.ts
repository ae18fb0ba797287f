/** Frame builders for tests: Ethernet, IPv6/ICMPv6 Neighbor Discovery, IPv4/UDP. */
import { isIPv4, isIPv6 } from 'node:net';
import { type MacAddress, parseMac } from '../../src/mac';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ICMPV6 = 58;
export const UDP = 17;

export function ipv4Bytes(address: string): Buffer {
  if (!isIPv4(address)) throw new Error(`not IPv4: ${address}`);
  return Buffer.from(address.split('.').map(Number));
}

export function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address)) throw new Error(`not IPv6: ${address}`);
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const bytes = Buffer.alloc(16);
  all.forEach((group, index) => {
    bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2);
  });
  return bytes;
}

/** RFC 1071 ones' complement sum over the concatenation of parts. */
export function internetChecksum(...parts: Uint8Array[]): number {
  const data = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) sum += (data[i]! << 8) + (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function ethernet(dst: MacAddress, src: MacAddress, ethertype: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(14);
  header.set(parseMac(dst), 0);
  header.set(parseMac(src), 6);
  header.writeUInt16BE(ethertype, 12);
  return Buffer.concat([header, payload]);
}

export interface Icmpv6Spec {
  src: string;
  dst: string;
  type: number;
  code?: number;
  body: Uint8Array;
  hopLimit?: number;
}

/** An IPv6 packet carrying ICMPv6, checksum included. */
export function icmpv6Packet(spec: Icmpv6Spec): Buffer {
  const message = Buffer.concat([Buffer.from([spec.type, spec.code ?? 0, 0, 0]), spec.body]);
  const src = ipv6Bytes(spec.src);
  const dst = ipv6Bytes(spec.dst);
  const pseudo = Buffer.alloc(8);
  pseudo.writeUInt32BE(message.length, 0);
  pseudo[7] = ICMPV6;
  message.writeUInt16BE(internetChecksum(src, dst, pseudo, message), 2);
  const header = Buffer.alloc(40);
  header.writeUInt32BE(0x60000000, 0);
  header.writeUInt16BE(message.length, 4);
  header[6] = ICMPV6;
  header[7] = spec.hopLimit ?? 255;
  header.set(src, 8);
  header.set(dst, 24);
  return Buffer.concat([header, message]);
}

/** ff02::1:ffXX:XXXX for a target address. */
export function solicitedNode(target: string): string {
  const bytes = ipv6Bytes(target);
  return `ff02::1:ff${bytes[13]!.toString(16).padStart(2, '0')}:${bytes.readUInt16BE(14).toString(16)}`;
}

export function multicastMac(ipv6: string): string {
  const bytes = ipv6Bytes(ipv6);
  return ['33', '33', ...[12, 13, 14, 15].map((i) => bytes[i]!.toString(16).padStart(2, '0'))].join(':');
}

function linkLayerOption(kind: 1 | 2, mac: MacAddress): Buffer {
  return Buffer.concat([Buffer.from([kind, 1]), parseMac(mac)]);
}

export function neighborSolicitationFrame(srcMac: MacAddress, srcIp: string, target: string): Buffer {
  const group = solicitedNode(target);
  const body = Buffer.concat([Buffer.alloc(4), ipv6Bytes(target), linkLayerOption(1, srcMac)]);
  const packet = icmpv6Packet({ src: srcIp, dst: group, type: 135, body });
  return ethernet(multicastMac(group), srcMac, ETHERTYPE_IPV6, packet);
}

export interface AdvertisementSpec {
  srcMac: MacAddress;
  dstMac: MacAddress;
  dstIp: string;
  target: string;
}

/** A solicited, overriding NA for target, sent from target to dstIp, with the target link-layer option. */
export function neighborAdvertisementFrame(spec: AdvertisementSpec): Buffer {
  const flags = Buffer.from([0x60, 0, 0, 0]); // S | O
  const body = Buffer.concat([flags, ipv6Bytes(spec.target), linkLayerOption(2, spec.srcMac)]);
  const packet = icmpv6Packet({ src: spec.target, dst: spec.dstIp, type: 136, body });
  return ethernet(spec.dstMac, spec.srcMac, ETHERTYPE_IPV6, packet);
}

export interface UdpSpec {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  ttl?: number;
  id?: number;
  /** Flags and fragment offset field (e.g. 0x2000 = MF). */
  fragment?: number;
  /** IPv4 options, a multiple of 4 bytes. */
  options?: Uint8Array;
}

/** An IPv4 datagram with UDP, both checksums correct. */
export function ipv4UdpPacket(spec: UdpSpec): Buffer {
  const src = ipv4Bytes(spec.src);
  const dst = ipv4Bytes(spec.dst);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(spec.srcPort, 0);
  udp.writeUInt16BE(spec.dstPort, 2);
  udp.writeUInt16BE(8 + spec.payload.length, 4);
  const pseudo = Buffer.from([0, UDP, 0, 0]);
  pseudo.writeUInt16BE(8 + spec.payload.length, 2);
  udp.writeUInt16BE(internetChecksum(src, dst, pseudo, udp, spec.payload) || 0xffff, 6);
  const options = spec.options ?? new Uint8Array(0);
  const header = Buffer.alloc(20);
  header[0] = 0x40 | ((20 + options.length) / 4);
  header.writeUInt16BE(20 + options.length + 8 + spec.payload.length, 2);
  header.writeUInt16BE(spec.id ?? 0x1234, 4);
  header.writeUInt16BE(spec.fragment ?? 0, 6);
  header[8] = spec.ttl ?? 64;
  header[9] = UDP;
  header.set(src, 12);
  header.set(dst, 16);
  const fullHeader = Buffer.concat([header, options]);
  fullHeader.writeUInt16BE(internetChecksum(fullHeader), 10);
  return Buffer.concat([fullHeader, udp, spec.payload]);
}
