import type { Logger } from 'pino';
import { NdProxyError } from '../errors';
import {
  egressDestinationMac,
  type NdFrame,
  type NdRejectReason,
  NdType,
  parseNdFrame,
  rewriteNdFrame,
} from '../nd';
import { Discovery } from './discovery';
import type { NdProxyEvent } from './events';
import { InterfaceMap } from './interface-map';
import type { NeighbourLookup } from './neighbour-cache';

/** sll_pkttype of the host's own transmissions (PacketType.Outgoing in @patchpanel/netio). */
export const PACKET_OUTGOING = 4;

/** A frame as a packet socket delivers it. */
export interface NdReceivedFrame {
  readonly data: Uint8Array;
  readonly ifindex: number;
  readonly packetType: number;
}

/** The one packet socket of the proxy, unbound (every interface), filtered to ICMPv6 133–136. */
export interface NdPacketSocket {
  send(frame: Uint8Array, to: { ifindex: number; mac: Uint8Array }): void;
  close(): void;
}

export interface NdProxyComponents {
  openSocket(onFrame: (frame: NdReceivedFrame) => void, onError: (error: Error) => void): NdPacketSocket;
  /** The ifindex of an interface; throws when it does not exist. */
  interfaceIndex(ifname: string): number;
  /** The current MAC of an interface, undefined when it cannot be read. */
  interfaceMac(ifname: string): Uint8Array | undefined;
  neighbours: NeighbourLookup;
  logger: Logger;
  onEvent(event: NdProxyEvent): void;
}

export interface NdProxyStats {
  received: number;
  forwarded: number;
  sendErrors: number;
  dropped: Partial<Record<NdRejectReason, number>>;
}

/** The RFC 4389 proxy between upstream interfaces and the guest-facing interfaces paired with them. */
export class NdProxy {
  private readonly map = new InterfaceMap();
  private readonly names = new Map<number, string>();
  private readonly discovery = new Discovery();
  private readonly counters: NdProxyStats = { received: 0, forwarded: 0, sendErrors: 0, dropped: {} };
  private socket: NdPacketSocket | undefined;
  private closed = false;

  constructor(private readonly components: NdProxyComponents) {}

  /** Starts proxying between `upstream` and `guest`; throws PP_ERR_NDPROXY_* when either is unknown. */
  addPair(upstream: string, guest: string): void {
    if (this.closed) throw new NdProxyError('PP_ERR_NDPROXY_CLOSED', 'the proxy is closed');
    if (upstream === guest)
      throw new NdProxyError('PP_ERR_NDPROXY_INVALID_PAIR', `${upstream} paired with itself`);
    const upstreamIndex = this.resolve(upstream);
    const guestIndex = this.resolve(guest);
    this.socket ??= this.components.openSocket(
      (frame) => this.onFrame(frame),
      (error) => this.components.logger.error({ err: error }, 'packet socket failed'),
    );
    this.names.set(upstreamIndex, upstream);
    this.names.set(guestIndex, guest);
    this.map.add(upstreamIndex, guestIndex);
    this.components.logger.info({ upstream, guest }, 'pair added');
  }

  removePair(upstream: string, guest: string): void {
    const upstreamIndex = this.indexOf(upstream);
    const guestIndex = this.indexOf(guest);
    if (upstreamIndex === undefined || guestIndex === undefined) return;
    this.map.remove(upstreamIndex, guestIndex);
    if (!this.map.isGuest(guestIndex)) this.forgetInterface(guestIndex);
    if (!this.map.isUpstream(upstreamIndex) && !this.map.isGuest(upstreamIndex)) {
      this.forgetInterface(upstreamIndex);
    }
    this.components.logger.info({ upstream, guest }, 'pair removed');
  }

  removeUpstream(upstream: string): void {
    const upstreamIndex = this.indexOf(upstream);
    if (upstreamIndex === undefined) return;
    for (const guestIndex of this.map.guestsOf(upstreamIndex)) {
      const guest = this.names.get(guestIndex);
      if (guest !== undefined) this.removePair(upstream, guest);
    }
  }

  stats(): NdProxyStats {
    return { ...this.counters, dropped: { ...this.counters.dropped } };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket?.close();
    this.socket = undefined;
  }

  private resolve(ifname: string): number {
    try {
      return this.components.interfaceIndex(ifname);
    } catch (cause) {
      throw new NdProxyError('PP_ERR_NDPROXY_UNKNOWN_INTERFACE', `no interface ${ifname}`, { cause });
    }
  }

  private indexOf(ifname: string): number | undefined {
    for (const [ifindex, name] of this.names) if (name === ifname) return ifindex;
    return undefined;
  }

  private forgetInterface(ifindex: number): void {
    const ifname = this.names.get(ifindex);
    this.names.delete(ifindex);
    this.components.neighbours.forget(ifindex);
    if (ifname !== undefined) this.emit(this.discovery.forgetGuest(ifname));
  }

  private onFrame(received: NdReceivedFrame): void {
    if (received.packetType === PACKET_OUTGOING) return;
    const ingress = this.names.get(received.ifindex);
    if (ingress === undefined) return;
    this.counters.received++;
    const parsed = parseNdFrame(received.data);
    if (!parsed.ok) {
      this.counters.dropped[parsed.reason] = (this.counters.dropped[parsed.reason] ?? 0) + 1;
      this.components.logger.debug({ ifname: ingress, reason: parsed.reason }, 'malformed frame dropped');
      return;
    }
    const { frame } = parsed;
    this.components.neighbours.learn(received.ifindex, frame.source, frame.ethSource);
    this.discover(received.ifindex, ingress, frame);
    for (const egress of this.targets(frame.type, received.ifindex)) this.forward(frame, egress);
  }

  private discover(ifindex: number, ifname: string, frame: NdFrame): void {
    if (this.map.isGuest(ifindex)) this.emit(this.discovery.fromGuest(ifname, frame));
    if (frame.type !== NdType.RouterAdvertisement || !this.map.isUpstream(ifindex)) return;
    const guests = this.map.guestsOf(ifindex).flatMap((guestIndex) => {
      const guest = this.names.get(guestIndex);
      const mac = guest === undefined ? undefined : this.components.interfaceMac(guest);
      return guest === undefined || mac === undefined ? [] : [{ ifname: guest, mac }];
    });
    this.emit(this.discovery.fromRouter(frame, guests));
  }

  private targets(type: NdType, ingress: number): ReadonlySet<number> {
    if (type === NdType.RouterSolicitation) return this.map.rsTargets(ingress);
    if (type === NdType.RouterAdvertisement) return this.map.raTargets(ingress);
    return this.map.nsNaTargets(ingress);
  }

  private forward(frame: NdFrame, egress: number): void {
    const ifname = this.names.get(egress);
    const interfaceMac = ifname === undefined ? undefined : this.components.interfaceMac(ifname);
    if (!this.socket || interfaceMac === undefined) return;
    const destinationMac = egressDestinationMac(
      frame,
      this.components.neighbours.lookup(egress, frame.destination),
    );
    try {
      this.socket.send(rewriteNdFrame(frame, { interfaceMac, destinationMac }), {
        ifindex: egress,
        mac: destinationMac,
      });
      this.counters.forwarded++;
    } catch (error) {
      this.counters.sendErrors++;
      this.components.logger.warn({ err: error, ifname }, 'send failed');
    }
  }

  private emit(events: readonly NdProxyEvent[]): void {
    for (const event of events) {
      this.components.logger.info(event, 'discovered');
      try {
        this.components.onEvent(event);
      } catch (error) {
        this.components.logger.error({ err: error, event }, 'event handler failed');
      }
    }
  }
}
