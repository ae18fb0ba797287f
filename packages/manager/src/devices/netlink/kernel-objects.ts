import { rt } from 'netlink';
import { formatIp } from '../../addressing/ip-text';

export type IpFamily = 4 | 6;

export const AF_INET = 2;
export const AF_INET6 = 10;
export const RT_TABLE_MAIN = 254;
export const RTN_UNICAST = 1;
/** RTNH_F_ONLINK in rtm_flags: the gateway is on the link even if no prefix says so. */
export const RTNH_F_ONLINK = 4;

export interface KernelLink {
  readonly ifindex: number;
  readonly ifname: string;
}

/** A route as the kernel reported it, with enums as numbers and addresses as text. */
export interface KernelRoute {
  readonly family: IpFamily;
  readonly table: number;
  /** Network address of the destination; `0.0.0.0` or `::` for a default route. */
  readonly dst: string;
  readonly dstLen: number;
  readonly tos: number;
  /** RTA_PRIORITY; 0 when absent. */
  readonly metric: number;
  /** The output interface; for a multipath route, the first hop's. */
  readonly oif: number | undefined;
  readonly gateway: string | undefined;
  readonly prefsrc: string | undefined;
  /** RTN_* */
  readonly type: number;
  /** RT_SCOPE_* */
  readonly scope: number;
  /** RTPROT_* */
  readonly protocol: number;
  readonly onlink: boolean;
  readonly multipath: boolean;
}

/** A policy routing rule as the kernel reported it. */
export interface KernelRule {
  readonly family: IpFamily;
  readonly priority: number;
  readonly table: number;
  /** FR_ACT_* */
  readonly action: number;
  readonly fwmark: number | undefined;
  readonly fwmask: number | undefined;
  /** FRA_PROTOCOL, the rule's originator. */
  readonly protocol: number;
}

function familyOf(value: number | undefined): IpFamily | undefined {
  if (value === AF_INET) return 4;
  if (value === AF_INET6) return 6;
  return undefined;
}

/** The numeric value of an enum field that the netlink package gives as a name when it knows one. */
function enumNumber(value: number | string | undefined, names: Record<string, string | number>): number {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  const number = names[value];
  return typeof number === 'number' ? number : 0;
}

export function linkFromMessage(message: rt.LinkMessage): KernelLink | undefined {
  const { index } = message.data;
  const { ifname } = message.attrs;
  if (index === undefined || ifname === undefined) return undefined;
  return { ifindex: index, ifname };
}

/** The ifindex of the first hop in an RTA_MULTIPATH value (a list of struct rtnexthop). */
function firstHopIfindex(multipath: Buffer): number | undefined {
  return multipath.length >= 8 ? multipath.readInt32LE(4) : undefined;
}

function text(address: Buffer | undefined): string | undefined {
  return address === undefined || address.length === 0 ? undefined : formatIp(address);
}

export function routeFromMessage(message: rt.RouteMessage): KernelRoute | undefined {
  const { data, attrs } = message;
  const family = familyOf(data.family);
  if (family === undefined) return undefined;
  const multipath = attrs.multipath !== undefined;
  return {
    family,
    table: attrs.table ?? data.table ?? 0,
    dst: text(attrs.dst) ?? (family === 4 ? '0.0.0.0' : '::'),
    dstLen: data.dstLen ?? 0,
    tos: data.tos ?? 0,
    metric: attrs.priority ?? 0,
    oif: attrs.oif ?? (attrs.multipath ? firstHopIfindex(attrs.multipath) : undefined),
    gateway: text(attrs.gateway),
    prefsrc: text(attrs.prefsrc),
    type: enumNumber(data.type, rt.RouteType),
    scope: enumNumber(data.scope, rt.RouteScope),
    protocol: enumNumber(data.protocol, rt.RouteProtocol),
    onlink: ((data.flags?.__unknown ?? 0) & RTNH_F_ONLINK) !== 0,
    multipath,
  };
}

export function ruleFromMessage(message: rt.RuleMessage): KernelRule | undefined {
  const { data, attrs } = message;
  const family = familyOf(data.family);
  if (family === undefined) return undefined;
  return {
    family,
    priority: attrs.priority ?? 0,
    table: attrs.table ?? data.table ?? 0,
    action: enumNumber(data.action, rt.RuleAction),
    fwmark: attrs.fwmark,
    fwmask: attrs.fwmask,
    protocol: attrs.protocol ?? 0,
  };
}
