import { createRtNetlink, type RtNetlinkSocket, rt } from 'netlink';
import type { Logger } from 'pino';
import type { NeighbourCache } from '../proxy';
import { linkUpdate, neighbourUpdate } from './kernel-messages';
import type { LinkTable } from './link-table';

const AF_INET6 = 10;
const DUMP_TIMEOUT_MS = 5000;

/** What the feed keeps in step with the kernel. */
export interface KernelTables {
  readonly neighbours: NeighbourCache;
  readonly links: LinkTable;
}

export interface KernelFeed {
  close(): void;
}

type Apply = (type: number, message: rt.Message) => void;

/**
 * Keeps the IPv6 neighbour table and the interface MACs of the process's namespace in step with the kernel:
 * subscribes to link and neighbour notifications, then reads both tables once. Without a feed (the socket
 * cannot be opened) the proxy still works, on what it learns from frames and on sysfs, so a failure is
 * logged, not thrown.
 */
export function openKernelFeed(tables: KernelTables, logger: Logger): KernelFeed {
  const log = logger.child({ component: 'kernel-feed' });
  const apply: Apply = (type, message) => {
    const neighbour = neighbourUpdate(type, message);
    if (neighbour) tables.neighbours.update(neighbour.ifindex, neighbour.address, neighbour.mac);
    const link = linkUpdate(type, message);
    if (link) tables.links.update(link.ifname, link.mac);
  };
  let events: RtNetlinkSocket;
  try {
    events = createRtNetlink();
    events.addMembership('LINK');
    events.addMembership('NEIGH');
  } catch (err) {
    log.error({ err }, 'no link or neighbour notifications; relying on frames and sysfs');
    return { close: () => {} };
  }
  events.socket.on('message', (messages) => {
    for (const message of messages) {
      try {
        apply(message.type, rt.parseMessage(message.type as rt.MessageType, message.data));
      } catch (err) {
        log.warn({ err, type: message.type }, 'undecodable notification');
      }
    }
  });
  events.socket.on('error', (err) => log.warn({ err }, 'notification socket error'));
  readTables(apply, log);
  return { close: () => setImmediate(() => events.socket.close()) };
}

/** One dump of each table on a socket of its own (the package reassembles one answer per socket). */
function readTables(apply: Apply, log: Logger): void {
  let dump: RtNetlinkSocket;
  try {
    dump = createRtNetlink();
  } catch (err) {
    log.warn({ err }, 'cannot read the link and neighbour tables');
    return;
  }
  dump.socket.on('error', (err) => log.warn({ err }, 'dump socket error'));
  const options = { timeout: DUMP_TIMEOUT_MS };
  (async () => {
    const links = await dump.getLinks({}, {}, options);
    for (const message of links) apply(rt.MessageType.NEWLINK, message);
    const neighbours = await dump.getNeighbors({ family: AF_INET6 }, {}, options);
    for (const message of neighbours) apply(rt.MessageType.NEWNEIGH, message);
    log.info({ links: links.length, neighbours: neighbours.length }, 'link and neighbour tables read');
  })()
    .catch((err: unknown) => log.warn({ err }, 'cannot read the link and neighbour tables'))
    .finally(() => setImmediate(() => dump.socket.close()));
}
