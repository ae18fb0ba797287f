import type { Datagram, Endpoint, IpFamily, MulticastIo } from '../../src/multicast';

export interface FakePort {
  readonly kind: 'group' | 'reply';
  readonly family: IpFamily;
  readonly device: string;
  readonly port: number;
  readonly sent: { payload: Uint8Array; to: Endpoint }[];
  closed: boolean;
  deliver(datagram: Datagram): void;
}

/** A MulticastIo that records ports and sends; datagrams are delivered by the test; timers run on demand. */
export function fakeIo(
  options: { fail?: (device: string, family: IpFamily) => boolean; ipv4?: Record<string, number[]> } = {},
) {
  const ports: FakePort[] = [];
  const rawSends: { device: string; from: Endpoint; to: Endpoint; payload: Uint8Array }[] = [];
  const timers: { at: number; run: () => void; cancelled: boolean }[] = [];
  let now = 0;
  const open =
    (kind: FakePort['kind']) =>
    (spec: { family: IpFamily; device: string; port: number }, onDatagram: (d: Datagram) => void) => {
      if (options.fail?.(spec.device, spec.family)) throw new Error(`EADDRNOTAVAIL ipv${spec.family}`);
      const port: FakePort = {
        kind,
        family: spec.family,
        device: spec.device,
        port: spec.port,
        sent: [],
        closed: false,
        deliver: (datagram) => onDatagram(datagram),
      };
      ports.push(port);
      return {
        send: (payload: Uint8Array, to: Endpoint) =>
          void port.sent.push({ payload: Uint8Array.from(payload), to }),
        close: () => {
          port.closed = true;
        },
      };
    };
  const io: MulticastIo = {
    openGroupPort: open('group'),
    openReplyPort: open('reply'),
    sendIpv4As: (device, datagram) => void rawSends.push({ device, ...datagram }),
    ipv4Of: (device) => (options.ipv4?.[device] ? Uint8Array.from(options.ipv4[device]) : undefined),
    schedule: (ms, run) => {
      const timer = { at: now + ms, run, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  };
  const find = (kind: FakePort['kind'], device: string, family: IpFamily): FakePort => {
    const port = ports.filter(
      (p) => p.kind === kind && p.device === device && p.family === family && !p.closed,
    )[0];
    if (port === undefined) throw new Error(`no open ${kind} port ipv${family} on ${device}`);
    return port;
  };
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers) {
      if (!timer.cancelled && timer.at <= now) {
        timer.cancelled = true;
        timer.run();
      }
    }
  };
  return { io, ports, rawSends, find, advance };
}
