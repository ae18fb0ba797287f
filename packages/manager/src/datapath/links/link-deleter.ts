import { setTimeout as sleep } from 'node:timers/promises';
import { NetnsWorker } from '@patchpanel/netio';
import { NetlinkRequestError } from './errors';
import { linkState } from './link-lookup';
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
 * Deletes links on a worker thread. The kernel answers RTM_DELLINK only once the device has finished
 * unregistering, some 35 ms after it left the link list (measured on veths here); on the event loop that wait
 * would stall every other request. Callers can go on as soon as the link is `gone`.
 */
export class LinkDeleter {
  private constructor(
    private readonly worker: NetnsWorker,
    private readonly host: Rtnetlink,
  ) {}

  static async start(host: Rtnetlink): Promise<LinkDeleter> {
    return new LinkDeleter(await NetnsWorker.start({ pid: process.pid }), host);
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
      while (!finished && this.exists(ifname)) await Promise.race([sleep(1), settled]);
      if (finished) await done; // its error, if the kernel refused
    })();
    return { gone, done };
  }

  close(): Promise<void> {
    return this.worker.close();
  }

  private exists(ifname: string): boolean {
    try {
      linkState(this.host, ifname);
      return true;
    } catch (err) {
      return !(err instanceof NetlinkRequestError && err.errno === 'ENODEV');
    }
  }
}
