import { setTimeout as sleep } from 'node:timers/promises';
import { isInterfaceName } from '@patchpanel/netio';
import type { Logger } from 'pino';
import { McastError } from '../errors';
import { multicastForwarders } from '../proxy/multicast-forwarders';
import { openMulticastSystem } from '../system/multicast-system';

export interface McastdOptions {
  readonly upstream: string;
  readonly guest: string;
  readonly logger: Logger;
  /** Tries while the guest interface does not exist yet, and the pause between them. */
  readonly attempts?: number;
  readonly retryDelayMs?: number;
}

export interface Mcastd {
  stats(): Record<string, Record<string, number>>;
  close(): void;
}

/**
 * The original mcastd: mDNS and SSDP forwarders between `upstream` and `guest`, each retried (10 × 1 s) while
 * the guest interface appears; no broadcast forwarder, no manager. Throws PP_ERR_MCAST_* when it cannot.
 */
export async function startMcastd(options: McastdOptions): Promise<Mcastd> {
  const { upstream, guest, logger } = options;
  for (const ifname of [upstream, guest]) {
    if (!isInterfaceName(ifname)) {
      throw new McastError(
        'PP_ERR_MCAST_INVALID_ARGUMENT',
        `not an interface name: ${JSON.stringify(ifname)}`,
      );
    }
  }
  const system = openMulticastSystem(logger);
  const forwarders = multicastForwarders(upstream, system.multicastIo, logger);
  const close = (): void => {
    for (const { forwarder } of forwarders) forwarder.close();
    system.close();
  };
  const pending = new Set(forwarders);
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; pending.size > 0; attempt++) {
    for (const named of [...pending]) if (named.forwarder.addGuest(guest)) pending.delete(named);
    if (pending.size === 0) break;
    if (attempt >= attempts) {
      close();
      const names = [...pending].map((named) => named.name).join(', ');
      throw new McastError('PP_ERR_MCAST_GUEST_NOT_ADDED', `${names} could not forward to ${guest}`);
    }
    logger.warn({ attempt, pending: [...pending].map((named) => named.name) }, 'guest not added, retrying');
    await sleep(options.retryDelayMs ?? 1000);
  }
  return {
    stats: () => Object.fromEntries(forwarders.map(({ name, counters }) => [name, counters.snapshot()])),
    close,
  };
}
