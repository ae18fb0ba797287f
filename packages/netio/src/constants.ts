/** Linux ABI numbers used by this package and its callers (stable kernel constants). */

/** Ethertypes (host order), for packet sockets. */
export const ETH_P_ALL = 0x0003;
export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const AF_PACKET = 17;

export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_NONBLOCK = 0o4000;

export const NETLINK_ROUTE = 0;
export const IPPROTO_RAW = 255;

export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_BROADCAST = 6;

export const IPPROTO_IP = 0;
export const IP_TTL = 2;
export const IP_HDRINCL = 3;
export const IP_MULTICAST_TTL = 33;
export const IP_MULTICAST_LOOP = 34;
export const IP_MULTICAST_ALL = 49;

export const IPPROTO_IPV6 = 41;
export const IPV6_UNICAST_HOPS = 16;
export const IPV6_MULTICAST_HOPS = 18;
export const IPV6_MULTICAST_LOOP = 19;
export const IPV6_V6ONLY = 26;
export const IPV6_MULTICAST_ALL = 29;

/** sll_pkttype of a received frame. */
export const PacketType = {
  Host: 0,
  Broadcast: 1,
  Multicast: 2,
  OtherHost: 3,
  /** A frame this host transmitted (seen by every packet socket but the sender's own). */
  Outgoing: 4,
  Loopback: 5,
} as const;
export type PacketType = (typeof PacketType)[keyof typeof PacketType];
