// What peer scripts need to know about the interfaces of the namespace they run in.
import { networkInterfaces } from 'node:os';

/** The first IPv4 address of `ifname` in this process's namespace. */
export function ipv4AddressOf(ifname: string): string | undefined {
  return networkInterfaces()[ifname]?.find((a) => a.family === 'IPv4')?.address;
}

/**
 * How Node's dgram names an interface for IP_MULTICAST_IF and group membership: its IPv4 address, or for
 * IPv6 the any address scoped to it ('::%eth0').
 */
export function multicastInterface(ifname: string, family: 4 | 6): string | undefined {
  return family === 6 ? `::%${ifname}` : ipv4AddressOf(ifname);
}
