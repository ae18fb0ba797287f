import type { Ipv4Cidr, TrafficSource } from '../../../api/patchpanel-api';
import { type RuleSet, ruleSet } from '../rule-set';
import {
  ACCEPT,
  conntrackState,
  DROP,
  jump,
  markMatch,
  outInterface,
  ownerUid,
  RETURN,
  restoreMark,
  setMark,
  source,
} from '../rules';
import { type ChainName, type OwnerId, ownerChain, ownerId } from '../values';
import {
  POLICY_BYTE_MASK,
  ROUTE_ON_VPN,
  ROUTING_TAG_MASK,
  routingTag,
  TRAFFIC_SOURCE_MASK,
  trafficSourceMark,
  VPN_POLICY_MASK,
} from './fwmark';

/** The global owner; it also owns the top-level chains `pp_<HOOK>`. */
export const BASE_OWNER: OwnerId = ownerId('base');
/** mangle chain giving VPN-routed traffic the VPN's routing tag; guests with route_on_vpn jump to it. */
export const BASE_VPN_CHAIN: ChainName = ownerChain(BASE_OWNER, 'vpn_mark');
const LOCAL_SOURCE_CHAIN = 'src_mark';
const VPN_CHAIN = 'vpn_mark';

/** Physical interface prefixes of the original (anti-leak drops); the daemon's config may replace them. */
export const DEFAULT_PHYSICAL_PREFIXES: readonly string[] = ['eth', 'wlan', 'mlan', 'usb', 'wwan', 'rmnet'];
export const GUEST_NETWORK: Ipv4Cidr = { base: '100.115.92.0', prefixLength: 23 };

/** A local user whose sockets get a traffic source (spec §5.3); only users that exist are listed. */
export interface LocalSource {
  readonly uid: number;
  readonly source: TrafficSource;
  /** Whether the user's traffic follows a VPN when one is the default network. */
  readonly routeOnVpn: boolean;
}

export interface BaseFirewallInput {
  /** Guest addresses; they never leave through a physical interface without NAT. */
  readonly guestNetwork: Ipv4Cidr;
  readonly physicalPrefixes: readonly string[];
  readonly localSources: readonly LocalSource[];
  /** ifindex of the VPN that is the default network, if one is. */
  readonly vpnIfindex: number | undefined;
}

/**
 * The global rules (spec §5.2 adapted): forwarded replies accepted, guest addresses never leaked through a
 * physical interface, and in mangle OUTPUT the routing-tag restore, the local source marks and the VPN
 * chain. SNAT is per owner (MASQUERADE by source subnet), so the legacy 1/1 mark is gone.
 */
export function buildBaseRuleSet(input: BaseFirewallInput): RuleSet {
  const b = ruleSet(BASE_OWNER, 'first');
  b.add('both', 'filter', 'FORWARD', [conntrackState('ESTABLISHED', 'RELATED')], ACCEPT);
  const guests = `${input.guestNetwork.base}/${input.guestNetwork.prefixLength}`;
  for (const prefix of input.physicalPrefixes) {
    b.add('ipv4', 'filter', 'OUTPUT', [source(guests), outInterface(`${prefix}+`)], DROP);
  }
  b.add('both', 'mangle', 'OUTPUT', [], restoreMark(ROUTING_TAG_MASK));
  b.add('both', 'mangle', 'OUTPUT', [], jump(b.chain(LOCAL_SOURCE_CHAIN)));
  b.add('both', 'mangle', 'OUTPUT', [markMatch(ROUTE_ON_VPN, VPN_POLICY_MASK)], jump(b.chain(VPN_CHAIN)));
  for (const local of input.localSources) {
    const mark = (local.routeOnVpn ? ROUTE_ON_VPN : 0) | trafficSourceMark(local.source);
    b.add('both', 'mangle', LOCAL_SOURCE_CHAIN, [ownerUid(local.uid)], setMark(mark, POLICY_BYTE_MASK));
  }
  const system = trafficSourceMark('system');
  b.add(
    'both',
    'mangle',
    LOCAL_SOURCE_CHAIN,
    [markMatch(0, TRAFFIC_SOURCE_MASK)],
    setMark(system, TRAFFIC_SOURCE_MASK),
  );
  // RETURN where the original ACCEPTed: same effect for our callers, without ending the host's own mangle rules.
  b.add('both', 'mangle', VPN_CHAIN, [markMatch(0, ROUTING_TAG_MASK, { invert: true })], RETURN);
  if (input.vpnIfindex !== undefined) {
    b.add('both', 'mangle', VPN_CHAIN, [], setMark(routingTag(input.vpnIfindex), ROUTING_TAG_MASK));
  }
  return b.build();
}
