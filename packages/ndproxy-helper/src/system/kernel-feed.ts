import { linkUpdate, neighbourUpdate, type RtnlWatch, watchRtnetlink } from '@patchpanel/rtnl';
import type { Logger } from 'pino';
import type { NeighbourCache } from '../proxy';
import type { LinkTable } from './link-table';

/** What the feed keeps in step with the kernel. */
export interface KernelTables {
  readonly neighbours: NeighbourCache;
  readonly links: LinkTable;
}

/**
 * Keeps the IPv6 neighbour table and the interface MACs of the process's namespace in step with the kernel.
 * Without it (the socket cannot be opened) the proxy still works, on what it learns from frames and on sysfs.
 */
export function openKernelFeed(tables: KernelTables, logger: Logger): RtnlWatch {
  const options = { groups: ['LINK', 'NEIGH'], dumps: ['links', 'ipv6-neighbours'], logger } as const;
  return watchRtnetlink(options, (type, message) => {
    const neighbour = neighbourUpdate(type, message);
    if (neighbour) tables.neighbours.update(neighbour.ifindex, neighbour.address, neighbour.mac);
    const link = linkUpdate(type, message);
    if (link) tables.links.update(link.ifname, link.mac);
  });
}
