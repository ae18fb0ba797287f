import { ETH_P_IPV6, interfaceIndex, neighborDiscoveryFilter, openPacketSocket } from '@patchpanel/netio';
import type { Logger } from 'pino';
import type { NdProxyComponents, NdProxyEvent, NeighbourLookup } from '../proxy';
import { readInterfaceMac } from './kernel';
import { MacCache } from './mac-cache';

/** How long a read interface MAC is trusted: a MAC that changes is followed within this time. */
const MAC_TTL_MS = 1000;

/** Packet socket and interface components over the real kernel, in the process's namespace. */
export function systemComponents(
  logger: Logger,
  neighbours: NeighbourLookup,
  onEvent: (event: NdProxyEvent) => void,
): NdProxyComponents {
  const macs = new MacCache(readInterfaceMac, MAC_TTL_MS);
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
    interfaceMac: (ifname) => macs.get(ifname),
    neighbours,
    logger,
    onEvent,
  };
}
