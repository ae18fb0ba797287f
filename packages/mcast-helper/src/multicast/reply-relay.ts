import type { Logger } from 'pino';
import type { Counters } from '../counters';
import type { Datagram, DatagramPort, Endpoint, MulticastIo } from './io';
import type { IpFamily } from './protocols';

/** Where a relayed port's replies go: the guest that sent last from that port. */
interface RelayedPort {
  readonly port: DatagramPort;
  guest: { readonly device: string; readonly source: Endpoint };
  cancel: () => void;
}

export interface ReplyRelayOptions {
  readonly upstream: string;
  readonly io: MulticastIo;
  /** Multicast TTL of what the relayed ports send. */
  readonly ttl: number;
  /** How long after its last datagram a port keeps relaying replies. */
  readonly windowMs: number;
  readonly counters: Counters;
  readonly logger: Logger;
}

/**
 * A guest datagram from an ephemeral port goes to the LAN from the same port on the upstream, so a unicast
 * answer (an SSDP response to an M-SEARCH, an mDNS legacy unicast answer) comes back to that port; for
 * `windowMs` after the last datagram such answers are relayed to the guest with the responder's own source, as
 * a NAT would deliver them. IPv6 answers are not relayed (no raw IPv6 send).
 */
export class ReplyRelay {
  private readonly ports = new Map<string, RelayedPort>();

  constructor(private readonly options: ReplyRelayOptions) {}

  send(
    family: IpFamily,
    guest: { device: string; source: Endpoint },
    payload: Uint8Array,
    to: Endpoint,
  ): void {
    const key = `${family}:${guest.source.port}`;
    let relayed = this.ports.get(key);
    if (relayed === undefined) {
      const port = this.options.io.openReplyPort(
        { family, device: this.options.upstream, port: guest.source.port, ttl: this.options.ttl },
        (reply) => this.relay(family, key, reply),
      );
      relayed = { port, guest, cancel: () => {} };
      this.ports.set(key, relayed);
    }
    relayed.guest = guest;
    relayed.cancel();
    relayed.cancel = this.options.io.schedule(this.options.windowMs, () => this.release(key));
    relayed.port.send(payload, to);
  }

  /** Stops relaying to a guest that went away. */
  forgetGuest(device: string): void {
    for (const [key, relayed] of this.ports) if (relayed.guest.device === device) this.release(key);
  }

  close(): void {
    for (const key of [...this.ports.keys()]) this.release(key);
  }

  private relay(family: IpFamily, key: string, reply: Datagram): void {
    const relayed = this.ports.get(key);
    if (relayed === undefined) return;
    if (family === 6) {
      this.options.counters.increment('drop:ipv6-reply');
      return;
    }
    const { device, source } = relayed.guest;
    try {
      this.options.io.sendIpv4As(device, { from: reply.from, to: source, payload: reply.payload });
      this.options.counters.increment('reply-to-guest');
    } catch (err) {
      this.options.counters.increment('error:send');
      this.options.logger.debug({ err, device }, 'reply relay failed');
    }
  }

  private release(key: string): void {
    const relayed = this.ports.get(key);
    if (relayed === undefined) return;
    this.ports.delete(key);
    relayed.cancel();
    relayed.port.close();
  }
}
