import { createRtNetlink, type RtNetlinkSocket, rt } from 'netlink';
import type { Logger } from 'pino';
import type { NeighbourCache } from '../proxy';
import { neighbourUpdate } from './neighbour-message';

const AF_INET6 = 10;
const DUMP_TIMEOUT_MS = 5000;

export interface NeighbourFeed {
  close(): void;
}

/**
 * Keeps `cache` in step with the kernel's IPv6 neighbour table of the process's namespace: subscribes to
 * neighbour notifications, then reads the table once. Without a feed (the socket cannot be opened) the proxy
 * still works on what it learns from the frames, so a failure is logged, not thrown.
 */
export function openNeighbourFeed(cache: NeighbourCache, logger: Logger): NeighbourFeed {
  const log = logger.child({ component: 'neighbour-feed' });
  const apply = (type: number, message: rt.Message): void => {
    const update = neighbourUpdate(type, message);
    if (update) cache.update(update.ifindex, update.address, update.mac);
  };
  let events: RtNetlinkSocket;
  try {
    events = createRtNetlink();
    events.addMembership('NEIGH');
  } catch (err) {
    log.error({ err }, 'no neighbour notifications; relying on the frames only');
    return { close: () => {} };
  }
  events.socket.on('message', (messages) => {
    for (const message of messages) {
      try {
        apply(message.type, rt.parseMessage(message.type as rt.MessageType, message.data));
      } catch (err) {
        log.warn({ err, type: message.type }, 'undecodable neighbour notification');
      }
    }
  });
  events.socket.on('error', (err) => log.warn({ err }, 'neighbour notification socket error'));
  readTable(apply, log);
  return { close: () => setImmediate(() => events.socket.close()) };
}

/** One dump of the IPv6 table on a socket of its own (the package reassembles one answer per socket). */
function readTable(apply: (type: number, message: rt.Message) => void, log: Logger): void {
  let dump: RtNetlinkSocket;
  try {
    dump = createRtNetlink();
  } catch (err) {
    log.warn({ err }, 'cannot read the neighbour table');
    return;
  }
  dump.socket.on('error', (err) => log.warn({ err }, 'neighbour dump socket error'));
  dump
    .getNeighbors({ family: AF_INET6 }, {}, { timeout: DUMP_TIMEOUT_MS })
    .then(
      (messages) => {
        for (const message of messages) apply(rt.MessageType.NEWNEIGH, message);
        log.info({ entries: messages.length }, 'neighbour table read');
      },
      (err: unknown) => log.warn({ err }, 'cannot read the neighbour table'),
    )
    .finally(() => setImmediate(() => dump.socket.close()));
}
