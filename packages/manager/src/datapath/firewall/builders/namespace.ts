import type { Ipv4Cidr, TrafficSource } from '../../../api/patchpanel-api';
import { type RuleSet, ruleSet } from '../rule-set';
import {
  ACCEPT,
  conntrackState,
  DROP,
  inInterface,
  jump,
  MASQUERADE,
  outInterface,
  restoreMark,
  setMark,
  source,
} from '../rules';
import { BASE_VPN_CHAIN } from './base';
import { ROUTING_TAG_MASK, routingTag, TRAFFIC_SOURCE_MASK, trafficSourceMark } from './fwmark';

/** A physical device, by name (for -i/-o) and ifindex (for its routing tag). */
export interface OutboundDevice {
  readonly ifname: string;
  readonly ifindex: number;
}

export interface NamespaceFirewallInput {
  /** e.g. `ns3` for connected namespace 3. */
  readonly owner: string;
  /** The daemon's end of the veth (`arc_ns3`). */
  readonly hostIfname: string;
  readonly subnet: Ipv4Cidr;
  readonly trafficSource: TrafficSource;
  /** The device the namespace is pinned to; undefined follows the default network. */
  readonly outbound: OutboundDevice | undefined;
  readonly routeOnVpn: boolean;
}

/**
 * A connected namespace (spec §7.2 with §5.5): forwarding in and out of its veth (both families: its IPv6
 * comes through the ND proxy), IPv4 SNAT of its subnet (through the chosen device, or any device but its own
 * veth), its traffic source in the mark, and routing by the chosen device's tag or, following the default
 * network, by the connection's restored tag (plus the VPN chain when it routes on VPN).
 */
export function buildNamespaceRuleSet(input: NamespaceFirewallInput): RuleSet {
  const b = ruleSet(input.owner, 'last');
  const host = input.hostIfname;
  const ext = input.outbound?.ifname;
  const fromHost = [inInterface(host)];
  // The restore comes first: nftables' form of it clears the mark bits outside its mask.
  if (input.outbound === undefined)
    b.add('both', 'mangle', 'PREROUTING', fromHost, restoreMark(ROUTING_TAG_MASK));
  b.add(
    'both',
    'mangle',
    'PREROUTING',
    fromHost,
    setMark(trafficSourceMark(input.trafficSource), TRAFFIC_SOURCE_MASK),
  );
  if (input.outbound !== undefined) {
    b.add(
      'both',
      'mangle',
      'PREROUTING',
      fromHost,
      setMark(routingTag(input.outbound.ifindex), ROUTING_TAG_MASK),
    );
  } else if (input.routeOnVpn) {
    b.add('both', 'mangle', 'PREROUTING', fromHost, jump(BASE_VPN_CHAIN));
  }
  const egress = ext === undefined ? outInterface(host, { invert: true }) : outInterface(ext);
  b.add(
    'ipv4',
    'nat',
    'POSTROUTING',
    [source(`${input.subnet.base}/${input.subnet.prefixLength}`), egress],
    MASQUERADE,
  );
  // Everything from the veth first, then everything to it: the order does not change what matches, and the
  // nftables backend dispatches each half by interface.
  b.add('both', 'filter', 'FORWARD', [inInterface(host), conntrackState('INVALID')], DROP);
  b.add(
    'both',
    'filter',
    'FORWARD',
    [inInterface(host), ...(ext === undefined ? [] : [outInterface(ext)])],
    ACCEPT,
  );
  b.add(
    'both',
    'filter',
    'FORWARD',
    [...(ext === undefined ? [] : [inInterface(ext)]), outInterface(host)],
    ACCEPT,
  );
  return b.build();
}
