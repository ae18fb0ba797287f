import type { Logger } from 'pino';
import { Counters } from '../counters';
import { MDNS, MulticastForwarder, type MulticastIo, SSDP } from '../multicast';
import type { NamedForwarder } from './forwarding-service';

/** How long unicast replies to a guest's ephemeral port are relayed: SSDP's MX is at most 5 s. */
export const REPLY_WINDOW_MS = 10_000;

/** The mDNS and SSDP forwarders of one upstream. */
export function multicastForwarders(upstream: string, io: MulticastIo, logger: Logger): NamedForwarder[] {
  return [MDNS, SSDP].map((protocol) => {
    const counters = new Counters();
    const options = { protocol, upstream, io, counters, logger, replyWindowMs: REPLY_WINDOW_MS };
    return { name: protocol.name, counters, forwarder: new MulticastForwarder(options) };
  });
}
