import type { rt } from 'netlink';
import { parseIp } from '../../addressing/ip-text';
import {
  AF_INET,
  AF_INET6,
  type IpFamily,
  type KernelRoute,
  type KernelRule,
  RTNH_F_ONLINK,
} from './kernel-objects';

/** Route and rule headers carry the table in 8 bits; larger ids go in the attribute only (as iproute2 does). */
const RT_TABLE_UNSPEC = 0;

function headerTable(table: number): number {
  return table < 256 ? table : RT_TABLE_UNSPEC;
}

export function familyNumber(family: IpFamily): number {
  return family === 4 ? AF_INET : AF_INET6;
}

/** The rtnetlink request for a route: the identifying fields, nexthop and attributes of `route`. */
export function routeRequest(route: KernelRoute): { data: rt.Route; attrs: rt.RouteAttrs } {
  const data: rt.Route = {
    family: familyNumber(route.family),
    dstLen: route.dstLen,
    tos: route.tos,
    table: headerTable(route.table),
    protocol: route.protocol,
    scope: route.scope,
    type: route.type,
    flags: route.onlink ? { __unknown: RTNH_F_ONLINK } : {},
  };
  const attrs: rt.RouteAttrs = { table: route.table, priority: route.metric };
  if (route.dstLen > 0) attrs.dst = parseIp(route.dst);
  if (route.oif !== undefined) attrs.oif = route.oif;
  if (route.gateway !== undefined) attrs.gateway = parseIp(route.gateway);
  if (route.prefsrc !== undefined) attrs.prefsrc = parseIp(route.prefsrc);
  return { data, attrs };
}

export function ruleRequest(rule: KernelRule): { data: rt.Rule; attrs: rt.RuleAttrs } {
  const data: rt.Rule = {
    family: familyNumber(rule.family),
    table: headerTable(rule.table),
    action: rule.action,
  };
  const attrs: rt.RuleAttrs = { table: rule.table, priority: rule.priority, protocol: rule.protocol };
  if (rule.fwmark !== undefined) attrs.fwmark = rule.fwmark;
  if (rule.fwmask !== undefined) attrs.fwmask = rule.fwmask;
  return { data, attrs };
}
