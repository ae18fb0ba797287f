// Pure packet logic of the broadcast forwarder: what a listener accepts, the copy injected into each guest
// bridge, and whether a guest's broadcast goes out to the LAN. No sockets here; addresses are Ipv4Address.
export {
  directedBroadcast,
  formatIpv4Address,
  type Ipv4Address,
  type Ipv4Interface,
  inSubnet,
  ipv4AddressBytes,
  ipv4AddressFromBytes,
  LIMITED_BROADCAST,
  parseIpv4Address,
  subnetMask,
} from './address';
export { hasValidIpv4HeaderChecksum, internetChecksum } from './checksum';
export { type EgressDecision, type EgressDestination, type EgressDropReason, egressDecision } from './egress';
export { ingressCopy, isOwnIngress } from './ingress';
export { MIN_FORWARDED_PORT } from './layout';
export {
  type BroadcastAcceptance,
  type BroadcastPacket,
  type BroadcastParseResult,
  type BroadcastRejectReason,
  parseBroadcastPacket,
} from './parse';
export { buildUdpIpv4Packet, MAX_UDP_IPV4_PAYLOAD, type UdpIpv4Datagram } from './udp-packet';
