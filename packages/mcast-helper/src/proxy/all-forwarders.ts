import type { Logger } from 'pino';
import type { BroadcastIo } from '../broadcast-forwarder';
import { BroadcastForwarder } from '../broadcast-forwarder';
import { Counters } from '../counters';
import type { MulticastSystem } from '../system/multicast-system';
import type { NamedForwarder } from './forwarding-service';
import { multicastForwarders } from './multicast-forwarders';

/** What the helper runs for one upstream: mDNS, SSDP and broadcast. */
export function allForwarders(
  upstream: string,
  system: MulticastSystem,
  broadcastIo: BroadcastIo,
  logger: Logger,
): NamedForwarder[] {
  const counters = new Counters();
  const broadcast = new BroadcastForwarder({ upstream, io: broadcastIo, logger, counters });
  return [
    ...multicastForwarders(upstream, system.multicastIo, logger),
    { name: 'broadcast', counters, forwarder: broadcast },
  ];
}
