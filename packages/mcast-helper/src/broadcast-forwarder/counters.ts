// Counter names of the broadcast forwarder, counted in the package's shared Counters (src/counters.ts).
import type { BroadcastRejectReason, EgressDropReason } from '../broadcast';

/** Why the broadcast forwarder did not forward a packet (or one copy of it): the core's reasons and its own. */
export type BroadcastDropReason =
  | BroadcastRejectReason
  | EgressDropReason
  /** The host's own transmission (our injected copies, egress datagrams), should a listener report one. */
  | 'outgoing'
  | 'guest-without-address'
  /** A directed broadcast for a guest whose /31 or /32 has no broadcast address. */
  | 'guest-without-broadcast'
  /** A guest's directed broadcast while the LAN has no directed broadcast address. */
  | 'no-lan-broadcast'
  | 'network-down'
  | 'send-failed';

/** Copies sent each way, listeners that could not be re-opened, and drops by reason. */
export type BroadcastCounterName =
  | 'lan-to-guest'
  | 'guest-to-lan'
  | 'listener-open-failed'
  | `drop:${BroadcastDropReason}`;
