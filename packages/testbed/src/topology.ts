import { slaacAddress } from './addressing';

/** Fixed addressing of the standard virtual host (documentation ranges, RFC 5737 / RFC 3849). */
export const VIRTUAL_HOST = {
  lanInterface: 'lan0',
  hostInterface: 'eth0',
  lanMac: '02:70:70:00:00:01',
  hostMac: '02:70:70:00:00:02',
  lanIpv4: '198.51.100.1',
  hostIpv4: '198.51.100.2',
  ipv4PrefixLength: 24,
  lanIpv6: '2001:db8:1::1',
  ipv6Prefix: '2001:db8:1::/64',
  avahiHostName: 'pp-lan',
} as const;

/** Where the host's eth0 lands by SLAAC from the lan's RA (its MAC is fixed, the kernel is in EUI-64 mode). */
export const HOST_SLAAC_IPV6 = slaacAddress(VIRTUAL_HOST.ipv6Prefix, VIRTUAL_HOST.hostMac);
