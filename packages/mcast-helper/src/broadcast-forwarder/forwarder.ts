import type { Logger } from 'pino';
import {
  type BroadcastPacket,
  egressDecision,
  formatIpv4Address,
  type Ipv4Interface,
  ingressCopy,
  isOwnIngress,
  LIMITED_BROADCAST,
  parseBroadcastPacket,
} from '../broadcast';
import { Counters } from '../counters';
import type { BroadcastCounterName, BroadcastDropReason } from './counters';
import type { BroadcastIo, EgressDatagram } from './io';
import { broadcastOf, InterfaceListener } from './listener';

export interface BroadcastForwarderOptions {
  /** The LAN interface whose broadcasts reach every guest and which carries every guest's broadcasts. */
  readonly upstream: string;
  readonly io: BroadcastIo;
  readonly logger: Logger;
  readonly counters?: Counters;
}

function formatInterface(ipv4: Ipv4Interface | undefined): string {
  return ipv4 === undefined ? 'none' : `${formatIpv4Address(ipv4.address)}/${ipv4.prefixLength}`;
}

/** Why a packet (or one copy of it) was not sent; undefined when it was. */
type Drop = BroadcastDropReason | undefined;

/** The errno name of a send error: netio's `errnoName`, or node's `code` ('ENETDOWN'). */
function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errnoName, code } = error as { errnoName?: unknown; code?: unknown };
  if (typeof errnoName === 'string') return errnoName;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/**
 * Relays UDP broadcasts between one LAN interface and its guest interfaces (spec helpers §7): a LAN broadcast
 * is injected into every guest with its LAN source kept, a guest broadcast leaves through the LAN from the
 * host's address. Never guest to guest. The LAN listener exists while there are guests. Nothing thrown by a
 * send escapes a packet callback: failures are counted, and logged once per device and errno.
 */
export class BroadcastForwarder {
  readonly counters: Counters;
  private readonly upstream: string;
  private readonly io: BroadcastIo;
  private readonly log: Logger;
  private readonly lan: InterfaceListener;
  private readonly guests = new Map<string, InterfaceListener>();
  private readonly reportedFailures = new Set<string>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(options: BroadcastForwarderOptions) {
    this.upstream = options.upstream;
    this.io = options.io;
    this.counters = options.counters ?? new Counters();
    this.log = options.logger.child({ component: 'broadcast-forwarder', upstream: options.upstream });
    this.lan = new InterfaceListener(this.upstream, this.io, (packet, outgoing, ipv4) =>
      this.count(this.fromLan(packet, outgoing, ipv4)),
    );
    this.unsubscribe = this.io.onAddressChange((device) => this.addressChanged(device));
  }

  /**
   * Starts relaying for `ifname` (true also when it already relays for it). False when a listener cannot be
   * opened (unknown device...): that is logged, and nothing of the guest is kept.
   */
  addGuest(ifname: string): boolean {
    if (this.guests.has(ifname)) return true;
    if (this.closed || ifname === this.upstream) {
      this.log.warn(
        { guest: ifname, closed: this.closed },
        'guest not added: the forwarder is closed or it is the upstream',
      );
      return false;
    }
    const guest = new InterfaceListener(ifname, this.io, (packet, outgoing, ipv4) =>
      this.count(this.fromGuest(ifname, packet, outgoing, ipv4)),
    );
    try {
      guest.open();
      if (!this.lan.isOpen) this.lan.open();
    } catch (err) {
      guest.close();
      this.log.warn({ err, guest: ifname }, 'guest not added: no listener');
      return false;
    }
    this.guests.set(ifname, guest);
    this.log.info(
      { guest: ifname, ipv4: formatInterface(guest.ipv4), lan: formatInterface(this.lan.ipv4) },
      'guest added',
    );
    return true;
  }

