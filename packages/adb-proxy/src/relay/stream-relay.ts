import type { Socket } from 'node:net';
import type { Relay, RelayFactory, RelayResult } from './relay';
import { resetSocket } from './reset-socket';

/**
 * The relay in Node streams: `pipe` gives backpressure and passes a FIN on as `end()` (a half-close, since
 * both sockets allow half-open); an error on either side resets both.
 */
export const streamRelay: RelayFactory = (client, guest, onClose): Relay => {
  let result: RelayResult | undefined;
  let open = 2;
  const finish = (error?: Error) => {
    if (result) return;
    result = { clientToGuest: client.bytesRead, guestToClient: guest.bytesRead, ...(error && { error }) };
    onClose(result);
  };
  const reset = (error: Error) => {
    for (const socket of [client, guest]) resetSocket(socket);
    finish(error);
  };
  const closed = (socket: Socket) => () => {
    open -= 1;
    if (open === 0) finish();
    // One side closed without an error while the other is still open: it was destroyed under us.
    else if (!socket.readableEnded || !socket.writableFinished)
      reset(new Error('a socket closed before its FIN'));
  };
  for (const socket of [client, guest]) socket.once('error', reset).once('close', closed(socket));
  client.pipe(guest);
  guest.pipe(client);
  return { close: () => reset(new Error('relay closed')) };
};
