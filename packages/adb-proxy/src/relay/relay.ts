import type { Socket } from 'node:net';

/** How a relayed connection ended: bytes delivered each way, and the error if it did not end by two FINs. */
export interface RelayResult {
  readonly clientToGuest: number;
  readonly guestToClient: number;
  readonly error?: Error;
}

/** A running relay between a client and adbd. */
export interface Relay {
  /** Ends it now: both sockets are reset. The relay's onClose still follows, once. */
  close(): void;
}

/**
 * Moves bytes both ways between two connected, paused sockets until both sides have sent FIN (each FIN is
 * passed on as it arrives while the other direction keeps flowing) or either fails (both are then reset).
 * Takes the sockets over; `onClose` is called exactly once, never before the factory has returned.
 */
export type RelayFactory = (client: Socket, guest: Socket, onClose: (result: RelayResult) => void) => Relay;
