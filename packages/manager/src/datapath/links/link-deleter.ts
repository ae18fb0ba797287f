import { setTimeout as sleep } from 'node:timers/promises';
import { interfaceIndex, NetnsWorker, SyscallError } from '@patchpanel/netio';
import { deleteLink } from './namespace-link';
import { Rtnetlink } from './rtnetlink';

/** A link deletion under way: `gone` once the link is out of the namespace's list, `done` once the kernel returned. */
export interface LinkDeletion {
  readonly gone: Promise<void>;
  readonly done: Promise<void>;
}

/** The worker's task: delete `ifname` in the worker's (the daemon's) namespace; gone already is success. */
export function deleteLinkHere(ifname: string): void {
  const nl = Rtnetlink.open({ pid: process.pid });
  try {
    deleteLink(nl, ifname);
  } finally {
    nl.close();
  }
}

/**
 * Whether `ifname` is still listed, by SIOCGIFINDEX: a lookup under RCU, no thread, no lock. An rtnetlink
 * GETLINK waited behind the deletion under way and blocked the event loop 1.5 ms per deletion (a CPU profile
 * of the daemon). Link notifications are no option either: the netlink binding aborts the process when a
 * subscribed socket's buffer overflows.
 */
function listed(ifname: string): boolean {
  try {
    interfaceIndex(ifname);
    return true;
  } catch (err) {
    return !(err instanceof SyscallError && err.errnoName === 'ENODEV');
  }
}

/**
 * Deletes links on a worker thread. The kernel answers RTM_DELLINK only once the device has finished
 * unregistering, some 35 ms after it left the link list (measured on veths here); on the event loop that wait
 * would stall every other request. Callers can go on as soon as the link is `gone`.
 */
export class LinkDeleter {
  private constructor(private readonly worker: NetnsWorker) {}

  static async start(): Promise<LinkDeleter> {
    return new LinkDeleter(await NetnsWorker.start({ pid: process.pid }));
  }

  delete(ifname: string): LinkDeletion {
    const done = this.worker.run<void>({ module: __filename, fn: 'deleteLinkHere', args: [ifname] });
    let finished = false;
    const settled = done.then(
      () => {
        finished = true;
      },
      () => {
        finished = true;
      },
    );
    const gone = (async () => {
      while (!finished && listed(ifname)) await Promise.race([sleep(1), settled]);
      if (finished) await done; // its error, if the kernel refused
    })();
    return { gone, done };
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
