import { setTimeout as sleep } from 'node:timers/promises';
import { ETH_P_IPV6, interfaceIndex, neighborDiscoveryFilter, openPacketSocket } from '@patchpanel/netio';
import type { Logger } from 'pino';
import { LearntNeighbourCache, NdProxy, type NdProxyComponents, type NdProxyEvent } from '../proxy';
import { assertInterfaceName, readInterfaceMac, replaceHostRoute, writeSysctl } from './system';

export interface StandaloneOptions {
  readonly upstream: string;
  readonly guest: string;
  readonly logger: Logger;
  /** Tries of the pairing while the guest interface does not exist yet, and the pause between them. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
}

/** Packet socket, interface and neighbour components over the real kernel, in the process's namespace. */
export function systemComponents(logger: Logger, onEvent: (event: NdProxyEvent) => void): NdProxyComponents {
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
    interfaceMac: readInterfaceMac,
    neighbours: new LearntNeighbourCache(),
    logger,
    onEvent,
  };
}

/**
 * The original ndproxyd start-up: accept_ra=2 on the upstream, forwarding on, then the pair, retried while the
 * guest interface (a bridge that LXD creates late) does not exist. Guest addresses become /128 routes.
 */
export async function startStandalone(options: StandaloneOptions): Promise<NdProxy> {
  const { upstream, guest, logger } = options;
  assertInterfaceName(upstream);
  assertInterfaceName(guest);
  writeSysctl(`net.ipv6.conf.${upstream}.accept_ra`, '2');
  writeSysctl('net.ipv6.conf.all.forwarding', '1');
  const proxy = new NdProxy(systemComponents(logger, (event) => applyEvent(event, logger)));
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      proxy.addPair(upstream, guest);
      return proxy;
    } catch (error) {
      if (attempt >= attempts) {
        proxy.close();
        throw error;
      }
      logger.warn({ err: error, attempt }, 'pairing failed, retrying');
      await sleep(options.retryDelayMs ?? 1000);
    }
  }
}

/** Without a manager, a guest address becomes a /128 route; guest-facing addresses are not assigned. */
function applyEvent(event: NdProxyEvent, logger: Logger): void {
  if (event.type !== 'route') return;
  replaceHostRoute(event.address, event.ifname).then(
    () => logger.info({ address: event.address, ifname: event.ifname }, 'route added'),
    (error: unknown) => logger.error({ err: error }, 'route failed'),
  );
}
