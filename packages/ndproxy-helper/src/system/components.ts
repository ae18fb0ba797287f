import { ETH_P_IPV6, interfaceIndex, neighborDiscoveryFilter, openPacketSocket } from '@patchpanel/netio';
import type { Logger } from 'pino';
import { NdProxy, type NdProxyComponents, type NdProxyEvent, NeighbourCache } from '../proxy';
import { readInterfaceMac } from './kernel';
import { type KernelTables, openKernelFeed } from './kernel-feed';
import { LinkTable } from './link-table';
import { MacCache } from './mac-cache';

/** How long a MAC read from sysfs is trusted, for links the kernel feed has not reported (yet). */
const MAC_TTL_MS = 1000;

/** Packet socket and interface components over the real kernel, in the process's namespace. */
function systemComponents(
  logger: Logger,
  tables: KernelTables,
  onEvent: (event: NdProxyEvent) => void,
): NdProxyComponents {
  const sysfs = new MacCache(readInterfaceMac, MAC_TTL_MS);
  return {
    openSocket: (onFrame, onError) => {
      const socket = openPacketSocket({
        protocol: ETH_P_IPV6,
        mode: 'raw',
        filter: neighborDiscoveryFilter(),
      });
      socket.on('frame', onFrame);
      socket.on('error', onError);
      return { send: (frame, to) => void socket.send(frame, to), close: () => socket.close() };
    },
    interfaceIndex: (ifname) => interfaceIndex(ifname),
    interfaceMac: (ifname) => tables.links.macOf(ifname) ?? sysfs.get(ifname),
    neighbours: tables.neighbours,
    logger,
    onEvent,
  };
}

/** Makes proxies over the real kernel; the kernel tables they share outlive each proxy (a replay's reset). */
export interface SystemProxies {
  create(onEvent: (event: NdProxyEvent) => void): NdProxy;
  close(): void;
}

export function systemProxies(logger: Logger): SystemProxies {
  const tables: KernelTables = { neighbours: new NeighbourCache(), links: new LinkTable() };
  const feed = openKernelFeed(tables, logger);
  return {
    create: (onEvent) => new NdProxy(systemComponents(logger, tables, onEvent)),
    close: () => feed.close(),
  };
}
