export type { Datagram, DatagramPort, Endpoint, MulticastIo } from './io';
export { MulticastForwarder, type MulticastForwarderOptions } from './multicast-forwarder';
export { FAMILIES, type IpFamily, MDNS, type MulticastProtocol, SSDP } from './protocols';
