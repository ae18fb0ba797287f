import type { Logger } from 'pino';
import { ipv4AddressBytes, parseIpv4Address } from '../broadcast';
import type { Counters } from '../counters';
import { rewriteMdnsAddresses } from '../mdns';
import type { Datagram, DatagramPort, MulticastIo } from './io';
import { FAMILIES, type IpFamily, type MulticastProtocol } from './protocols';
import { ReplyRelay } from './reply-relay';

export interface MulticastForwarderOptions {
  readonly protocol: MulticastProtocol;
  readonly upstream: string;
  readonly io: MulticastIo;
  readonly counters: Counters;
  readonly logger: Logger;
  /** How long replies to a guest's ephemeral port are relayed after its last datagram. */
  readonly replyWindowMs: number;
}

/**
 * One protocol (mDNS or SSDP) between one upstream and its guests, per family: LAN → every guest; a guest →
 * every other guest and the LAN (IPv4 mDNS answers rewritten across the NAT, ephemeral source ports kept).
 * Each port is bound to its device with multicast loop off, so nothing sent is read back: no loops, no storms.
 */
export class MulticastForwarder {
  private readonly lan = new Map<IpFamily, DatagramPort>();
  private readonly guests = new Map<string, Map<IpFamily, DatagramPort>>();
  private readonly relay: ReplyRelay;
  private readonly log: Logger;
  private lanOpened = false;

  constructor(private readonly options: MulticastForwarderOptions) {
    this.log = options.logger.child({ forwarder: options.protocol.name, upstream: options.upstream });
    this.relay = new ReplyRelay({
      ...options,
      ttl: options.protocol.ttl,
      windowMs: options.replyWindowMs,
      logger: this.log,
    });
  }

  /** False when the guest is there already or no family could be bound on it. */
  addGuest(ifname: string): boolean {
    if (this.guests.has(ifname)) return false;
    this.openLan();
    const ports = this.openPorts(ifname, (family, datagram) => this.fromGuest(ifname, family, datagram));
    if (ports.size === 0) return false;
    this.guests.set(ifname, ports);
    return true;
  }

  removeGuest(ifname: string): void {
    for (const port of this.guests.get(ifname)?.values() ?? []) port.close();
    this.guests.delete(ifname);
    this.relay.forgetGuest(ifname);
  }

  get guestCount(): number {
    return this.guests.size;
  }

  close(): void {
    for (const ifname of [...this.guests.keys()]) this.removeGuest(ifname);
    for (const port of this.lan.values()) port.close();
    this.lan.clear();
    this.relay.close();
  }

  private openLan(): void {
    if (this.lanOpened) return;
    this.lanOpened = true;
    for (const [family, port] of this.openPorts(this.options.upstream, (f, d) => this.fromLan(f, d))) {
      this.lan.set(family, port);
    }
  }

  /** A port per family on `device`; a family that cannot be bound there is logged and left out. */
  private openPorts(device: string, onDatagram: (family: IpFamily, datagram: Datagram) => void) {
    const ports = new Map<IpFamily, DatagramPort>();
    const { groups, port, ttl } = this.options.protocol;
    for (const family of FAMILIES) {
      try {
        const spec = { family, device, group: groups[family], port, ttl };
        ports.set(
          family,
          this.options.io.openGroupPort(spec, (datagram) => onDatagram(family, datagram)),
        );
      } catch (err) {
        this.log.warn({ err, device, family }, 'no forwarding port for this family');
      }
    }
    return ports;
  }

  private group(family: IpFamily) {
    return { address: this.options.protocol.groups[family], port: this.options.protocol.port };
  }

  private fromLan(family: IpFamily, datagram: Datagram): void {
    for (const ports of this.guests.values())
      this.send(ports.get(family), datagram.payload, family, 'lan-to-guest');
  }

  private fromGuest(ifname: string, family: IpFamily, datagram: Datagram): void {
    for (const [other, ports] of this.guests) {
      if (other !== ifname) this.send(ports.get(family), datagram.payload, family, 'guest-to-guest');
    }
    const lanPort = this.lan.get(family);
    if (lanPort === undefined) {
      this.options.counters.increment(`drop:no-upstream-ipv${family}`);
      return;
    }
    const payload = this.towardsLan(family, datagram);
    if (payload === undefined) return;
    if (datagram.from.port === this.options.protocol.port) {
      this.send(lanPort, payload, family, 'guest-to-lan');
      return;
    }
    try {
      this.relay.send(family, { device: ifname, source: datagram.from }, payload, this.group(family));
      this.options.counters.increment('guest-to-lan');
    } catch (err) {
      this.options.counters.increment('error:send');
      this.log.debug({ err, port: datagram.from.port }, 'cannot send from the guest’s port');
    }
  }

  /** The payload for the LAN: IPv4 mDNS with the guest's A records rewritten, undefined when it cannot go. */
  private towardsLan(family: IpFamily, datagram: Datagram): Uint8Array | undefined {
    if (family !== 4 || this.options.protocol.name !== 'mdns') return datagram.payload;
    const guest = parseIpv4Address(datagram.from.address);
    if (guest === undefined || guest === 0) return datagram.payload;
    const upstream = this.options.io.ipv4Of(this.options.upstream);
    if (upstream === undefined) {
      this.options.counters.increment('drop:no-upstream-address');
      return undefined;
    }
    const result = rewriteMdnsAddresses(datagram.payload, ipv4AddressBytes(guest), upstream);
    if (!result.rewritten) return datagram.payload;
    this.options.counters.increment('mdns-rewritten');
    return result.datagram;
  }

  private send(port: DatagramPort | undefined, payload: Uint8Array, family: IpFamily, counter: string): void {
    if (port === undefined) return;
    try {
      port.send(payload, this.group(family));
      this.options.counters.increment(counter);
    } catch (err) {
      this.options.counters.increment('error:send');
      this.log.debug({ err }, 'send failed');
    }
  }
}
