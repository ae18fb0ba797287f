import type { Ipv4Address, Ipv4Interface } from '../broadcast';

/** An open listening socket; closing it twice is harmless. */
export interface BroadcastListener {
  close(): void;
}

/** What the forwarder sends to the LAN for one guest broadcast: the payload only, the kernel adds the headers. */
export interface EgressDatagram {
  readonly sourcePort: number;
  readonly destination: Ipv4Address;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

/**
 * The forwarder's view of the system. Errors of the send calls (thrown, or the rejection of sendUdp) carry the
 * errno name in `errnoName` (netio) or `code` (node:dgram), so the forwarder can tell ENETDOWN apart.
 */
export interface BroadcastIo {
  /**
   * Delivers the IPv4 packets (from the IP header on) seen on `device` that pass the kernel filter: unfragmented
   * UDP, both ports >= 1024, to 255.255.255.255 or `directedBroadcast`. `outgoing` marks the host's own
   * transmissions; a Linux packet socket bound to ETH_P_IP gets none (only ETH_P_ALL taps do), but another io
   * may. Throws when the socket cannot be opened (unknown device...).
   */
  openListener(
    device: string,
    directedBroadcast: Ipv4Address | undefined,
    onPacket: (packet: Uint8Array, outgoing: boolean) => void,
  ): BroadcastListener;
  /** Sends a complete IPv4 datagram (IP_HDRINCL) out of `device`, source and TTL as written. */
  sendRaw(device: string, packet: Uint8Array): void;
  /**
   * Sends the payload from a temporary UDP socket bound to `sourcePort` on `device` (SO_BINDTODEVICE,
   * SO_BROADCAST), so the device's own address becomes the source; settles once the socket is closed.
   */
  sendUdp(device: string, datagram: EgressDatagram): Promise<void>;
  /** The device's primary IPv4 address, undefined when it has none (or does not exist). */
  ipv4Of(device: string): Ipv4Interface | undefined;
  /** Calls `listener` when the IPv4 address of a device may have changed; returns the unsubscribe. */
  onAddressChange(listener: (device: string) => void): () => void;
}
