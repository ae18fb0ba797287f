import { openRawIpv4Socket, openUdpSocket, type RawIpv4Socket, type UdpSocket } from '@patchpanel/netio';
import type { Logger } from 'pino';
import { buildUdpIpv4Packet, parseIpv4Address } from '../broadcast';
import type { Datagram, DatagramPort, Endpoint, MulticastIo } from '../multicast';

/** TTL of a relayed unicast reply: it crosses one link, to the guest. */
const RELAYED_TTL = 64;

export interface SystemMulticastIo extends MulticastIo {
  close(): void;
}

function port(socket: UdpSocket, onDatagram: (datagram: Datagram) => void, log: Logger): DatagramPort {
  socket.socket.on('message', (payload, from) => onDatagram({ payload, from }));
  socket.socket.on('error', (err) => log.debug({ err }, 'forwarding socket error'));
  return {
    send: (payload, to) => socket.socket.send(payload, to.port, to.address),
    close: () => void socket.close().catch(() => {}),
  };
}

function ipv4(endpoint: Endpoint): number {
  const address = parseIpv4Address(endpoint.address);
  if (address === undefined) throw new RangeError(`not an IPv4 address: ${endpoint.address}`);
  return address;
}

/** MulticastIo over netio: device-bound UDP sockets, and one raw IPv4 socket for relayed replies. */
export function systemMulticastIo(options: {
  readonly ipv4Of: (device: string) => Uint8Array | undefined;
  readonly logger: Logger;
}): SystemMulticastIo {
  const log = options.logger.child({ component: 'multicast-io' });
  let raw: RawIpv4Socket | undefined;
  return {
    openGroupPort: ({ family, device, group, port: number }, onDatagram) =>
      port(
        openUdpSocket({
          family,
          device,
          port: number,
          address: group,
          memberships: [{ group, interface: device }],
        }),
        onDatagram,
        log,
      ),
    openReplyPort: ({ family, device, port: number }, onDatagram) =>
      port(openUdpSocket({ family, device, port: number }), onDatagram, log),
    sendIpv4As: (device, { from, to, payload }) => {
      raw ??= openRawIpv4Socket();
      raw.setDevice(device);
      raw.send(
        buildUdpIpv4Packet({
          source: ipv4(from),
          sourcePort: from.port,
          destination: ipv4(to),
          destinationPort: to.port,
          ttl: RELAYED_TTL,
          payload,
        }),
      );
    },
    ipv4Of: options.ipv4Of,
    schedule: (ms, run) => {
      const timer = setTimeout(run, ms);
      timer.unref();
      return () => clearTimeout(timer);
    },
    close: () => raw?.close(),
  };
}
