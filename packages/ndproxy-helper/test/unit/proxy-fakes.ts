import pino from 'pino';
import { NdProxy, type NdProxyEvent, type NdReceivedFrame, NeighbourCache } from '../../src/proxy';
import { mac } from './nd-frames';

/** Interfaces of the fake host: name → [ifindex, MAC]. */
export const INTERFACES: Record<string, [number, string]> = {
  eth0: [2, '02:00:00:00:00:02'],
  br0: [3, '02:00:00:00:00:03'],
  br1: [4, '02:00:00:00:00:04'],
  other: [9, '02:00:00:00:00:09'],
};

export const ifindexOf = (ifname: string): number => INTERFACES[ifname]![0];
export const macOf = (ifname: string): number[] => mac(INTERFACES[ifname]![1]);

export interface SentFrame {
  readonly ifname: string;
  readonly mac: number[];
  readonly frame: Uint8Array;
}

export interface FakeHost {
  readonly proxy: NdProxy;
  readonly sent: SentFrame[];
  readonly events: NdProxyEvent[];
  readonly macs: Record<string, number[]>;
  /** Delivers a frame to the proxy as the packet socket would. */
  receive(ifname: string, data: Uint8Array, packetType?: number): void;
  socketsOpened(): number;
  socketsClosed(): number;
}

/** `onEvent` also receives every event the proxy reports, after `events` has recorded it. */
export function fakeHost(onEvent?: (event: NdProxyEvent) => void): FakeHost {
  const sent: SentFrame[] = [];
  const events: NdProxyEvent[] = [];
  const macs: Record<string, number[]> = Object.fromEntries(
    Object.keys(INTERFACES).map((n) => [n, macOf(n)]),
  );
  const names = new Map(Object.entries(INTERFACES).map(([name, [index]]) => [index, name]));
  let listener: ((frame: NdReceivedFrame) => void) | undefined;
  let opened = 0;
  let closed = 0;
  const proxy = new NdProxy({
    openSocket: (onFrame) => {
      opened++;
      listener = onFrame;
      return {
        send: (frame, to) => {
          sent.push({ ifname: names.get(to.ifindex)!, mac: [...to.mac], frame: Uint8Array.from(frame) });
        },
        close: () => {
          closed++;
        },
      };
    },
    interfaceIndex: (ifname) => {
      const entry = INTERFACES[ifname];
      if (!entry) throw new Error(`ENODEV ${ifname}`);
      return entry[0];
    },
    interfaceMac: (ifname) => (macs[ifname] ? Uint8Array.from(macs[ifname]) : undefined),
    neighbours: new NeighbourCache(),
    logger: pino({ level: 'silent' }),
    onEvent: (event) => {
      events.push(event);
      onEvent?.(event);
    },
  });
  return {
    proxy,
    sent,
    events,
    macs,
    receive: (ifname, data, packetType = 2) => listener?.({ data, ifindex: ifindexOf(ifname), packetType }),
    socketsOpened: () => opened,
    socketsClosed: () => closed,
  };
}
