import type { DeviceChange } from '@patchpanel/ipc';
import type { Logger } from 'pino';
import type { Counters } from '../counters';

/** A forwarder between one upstream and its guests (mDNS, SSDP or broadcast). */
export interface GuestForwarder {
  /** False when the guest could not be added (no socket could be opened on it). */
  addGuest(ifname: string): boolean;
  removeGuest(ifname: string): void;
  close(): void;
}

export interface NamedForwarder {
  readonly name: string;
  readonly forwarder: GuestForwarder;
  readonly counters: Counters;
}

export interface ForwardingServiceOptions {
  /** The forwarders of a new upstream; called when its first guest arrives. */
  readonly createForwarders: (upstream: string) => NamedForwarder[];
  readonly logger: Logger;
}

interface Upstream {
  readonly forwarders: NamedForwarder[];
  readonly guests: Set<string>;
}

/**
 * DeviceMessages drive the forwarders: a start adds the guest to every forwarder of its upstream (made on the
 * first guest), a stop removes it (an upstream with no guest left closes its forwarders, so no socket stays
 * open for nobody), a teardown without a guest closes the upstream's forwarders.
 */
export class ForwardingService {
  private readonly upstreams = new Map<string, Upstream>();

  constructor(private readonly options: ForwardingServiceOptions) {}

  apply(change: DeviceChange): void {
    if (change.action === 'start') this.start(change.upstream, change.guest);
    else if (change.action === 'stop') this.stop(change.upstream, change.guest);
    else if (change.action === 'remove-upstream') this.closeUpstream(change.upstream);
  }

  /** Counters by upstream and forwarder. */
  stats(): Record<string, Record<string, Record<string, number>>> {
    return Object.fromEntries(
      [...this.upstreams].map(([upstream, entry]) => [upstream, this.statsOf(entry)]),
    );
  }

  /** Everything goes (a state replay begins, or the helper ends). */
  close(): void {
    for (const upstream of [...this.upstreams.keys()]) this.closeUpstream(upstream);
  }

  private start(upstream: string, guest: string): void {
    let entry = this.upstreams.get(upstream);
    if (entry === undefined) {
      entry = { forwarders: this.options.createForwarders(upstream), guests: new Set() };
      this.upstreams.set(upstream, entry);
    }
    if (entry.guests.has(guest)) return;
    const added = entry.forwarders.filter(({ name, forwarder }) =>
      this.attempt(name, () => forwarder.addGuest(guest)),
    );
    entry.guests.add(guest);
    this.options.logger.info({ upstream, guest, forwarders: added.map((f) => f.name) }, 'guest added');
  }

  private stop(upstream: string, guest: string): void {
    const entry = this.upstreams.get(upstream);
    if (entry === undefined || !entry.guests.delete(guest)) return;
    for (const { forwarder } of entry.forwarders) forwarder.removeGuest(guest);
    this.options.logger.info({ upstream, guest }, 'guest removed');
    if (entry.guests.size === 0) this.closeUpstream(upstream);
  }

  private closeUpstream(upstream: string): void {
    const entry = this.upstreams.get(upstream);
    if (entry === undefined) return;
    this.upstreams.delete(upstream);
    for (const { forwarder } of entry.forwarders) forwarder.close();
    this.options.logger.info({ upstream, counters: this.statsOf(entry) }, 'upstream closed');
  }

  private statsOf(entry: Upstream): Record<string, Record<string, number>> {
    return Object.fromEntries(entry.forwarders.map(({ name, counters }) => [name, counters.snapshot()]));
  }

  /** A forwarder that throws while adding is logged; the others still get the guest. */
  private attempt(name: string, add: () => boolean): boolean {
    try {
      return add();
    } catch (err) {
      this.options.logger.error({ err, forwarder: name }, 'guest not added');
      return false;
    }
  }
}