  removeGuest(ifname: string): void {
    const guest = this.guests.get(ifname);
    if (guest === undefined) return;
    this.guests.delete(ifname);
    guest.close();
    if (this.guests.size === 0) this.lan.close();
    this.log.info({ guest: ifname }, 'guest removed');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const guest of this.guests.values()) guest.close();
    this.guests.clear();
    this.lan.close();
  }

  private addressChanged(device: string): void {
    const listener = device === this.upstream ? this.lan : this.guests.get(device);
    if (listener === undefined) return;
    try {
      if (listener.refresh())
        this.log.info({ device, ipv4: formatInterface(listener.ipv4) }, 'listener re-opened');
    } catch (err) {
      this.tally('listener-open-failed');
      this.log.warn({ err, device }, 'listener not re-opened for the new address; the previous one stays');
    }
  }

  private fromLan(bytes: Uint8Array, outgoing: boolean, lan: Ipv4Interface | undefined): Drop {
    if (outgoing) return 'outgoing';
    const parsed = parseBroadcastPacket(bytes, { directedBroadcast: broadcastOf(lan) });
    if (!parsed.ok) return parsed.reason;
    if (lan !== undefined && isOwnIngress(parsed.packet, lan.address)) return 'own-address';
    for (const guest of this.guests.values()) this.count(this.inject(guest, parsed.packet));
    return undefined;
  }

  private inject(guest: InterfaceListener, packet: BroadcastPacket): Drop {
    if (guest.ipv4 === undefined) return 'guest-without-address';
    const broadcast = packet.limitedBroadcast ? LIMITED_BROADCAST : broadcastOf(guest.ipv4);
    if (broadcast === undefined) return 'guest-without-broadcast';
    try {
      this.io.sendRaw(guest.device, ingressCopy(packet, broadcast));
    } catch (error) {
      return this.sendFailed(guest.device, error);
    }
    this.tally('lan-to-guest');
    return undefined;
  }

  private fromGuest(
    device: string,
    bytes: Uint8Array,
    outgoing: boolean,
    guest: Ipv4Interface | undefined,
  ): Drop {
    if (outgoing) return 'outgoing';
    if (guest === undefined) return 'guest-without-address';
    const parsed = parseBroadcastPacket(bytes, { directedBroadcast: broadcastOf(guest) });
    if (!parsed.ok) return parsed.reason;
    const decision = egressDecision(parsed.packet, guest);
    if (!decision.send) return decision.reason;
    const destination = decision.destination === 'limited' ? LIMITED_BROADCAST : broadcastOf(this.lan.ipv4);
    if (destination === undefined) return 'no-lan-broadcast';
    const { sourcePort, destinationPort, payload } = decision;
    this.sendToLan(device, { sourcePort, destination, destinationPort, payload });
    return undefined;
  }

  private sendToLan(guest: string, datagram: EgressDatagram): void {
    // The executor runs at once: a synchronous throw of sendUdp becomes a rejection like an asynchronous one.
    new Promise<void>((resolve) => resolve(this.io.sendUdp(this.upstream, datagram))).then(
      () => this.tally('guest-to-lan'),
      (error: unknown) => this.count(this.sendFailed(this.upstream, error, guest)),
    );
  }

  /** Logs a failure once per device and errno (ENETDOWN never: a guest going down is routine). */
  private sendFailed(device: string, error: unknown, guest?: string): BroadcastDropReason {
    const errno = errnoOf(error);
    if (errno === 'ENETDOWN') return 'network-down';
    const key = `${device} ${errno ?? 'unknown'}`;
    if (!this.reportedFailures.has(key)) {
      this.reportedFailures.add(key);
      this.log.warn({ err: error, device, guest }, 'broadcast not sent (logged once per device and error)');
    }
    return 'send-failed';
  }

  private count(drop: Drop): void {
    if (drop !== undefined) this.tally(`drop:${drop}`);
  }

  private tally(name: BroadcastCounterName): void {
    this.counters.increment(name);
  }
}
