import type { KernelRoute, KernelRule } from '../netlink/kernel-objects';
import { type DesiredRouting, isOwnRoute, isOwnRule } from './desired-routing';

/** What turns the kernel's routing into the desired one, in the order it is applied. */
export interface RoutingChanges {
  readonly deleteRules: readonly KernelRule[];
  readonly deleteRoutes: readonly KernelRoute[];
  /** Connected routes come before routes via a gateway. */
  readonly addRoutes: readonly KernelRoute[];
  /** Same destination and metric, another nexthop or source. */
  readonly replaceRoutes: readonly KernelRoute[];
  readonly addRules: readonly KernelRule[];
}

/** What identifies a route to the kernel (for both families: table, destination, tos, metric). */
export function routeKey(route: KernelRoute): string {
  return `${route.family} ${route.table} ${route.dst}/${route.dstLen} tos ${route.tos} metric ${route.metric}`;
}

export function ruleKey(rule: KernelRule): string {
  return `${rule.family} pref ${rule.priority} fwmark ${rule.fwmark}/${rule.fwmask} table ${rule.table}`;
}

function sameNexthop(a: KernelRoute, b: KernelRoute): boolean {
  return (
    a.oif === b.oif &&
    a.gateway === b.gateway &&
    a.prefsrc === b.prefsrc &&
    a.scope === b.scope &&
    a.type === b.type &&
    a.onlink === b.onlink
  );
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

/**
 * The difference between the desired routing and the kernel's rules and routes. Only rules and routes the
 * daemon owns (isOwnRule, isOwnRoute) are ever deleted: leftovers of an earlier run, devices gone, duplicates.
 */
export function diffRouting(
  desired: DesiredRouting,
  kernelRules: readonly KernelRule[],
  kernelRoutes: readonly KernelRoute[],
): RoutingChanges {
  const wantedRules = byKey(desired.rules, ruleKey);
  const keptRules = new Set<string>();
  const deleteRules = kernelRules.filter(isOwnRule).filter((rule) => {
    const key = ruleKey(rule);
    if (!wantedRules.has(key) || keptRules.has(key)) return true;
    keptRules.add(key);
    return false;
  });
  const addRules = [...wantedRules].filter(([key]) => !keptRules.has(key)).map(([, rule]) => rule);

  const wantedRoutes = byKey(desired.routes, routeKey);
  const present = new Map<string, KernelRoute>();
  const deleteRoutes = kernelRoutes.filter(isOwnRoute).filter((route) => {
    const key = routeKey(route);
    if (!wantedRoutes.has(key) || present.has(key)) return true;
    present.set(key, route);
    return false;
  });
  const addRoutes: KernelRoute[] = [];
  const replaceRoutes: KernelRoute[] = [];
  for (const [key, route] of wantedRoutes) {
    const existing = present.get(key);
    if (existing === undefined) addRoutes.push(route);
    else if (!sameNexthop(existing, route)) replaceRoutes.push(route);
  }
  addRoutes.sort((a, b) => Number(a.gateway !== undefined) - Number(b.gateway !== undefined));
  return { deleteRules, deleteRoutes, addRoutes, replaceRoutes, addRules };
}

export function isEmptyChange(changes: RoutingChanges): boolean {
  return Object.values(changes).every((list: readonly unknown[]) => list.length === 0);
}
