import { createPipe } from '@patchpanel/netio';
import { LifelinePipeError } from './errors';

/** Both ends of a pipe; whoever holds them closes them. */
export interface LifelinePipe {
  /** Reads EOF once every copy of the write end is closed. */
  readonly readFd: number;
  readonly writeFd: number;
}

/**
 * A pipe for ConnectNamespace's lifeline (spec §2.5: the client hands over the write end and keeps the read
 * end). Both ends are close-on-exec.
 */
export async function createLifelinePipe(): Promise<LifelinePipe> {
  try {
    return createPipe();
  } catch (cause) {
    throw new LifelinePipeError('cannot create the lifeline pipe', { cause });
  }
}
