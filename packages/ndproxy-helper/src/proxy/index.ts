export type { AddressEvent, NdProxyEvent, RouteEvent } from './events';
export { ipv6Text } from './ipv6-text';
export {
  type NdPacketSocket,
  NdProxy,
  type NdProxyComponents,
  type NdProxyStats,
  type NdReceivedFrame,
  PACKET_OUTGOING,
} from './nd-proxy';
export { NeighbourCache, type NeighbourLookup } from './neighbour-cache';
