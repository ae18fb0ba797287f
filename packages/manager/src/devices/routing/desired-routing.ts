import type { PhysicalDevice } from '../device-source';
import type { IpFamily, KernelRoute, KernelRule } from '../netlink/kernel-objects';
import { RT_TABLE_MAIN, RTN_UNICAST } from '../netlink/kernel-objects';

/** Per-interface routing table id = ifindex + 1000 (spec §5.3, shill's numbering). */
export const ROUTING_TABLE_OFFSET = 1000;
/** The routing tag occupies bits 31..16 of the fwmark. */
export const ROUTING_TAG_MASK = 0xffff0000;
/**
 * The RTPROT_/FRA_PROTOCOL value on every rule and route the daemon installs: it is how a restarted daemon
 * tells its own leftovers from what an administrator or another daemon added. Unassigned in rt_protos.
 */
export const PATCHPANEL_PROTOCOL = 112;
/** Priority of the fwmark rules: after the local table (0), before main (32766). */
export const DEFAULT_RULE_PRIORITY = 1000;
/** FR_ACT_TO_TBL */
const FR_ACT_TO_TBL = 1;
const FAMILIES: readonly IpFamily[] = [4, 6];

/** The table of an interface, or undefined when ifindex + 1000 does not fit the 16-bit routing tag. */
export function routingTableOf(ifindex: number): number | undefined {
  const table = ifindex + ROUTING_TABLE_OFFSET;
  return ifindex > 0 && table <= 0xffff ? table : undefined;
}

/** The fwmark routing tag of a table, as an unsigned 32-bit value. */
export function routingTagOf(table: number): number {
  return table * 0x10000;
}

export interface DesiredRouting {
  readonly rules: readonly KernelRule[];
  readonly routes: readonly KernelRoute[];
}

export const NO_ROUTING: DesiredRouting = { rules: [], routes: [] };

/** Main-table routes that can be copied: unicast, leaving through this device, with a single nexthop. */
function copiable(route: KernelRoute, ifindex: number): boolean {
  return (
    route.table === RT_TABLE_MAIN && route.type === RTN_UNICAST && route.oif === ifindex && !route.multipath
  );
}

/**
 * What the routing must look like for these physical devices: per device and family one rule
 * `fwmark <tag>/0xffff0000 lookup <table>`, and in that table a copy of each of the device's main-table
 * routes (its connected subnets, its default route via its gateway, anything else routed through it).
 */
export function desiredRouting(
  devices: readonly PhysicalDevice[],
  mainRoutes: readonly KernelRoute[],
  rulePriority: number = DEFAULT_RULE_PRIORITY,
): DesiredRouting {
  const rules: KernelRule[] = [];
  const routes: KernelRoute[] = [];
  for (const device of devices) {
    const table = routingTableOf(device.ifindex);
    if (table === undefined) continue;
    for (const family of FAMILIES) {
      rules.push({
        family,
        priority: rulePriority,
        table,
        action: FR_ACT_TO_TBL,
        fwmark: routingTagOf(table),
        fwmask: ROUTING_TAG_MASK,
        protocol: PATCHPANEL_PROTOCOL,
      });
    }
    for (const route of mainRoutes) {
      if (copiable(route, device.ifindex)) routes.push({ ...route, table, protocol: PATCHPANEL_PROTOCOL });
    }
  }
  return { rules, routes };
}

/** A rule of the shape the daemon installs: ours by protocol, its mark the tag of the table it looks up. */
export function isOwnRule(rule: KernelRule): boolean {
  return (
    rule.protocol === PATCHPANEL_PROTOCOL &&
    rule.action === FR_ACT_TO_TBL &&
    rule.table > ROUTING_TABLE_OFFSET &&
    rule.table <= 0xffff &&
    rule.fwmask === ROUTING_TAG_MASK &&
    rule.fwmark === routingTagOf(rule.table)
  );
}

/** A route the daemon installed: ours by protocol, in a per-interface table. */
export function isOwnRoute(route: KernelRoute): boolean {
  return (
    route.protocol === PATCHPANEL_PROTOCOL && route.table > ROUTING_TABLE_OFFSET && route.table <= 0xffff
  );
}
