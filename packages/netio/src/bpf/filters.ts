import { isIPv4 } from 'node:net';
import { InvalidArgumentError } from '../errors';
import {
  assemble,
  type BpfProgram,
  type BpfStep,
  jump,
  jumpAlways,
  label,
  loadAbsolute,
  loadHeaderLength,
  loadIndirect,
  ret,
} from './assembler';

/** What precedes the network header: 'ethernet' for raw packet sockets, 'none' for dgram ones. */
export type LinkLayer = 'ethernet' | 'none';

/** Accepted frames are kept whole (the return value is a byte count). */
export const ACCEPT = 0x40000;
export const DROP = 0;

const ETHERNET_HEADER = 14;
const ETHERTYPE_OFFSET = 12;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const IPV6_NEXT_HEADER = 6;
const IPV6_HEADER = 40;
const NEXT_HEADER_ICMPV6 = 58;
const ICMPV6_ROUTER_SOLICITATION = 133;
const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
const IPV4_PROTOCOL = 9;
const IPV4_FRAGMENT = 6;
const IPV4_DESTINATION = 16;
const IPV4_FRAGMENT_MASK = 0x3fff; // MF flag and fragment offset
const PROTOCOL_UDP = 17;
const LIMITED_BROADCAST = 0xffffffff;
/** Both UDP ports must be at least this (no DHCP, NetBIOS...). */
export const MIN_FORWARDED_PORT = 1024;

const linkOffset = (link: LinkLayer) => (link === 'ethernet' ? ETHERNET_HEADER : 0);

/** With an Ethernet header, first require the given ethertype. */
function ethertypeCheck(link: LinkLayer, ethertype: number): BpfStep[] {
  return link === 'ethernet'
    ? [loadAbsolute('h', ETHERTYPE_OFFSET), jump('jeq', ethertype, undefined, 'drop')]
    : [];
}

/**
 * RS, RA, NS and NA (ICMPv6 types 133-136) directly after the IPv6 header, as an RFC 4389 proxy needs.
 * Any extension header, Redirect (137) or other type is dropped.
 */
export function neighborDiscoveryFilter(link: LinkLayer = 'ethernet'): BpfProgram {
  const ip = linkOffset(link);
  return assemble([
    ...ethertypeCheck(link, ETHERTYPE_IPV6),
    loadAbsolute('b', ip + IPV6_NEXT_HEADER),
    jump('jeq', NEXT_HEADER_ICMPV6, undefined, 'drop'),
    loadAbsolute('b', ip + IPV6_HEADER),
    jump('jge', ICMPV6_ROUTER_SOLICITATION, undefined, 'drop'),
    jump('jgt', ICMPV6_NEIGHBOR_ADVERTISEMENT, 'drop'),
    ret(ACCEPT),
    label('drop'),
    ret(DROP),
  ]);
}

export interface BroadcastFilterOptions {
  link?: LinkLayer;
  /** The interface's directed broadcast address, accepted besides 255.255.255.255. */
  broadcast?: string;
}

/**
 * Unfragmented IPv4 UDP to 255.255.255.255 (or the given directed broadcast) with both ports >= 1024, as the
 * broadcast forwarder needs. The UDP header is found through the IPv4 header length, options included.
 */
export function udpBroadcastFilter(options: BroadcastFilterOptions = {}): BpfProgram {
  const link = options.link ?? 'none';
  const ip = linkOffset(link);
  const directed =
    options.broadcast === undefined ? [] : [jump('jeq', ipv4ToNumber(options.broadcast), 'ports')];
  return assemble([
    ...ethertypeCheck(link, ETHERTYPE_IPV4),
    loadAbsolute('b', ip + IPV4_PROTOCOL),
    jump('jeq', PROTOCOL_UDP, undefined, 'drop'),
    loadAbsolute('h', ip + IPV4_FRAGMENT),
    jump('jset', IPV4_FRAGMENT_MASK, 'drop'),
    loadAbsolute('w', ip + IPV4_DESTINATION),
    jump('jeq', LIMITED_BROADCAST, 'ports'),
    ...directed,
    jumpAlways('drop'),
    label('ports'),
    loadHeaderLength(ip),
    loadIndirect('h', ip),
    jump('jge', MIN_FORWARDED_PORT, undefined, 'drop'),
    loadIndirect('h', ip + 2),
    jump('jge', MIN_FORWARDED_PORT, undefined, 'drop'),
    ret(ACCEPT),
    label('drop'),
    ret(DROP),
  ]);
}

export function ipv4ToNumber(address: string): number {
  if (!isIPv4(address)) throw new InvalidArgumentError(`not an IPv4 address: ${address}`);
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}
