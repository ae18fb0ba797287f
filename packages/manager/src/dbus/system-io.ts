import { closeSync, existsSync } from 'node:fs';
import type { Logger } from 'pino';

/** Whether `pid` is a live process with a network namespace we could enter (spec §7.1 step 4, without the setns). */
export function processHasNetns(pid: number): boolean {
  return existsSync(`/proc/${pid}/ns/net`);
}

/** Closes an fd received over D-Bus; a failure (it was already closed) is logged, never thrown. */
export function closeReceivedFd(fd: number, logger: Logger): void {
  try {
    closeSync(fd);
  } catch (err) {
    logger.warn({ fd, err }, 'cannot close a received fd');
  }
}
