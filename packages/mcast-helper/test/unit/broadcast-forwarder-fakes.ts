// A recording BroadcastIo and a forwarder wired to it, for the engine's unit tests.
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Ipv4Address, Ipv4Interface } from '../../src/broadcast';
import {
  BroadcastForwarder,
  type BroadcastIo,
  type BroadcastListener,
  type EgressDatagram,
} from '../../src/broadcast-forwarder';
import { Counters } from '../../src/counters';
import { ipNumber } from './broadcast-packets';

export interface FakeListener extends BroadcastListener {
  readonly device: string;
  readonly directedBroadcast: Ipv4Address | undefined;
  readonly closed: boolean;
  /** What the kernel would hand the listener. */
  deliver(packet: Uint8Array, outgoing?: boolean): void;
}

/** A send failure as netio reports it (errnoName) or node:dgram does (code). */
export function syscallError(errnoName: string): Error {
  return Object.assign(new Error(`send: ${errnoName}`), { code: 'PP_ERR_NETIO_SYSCALL', errnoName });
}

export function dgramError(code: string): Error {
  return Object.assign(new Error(`send ${code}`), { code, errno: -100, syscall: 'send' });
}

export class FakeBroadcastIo implements BroadcastIo {
  readonly listeners: FakeListener[] = [];
  readonly raw: { device: string; packet: Uint8Array }[] = [];
  readonly udp: { device: string; datagram: EgressDatagram }[] = [];
  /** Set to make the next calls fail. */
  failOpen: ((device: string) => Error | undefined) | undefined;
  failRaw: ((device: string) => Error | undefined) | undefined;
  failUdp: ((device: string) => { sync: boolean; error: Error } | undefined) | undefined;
  private readonly addresses = new Map<string, Ipv4Interface>();
  private readonly changeListeners = new Set<(device: string) => void>();

  openListener(
    device: string,
    directedBroadcast: Ipv4Address | undefined,
    onPacket: (packet: Uint8Array, outgoing: boolean) => void,
  ): BroadcastListener {
    const failure = this.failOpen?.(device);
    if (failure !== undefined) throw failure;
    let closed = false;
    const listener: FakeListener = {
      device,
      directedBroadcast,
      get closed() {
        return closed;
      },
      close: () => {
        closed = true;
      },
      // A closed socket can still have a frame in flight: the fake delivers it regardless.
      deliver: (packet, outgoing = false) => onPacket(packet, outgoing),
    };
    this.listeners.push(listener);
    return listener;
  }

  sendRaw(device: string, packet: Uint8Array): void {
    const failure = this.failRaw?.(device);
    if (failure !== undefined) throw failure;
    this.raw.push({ device, packet });
  }

  sendUdp(device: string, datagram: EgressDatagram): Promise<void> {
    const failure = this.failUdp?.(device);
    if (failure?.sync) throw failure.error;
    if (failure !== undefined) return Promise.reject(failure.error);
    this.udp.push({ device, datagram: { ...datagram, payload: Uint8Array.from(datagram.payload) } });
    return Promise.resolve();
  }

  ipv4Of(device: string): Ipv4Interface | undefined {
    return this.addresses.get(device);
  }

  onAddressChange(listener: (device: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  get subscribers(): number {
    return this.changeListeners.size;
  }

  /** Sets (cidr) or removes (undefined) a device's address and reports the change. */
  setAddress(device: string, cidr: string | undefined): void {
    if (cidr === undefined) this.addresses.delete(device);
    else {
      const [address, prefix] = cidr.split('/');
      this.addresses.set(device, { address: ipNumber(address!), prefixLength: Number(prefix) });
    }
    for (const listener of [...this.changeListeners]) listener(device);
  }

  /** The open listener of a device; fails unless there is exactly one. */
  open(device: string): FakeListener {
    const open = this.listeners.filter((l) => l.device === device && !l.closed);
    if (open.length !== 1) throw new Error(`${open.length} open listeners on ${device}`);
    return open[0]!;
  }

  openCount(device: string): number {
    return this.listeners.filter((l) => l.device === device && !l.closed).length;
  }
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose lines are kept, parsed. */
export function recordingLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export const UPSTREAM = 'eth0';
/** LAN 192.168.1.2/24: directed broadcast 192.168.1.255; LAN_SENDER of the packet builder is .20. */
export const LAN_CIDR = '192.168.1.2/24';
/** Two guest bridges, each a /30: guests .6 and .10, broadcasts .7 and .11. */
export const GUEST_A = {
  name: 'arc_a',
  cidr: '100.115.92.5/30',
  guest: '100.115.92.6',
  broadcast: '100.115.92.7',
};
export const GUEST_B = {
  name: 'arc_b',
  cidr: '100.115.92.9/30',
  guest: '100.115.92.10',
  broadcast: '100.115.92.11',
};

export interface Rig {
  readonly io: FakeBroadcastIo;
  readonly forwarder: BroadcastForwarder;
  readonly counters: Counters;
  readonly lines: LogLine[];
}

/** A forwarder on eth0 with the LAN address set and no guest yet. */
export function rig(options: { lan?: string | undefined } = { lan: LAN_CIDR }): Rig {
  const io = new FakeBroadcastIo();
  if (options.lan !== undefined) io.setAddress(UPSTREAM, options.lan);
  const { logger, lines } = recordingLogger();
  const counters = new Counters();
  const forwarder = new BroadcastForwarder({ upstream: UPSTREAM, io, logger, counters });
  return { io, forwarder, counters, lines };
}

/** A forwarder with both guests added and addressed. */
export function rigWithGuests(options: { lan?: string | undefined } = { lan: LAN_CIDR }): Rig {
  const r = rig(options);
  for (const guest of [GUEST_A, GUEST_B]) {
    r.io.setAddress(guest.name, guest.cidr);
    r.forwarder.addGuest(guest.name);
  }
  return r;
}

/** Lets settled send promises run their callbacks. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
