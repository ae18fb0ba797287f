import type net from 'node:net';
import { InvalidArgumentError } from './errors';

/** The shape of Node's internal TCP/Pipe handle, as far as it is read here. */
interface LibuvHandle {
  fd?: unknown;
}

/**
 * The fd under a connected net.Socket. Node has no public accessor: this reads libuv's handle
 * (`socket._handle.fd`), which TCP and Pipe handles expose on Linux.
 */
export function socketFd(socket: net.Socket, name = 'socket'): number {
  const handle = (socket as unknown as { _handle?: LibuvHandle | null })._handle;
  const fd = handle?.fd;
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0) {
    throw new InvalidArgumentError(
      `${name} has no fd (Node's socket._handle.fd is ${handle ? String(fd) : 'missing: no handle'})`,
    );
  }
  return fd;
}
