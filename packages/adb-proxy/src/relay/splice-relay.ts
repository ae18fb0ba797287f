import { spliceSockets } from '@patchpanel/netio';
import type { Relay, RelayFactory } from './relay';

/** The relay in the kernel: netio splices each direction through a pipe, with the same FIN and reset rules. */
export const spliceRelay: RelayFactory = (client, guest, onClose): Relay => {
  const relay = spliceSockets(client, guest);
  relay.once('close', ({ aToB, bToA, error }) =>
    onClose({ clientToGuest: aToB, guestToClient: bToA, ...(error && { error }) }),
  );
  return { close: () => relay.close() };
};
