import { type KernelRoute, RT_TABLE_MAIN, RTN_UNICAST } from './netlink/kernel-objects';

function isMainDefault(route: KernelRoute): boolean {
  return (
    route.table === RT_TABLE_MAIN &&
    route.dstLen === 0 &&
    route.type === RTN_UNICAST &&
    route.oif !== undefined
  );
}

/** Lowest metric first; among equals the lowest ifindex, so the choice does not depend on dump order. */
function better(a: KernelRoute, b: KernelRoute): KernelRoute {
  if (a.metric !== b.metric) return a.metric < b.metric ? a : b;
  return (a.oif ?? 0) <= (b.oif ?? 0) ? a : b;
}

/**
 * The interface of the default network: the one of the lowest-metric IPv4 unicast default route of the
 * main table, or of the lowest-metric IPv6 one when there is no IPv4 default route.
 */
export function defaultRouteIfindex(routes: readonly KernelRoute[]): number | undefined {
  for (const family of [4, 6] as const) {
    const candidates = routes.filter((route) => route.family === family && isMainDefault(route));
    if (candidates.length > 0) return candidates.reduce(better).oif;
  }
  return undefined;
}
