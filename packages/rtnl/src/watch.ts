import { createRtNetlink, type RtNetlinkSocket, rt } from 'netlink';
import type { Logger } from 'pino';

/** Notification groups a watch can join (names of the netlink package). */
export type RtnlGroup = 'LINK' | 'NEIGH' | 'IPV4_IFADDR' | 'IPV6_IFADDR';

/** Tables read once at start, after subscribing, so nothing between the dump and the first event is missed. */
export type RtnlDump = 'links' | 'ipv4-addresses' | 'ipv6-neighbours';

/** A parsed message and its type (NEWLINK, DELNEIGH, …): dumped entries arrive as NEW* messages. */
export type RtnlListener = (type: rt.MessageType, message: rt.Message) => void;

export interface RtnlWatchOptions {
  readonly groups: readonly RtnlGroup[];
  readonly dumps: readonly RtnlDump[];
  readonly logger: Logger;
}

export interface RtnlWatch {
  close(): void;
}

const AF_INET = 2;
const AF_INET6 = 10;
const DUMP_TIMEOUT_MS = 5000;

/**
 * Follows kernel tables of the process's network namespace: joins `groups`, then dumps `dumps` once, and
 * hands every message to `listener`. Nothing thrown by the listener escapes (the netlink binding would abort
 * the process). A watch that cannot be opened is logged and inert: callers keep a fallback.
 */
export function watchRtnetlink(options: RtnlWatchOptions, listener: RtnlListener): RtnlWatch {
  const log = options.logger.child({ component: 'rtnl-watch' });
  const deliver: RtnlListener = (type, message) => {
    try {
      listener(type, message);
    } catch (err) {
      log.error({ err, type }, 'rtnetlink listener failed');
    }
  };
  let events: RtNetlinkSocket;
  try {
    events = createRtNetlink();
    for (const group of options.groups) events.addMembership(group);
  } catch (err) {
    log.error({ err, groups: options.groups }, 'no rtnetlink notifications');
    return { close: () => {} };
  }
  events.socket.on('message', (messages) => {
    for (const message of messages) {
      try {
        const type = message.type as rt.MessageType;
        deliver(type, rt.parseMessage(type, message.data));
      } catch (err) {
        log.warn({ err, type: message.type }, 'undecodable rtnetlink notification');
      }
    }
  });
  events.socket.on('error', (err) => log.warn({ err }, 'rtnetlink notification socket error'));
  if (options.dumps.length > 0) readTables(options.dumps, deliver, log);
  // Closing inside a netlink callback aborts the process: always a turn later.
  return { close: () => setImmediate(() => events.socket.close()) };
}

/** One dump of each table, in order, on a socket of its own (the package reassembles one answer per socket). */
function readTables(dumps: readonly RtnlDump[], deliver: RtnlListener, log: Logger): void {
  let socket: RtNetlinkSocket;
  try {
    socket = createRtNetlink();
  } catch (err) {
    log.warn({ err }, 'cannot read the tables');
    return;
  }
  socket.socket.on('error', (err) => log.warn({ err }, 'rtnetlink dump socket error'));
  const options = { timeout: DUMP_TIMEOUT_MS };
  const read = {
    links: async () => [rt.MessageType.NEWLINK, await socket.getLinks({}, {}, options)] as const,
    'ipv4-addresses': async () =>
      [rt.MessageType.NEWADDR, await socket.getAddresses({ family: AF_INET }, {}, options)] as const,
    'ipv6-neighbours': async () =>
      [rt.MessageType.NEWNEIGH, await socket.getNeighbors({ family: AF_INET6 }, {}, options)] as const,
  };
  (async () => {
    const counts: Record<string, number> = {};
    for (const dump of dumps) {
      const [type, messages] = await read[dump]();
      for (const message of messages) deliver(type, message);
      counts[dump] = messages.length;
    }
    log.info(counts, 'tables read');
  })()
    .catch((err: unknown) => log.warn({ err }, 'cannot read the tables'))
    .finally(() => setImmediate(() => socket.socket.close()));
}
