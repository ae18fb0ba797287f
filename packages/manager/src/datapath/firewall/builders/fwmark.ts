import type { TrafficSource } from '../../../api/patchpanel-api';
import { FirewallRuleError } from '../errors';

/** The 32-bit fwmark layout (spec §5.3), most significant bits first. */
export const ROUTING_TAG_MASK = 0xffff0000;
export const VPN_POLICY_MASK = 0x0000c000;
export const ROUTE_ON_VPN = 0x00008000;
export const BYPASS_VPN = 0x00004000;
export const TRAFFIC_SOURCE_MASK = 0x00003f00;
/** VPN policy and traffic source together. */
export const POLICY_BYTE_MASK = 0x0000ff00;
/** Set in the source of every forwarded (guest) class. */
export const FORWARDED_SOURCE_BIT = 0x00002000;
/** shill's per-interface routing table is ifindex + 1000; the routing tag carries that table id. */
export const ROUTING_TABLE_OFFSET = 1000;

const SOURCE_VALUES: Readonly<Record<TrafficSource, number>> = {
  unknown: 0,
  chrome: 1,
  user: 2,
  update_engine: 3,
  system: 4,
  host_vpn: 5,
  arc: 0x20,
  crosvm: 0x21,
  pluginvm: 0x22,
  tether_downstream: 0x23,
  arc_vpn: 0x24,
};

/** The traffic source's bits in the mark (`source << 8`), inside TRAFFIC_SOURCE_MASK. */
export function trafficSourceMark(source: TrafficSource): number {
  const value = SOURCE_VALUES[source];
  if (value === undefined) throw new FirewallRuleError(`traffic source ${JSON.stringify(source)} is unknown`);
  return value << 8;
}

/** The routing tag of an interface: its routing table id (ifindex + 1000) in the upper 16 bits. */
export function routingTag(ifindex: number): number {
  if (!Number.isInteger(ifindex) || ifindex < 1 || ifindex + ROUTING_TABLE_OFFSET > 0xffff) {
    throw new FirewallRuleError(`ifindex ${ifindex} has no routing tag`);
  }
  return ((ifindex + ROUTING_TABLE_OFFSET) << 16) >>> 0;
}
