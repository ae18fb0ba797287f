import type { Socket } from 'node:net';

/** Ends `socket` with an RST where it is TCP; a Unix socket has none (Node throws), so it is only closed. */
export function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
