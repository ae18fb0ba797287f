import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { NdProxy, NdProxyEvent } from '../proxy';
import { systemProxies } from '../system/components';
import { assertInterfaceName, replaceHostRoute, writeSysctl } from '../system/kernel';

export interface StandaloneOptions {
  readonly upstream: string;
  readonly guest: string;
  readonly logger: Logger;
  /** Tries of the pairing while the guest interface does not exist yet, and the pause between them. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
}

/**
 * The original ndproxyd start-up: accept_ra=2 on the upstream, forwarding on, then the pair, retried while the
 * guest interface (a bridge that LXD creates late) does not exist. Guest addresses become /128 routes.
 */
export async function startStandalone(options: StandaloneOptions): Promise<Pick<NdProxy, 'stats' | 'close'>> {
  const { upstream, guest, logger } = options;
  assertInterfaceName(upstream);
  assertInterfaceName(guest);
  writeSysctl(`net.ipv6.conf.${upstream}.accept_ra`, '2');
  writeSysctl('net.ipv6.conf.all.forwarding', '1');
  const proxies = systemProxies(logger);
  const proxy = proxies.create((event) => applyEvent(event, logger));
  const close = (): void => {
    proxy.close();
    proxies.close();
  };
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      proxy.addPair(upstream, guest);
      return { stats: () => proxy.stats(), close };
    } catch (error) {
      if (attempt >= attempts) {
        close();
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
