import { execFile } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LifelinePipeError } from './errors';

const execFileAsync = promisify(execFile);

/** Both ends of a pipe; whoever holds them closes them. */
export interface LifelinePipe {
  /** Non-blocking; reads EOF once every copy of the write end is closed. */
  readonly readFd: number;
  readonly writeFd: number;
}

/**
 * A pipe for ConnectNamespace's lifeline (spec §2.5: the client hands over the write end and keeps the read
 * end). Node has no pipe(2), so this opens both ends of a FIFO in a private directory and removes the name:
 * what remains behaves as an anonymous pipe. Both fds are close-on-exec (libuv opens files that way).
 */
export async function createLifelinePipe(): Promise<LifelinePipe> {
  let dir: string | undefined;
  try {
    dir = await mkdtemp(path.join(tmpdir(), 'pp-lifeline-'));
    const fifo = path.join(dir, 'fifo');
    await execFileAsync('mkfifo', ['-m', '0600', fifo]);
    // The read end first and non-blocking, so opening the write end finds a reader and does not block.
    const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      return { readFd, writeFd: openSync(fifo, constants.O_WRONLY) };
    } catch (err) {
      closeSync(readFd);
      throw err;
    }
  } catch (cause) {
    throw new LifelinePipeError('cannot create the lifeline pipe', { cause });
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}
