import {
  ETH_P_IP,
  openPacketSocket,
  openRawIpv4Socket,
  openUdpSocket,
  PacketType,
  type RawIpv4Socket,
  udpBroadcastFilter,
} from '@patchpanel/netio';
import type { Logger } from 'pino';
import { formatIpv4Address, type Ipv4Address } from '../broadcast';
import type { BroadcastIo, BroadcastListener, EgressDatagram } from '../broadcast-forwarder';
import type { InterfaceAddressTable } from './interface-addresses';

/** The forwarder's I/O over the kernel; close() closes the raw socket it keeps between sends. */
export interface SystemBroadcastIo extends BroadcastIo {
  close(): void;
}

function openListener(
  device: string,
  directedBroadcast: Ipv4Address | undefined,
  onPacket: (packet: Uint8Array, outgoing: boolean) => void,
  log: Logger,
): BroadcastListener {
  const broadcast = directedBroadcast === undefined ? undefined : formatIpv4Address(directedBroadcast);
  const socket = openPacketSocket({
    protocol: ETH_P_IP,
    mode: 'dgram',
    interface: device,
    filter: udpBroadcastFilter({ link: 'none', broadcast }),
  });
  socket.on('frame', (frame) => onPacket(frame.data, frame.packetType === PacketType.Outgoing));
  socket.on('error', (err) => log.error({ err, device }, 'broadcast listener failed and closed'));
  log.debug({ device, broadcast }, 'broadcast listener opened');
  return {
    close: () => {
      if (!socket.closed) socket.close();
    },
  };
}

/** A temporary UDP socket on `device` bound to the source port; the kernel picks the device's address. */
async function sendUdp(device: string, datagram: EgressDatagram): Promise<void> {
  const udp = openUdpSocket({
    family: 4,
    device,
    port: datagram.sourcePort,
    broadcast: true,
    reuseAddress: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      udp.socket.once('error', reject);
      const destination = formatIpv4Address(datagram.destination);
      udp.socket.send(datagram.payload, datagram.destinationPort, destination, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  } finally {
    await udp.close();
  }
}

/**
 * The forwarder's I/O over the kernel, with addresses from a table the caller keeps (and may share: see
 * watchInterfaceAddresses). Raw copies into the guests leave through one IP_HDRINCL socket, opened at the first
 * send, whose device is switched per send; each egress datagram gets a UDP socket of its own, closed after it.
 */
export function createBroadcastIo(addresses: InterfaceAddressTable, logger: Logger): SystemBroadcastIo {
  const log = logger.child({ component: 'broadcast-io' });
  let raw: RawIpv4Socket | undefined;
  let rawDevice: string | undefined;
  return {
    openListener: (device, directedBroadcast, onPacket) =>
      openListener(device, directedBroadcast, onPacket, log),
    sendRaw: (device, packet) => {
      raw ??= openRawIpv4Socket();
      if (rawDevice !== device) {
        rawDevice = undefined;
        raw.setDevice(device);
        rawDevice = device;
      }
      raw.send(packet);
    },
    sendUdp,
    ipv4Of: (device) => addresses.ipv4Of(device),
    onAddressChange: (listener) => addresses.onChange(listener),
    close: () => {
      if (raw !== undefined && !raw.closed) raw.close();
      raw = undefined;
      rawDevice = undefined;
    },
  };
}
