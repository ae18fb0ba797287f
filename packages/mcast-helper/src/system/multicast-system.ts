import type { Logger } from 'pino';
import { ipv4AddressBytes } from '../broadcast';
import { type InterfaceAddressWatch, watchInterfaceAddresses } from './interface-addresses';
import { type SystemMulticastIo, systemMulticastIo } from './multicast-io';

/** The kernel-backed pieces the forwarders share in one process: interface addresses and the multicast I/O. */
export interface MulticastSystem {
  readonly addresses: InterfaceAddressWatch;
  readonly multicastIo: SystemMulticastIo;
  close(): void;
}

export function openMulticastSystem(logger: Logger): MulticastSystem {
  const addresses = watchInterfaceAddresses(logger);
  const multicastIo = systemMulticastIo({
    ipv4Of: (device) => {
      const ipv4 = addresses.table.ipv4Of(device);
      return ipv4 === undefined ? undefined : ipv4AddressBytes(ipv4.address);
    },
    logger,
  });
  return {
    addresses,
    multicastIo,
    close: () => {
      multicastIo.close();
      addresses.close();
    },
  };
}
