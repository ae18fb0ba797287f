import { type Ipv4Interface, inSubnet } from './address';
import type { BroadcastPacket } from './parse';

/** Where an egress payload goes on the LAN: 255.255.255.255, or the LAN's own directed broadcast address. */
export type EgressDestination = 'limited' | 'lan-directed';

export type EgressDropReason = 'own-address' | 'outside-guest-subnet';

export type EgressDecision =
  | {
      readonly send: true;
      /** The UDP payload only (a view); the LAN socket's kernel builds the IPv4 and UDP headers. */
      readonly payload: Uint8Array;
      /** Bind the LAN socket to this port so the guest's source port is kept. */
      readonly sourcePort: number;
      readonly destinationPort: number;
      readonly destination: EgressDestination;
    }
  | { readonly send: false; readonly reason: EgressDropReason };

/**
 * Decides whether a broadcast seen on a guest bridge goes out to the LAN. Sources equal to the bridge address
 * are the host's own; sources outside the guest subnet are the ingress copies this forwarder injected with
 * spoofed LAN sources. Dropping both keeps a broadcast from looping between LAN and guests.
 */
export function egressDecision(packet: BroadcastPacket, guest: Ipv4Interface): EgressDecision {
  if (packet.source === guest.address) return { send: false, reason: 'own-address' };
  if (!inSubnet(packet.source, guest)) return { send: false, reason: 'outside-guest-subnet' };
  return {
    send: true,
    payload: packet.payload,
    sourcePort: packet.sourcePort,
    destinationPort: packet.destinationPort,
    destination: packet.limitedBroadcast ? 'limited' : 'lan-directed',
  };
}
