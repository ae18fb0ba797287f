import type { IpFamily } from './protocols';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface Datagram {
  readonly payload: Uint8Array;
  readonly from: Endpoint;
}

export interface DatagramPort {
  send(payload: Uint8Array, to: Endpoint): void;
  close(): void;
}

/** The sockets and facts the multicast forwarders need; the system version is over netio, tests use fakes. */
export interface MulticastIo {
  /**
   * Receives the datagrams sent to `group`:`port` on `device`, and only those (bound to the group on that
   * device, joined on its ifindex, multicast loop off); sends out of `device`. Throws when it cannot.
   */
  openGroupPort(
    spec: { family: IpFamily; device: string; group: string; port: number; ttl: number },
    onDatagram: (datagram: Datagram) => void,
  ): DatagramPort;
  /** Bound to `port` on `device` (wildcard address): sends from that port, receives the unicast replies.
   * `ttl` is the multicast TTL (hop limit) of what the port sends, for both. */
  openReplyPort(
    spec: { family: IpFamily; device: string; port: number; ttl: number },
    onDatagram: (datagram: Datagram) => void,
  ): DatagramPort;
  /** An IPv4 UDP datagram out of `device` with a source that is not the host's (a relayed reply). */
  sendIpv4As(device: string, datagram: { from: Endpoint; to: Endpoint; payload: Uint8Array }): void;
  /** The device's IPv4 address now, undefined when it has none. */
  ipv4Of(device: string): Uint8Array | undefined;
  /** Runs `run` once after `ms`; returns the cancel. */
  schedule(ms: number, run: () => void): () => void;
}
