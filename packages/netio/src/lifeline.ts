import { binding } from './binding';
import { callNative } from './errors';
import { assertInteger } from './validate';

/** A watched lifeline fd. close() stops watching and closes the fd; closing twice is an error. */
export interface HangupWatch {
  close(): void;
}

/**
 * Takes ownership of `fd` (a pipe end or a socket) and calls `onHangup` once, as an event on the loop, when
 * its peer is gone: every reader of a write end, or every writer of a read end, closed or died. Data a client
 * writes into a readable lifeline is drained and ignored. The watch does not keep the process alive.
 */
export function watchHangup(fd: number, onHangup: () => void): HangupWatch {
  assertInteger('fd', fd, 0, 0x7fffffff);
  const native = callNative(`watch fd ${fd}`, () => new (binding().HangupWatch)(fd));
  native.onhangup = onHangup;
  return { close: () => callNative(`close lifeline ${fd}`, () => native.close()) };
}

/** pipe2(O_CLOEXEC): Node offers no anonymous pipe. The caller owns both fds. */
export function createPipe(): { readFd: number; writeFd: number } {
  const [readFd, writeFd] = callNative('pipe', () => binding().createPipe());
  return { readFd, writeFd };
}
