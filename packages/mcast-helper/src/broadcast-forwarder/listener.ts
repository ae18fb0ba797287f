import { directedBroadcast, type Ipv4Address, type Ipv4Interface } from '../broadcast';
import type { BroadcastIo, BroadcastListener } from './io';

/** A packet from an interface's listener, with the address the listener's filter was built for. */
export type InterfacePacketHandler = (
  packet: Uint8Array,
  outgoing: boolean,
  ipv4: Ipv4Interface | undefined,
) => void;

/** The directed broadcast of an interface; undefined without an address, or for a /31 or /32. */
export function broadcastOf(ipv4: Ipv4Interface | undefined): Ipv4Address | undefined {
  return ipv4 === undefined ? undefined : directedBroadcast(ipv4.address, ipv4.prefixLength);
}

function sameInterface(a: Ipv4Interface | undefined, b: Ipv4Interface | undefined): boolean {
  return a?.address === b?.address && a?.prefixLength === b?.prefixLength;
}

/**
 * The listening socket of one interface. Its kernel filter holds the directed broadcast of the address the
 * socket was opened for, so the socket is re-opened when the address or prefix changes; packets are judged by
 * that same address. Packets a replaced or closed socket still delivers are ignored.
 */
export class InterfaceListener {
  private socket: BroadcastListener | undefined;
  private opened: Ipv4Interface | undefined;
  private generation = 0;

  constructor(
    readonly device: string,
    private readonly io: BroadcastIo,
    private readonly onPacket: InterfacePacketHandler,
  ) {}

  get isOpen(): boolean {
    return this.socket !== undefined;
  }

  /** The address the open socket was made for (undefined: none then, or closed). */
  get ipv4(): Ipv4Interface | undefined {
    return this.opened;
  }

  /** Opens (or re-opens) the socket for the device's current address; throws what the io throws. */
  open(): void {
    this.replace(this.io.ipv4Of(this.device));
  }

  /**
   * Re-opens an open socket when the device's address or prefix changed; true when it did. A failed open
   * throws and leaves the previous socket and address in place.
   */
  refresh(): boolean {
    if (this.socket === undefined) return false;
    const current = this.io.ipv4Of(this.device);
    if (sameInterface(current, this.opened)) return false;
    this.replace(current);
    return true;
  }

  close(): void {
    const socket = this.socket;
    this.generation += 1;
    this.socket = undefined;
    this.opened = undefined;
    socket?.close();
  }

  private replace(ipv4: Ipv4Interface | undefined): void {
    const generation = this.generation + 1;
    const socket = this.io.openListener(this.device, broadcastOf(ipv4), (packet, outgoing) => {
      if (generation === this.generation) this.onPacket(packet, outgoing, ipv4);
    });
    const previous = this.socket;
    this.generation = generation;
    this.socket = socket;
    this.opened = ipv4;
    previous?.close();
  }
}
