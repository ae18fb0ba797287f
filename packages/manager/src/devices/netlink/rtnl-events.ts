import { createRtNetlink, type NetlinkMessage, type RtNetlinkSocket, rt } from 'netlink';
import type { Logger } from 'pino';
import { NetlinkError } from '../errors';
import { type KernelLink, type KernelRoute, linkFromMessage, routeFromMessage } from './kernel-objects';
import { errnoOf } from './rtnl-client';

/** A kernel notification, or `overflow` when some were lost and everything must be read again. */
export type RtnlEvent =
  | { readonly kind: 'link'; readonly removed: boolean; readonly link: KernelLink }
  | { readonly kind: 'route'; readonly removed: boolean; readonly route: KernelRoute }
  | { readonly kind: 'overflow' };

const GROUPS = ['LINK', 'IPV4_ROUTE', 'IPV6_ROUTE'] as const;
const RECEIVE_BUFFER_BYTES = 1 << 20;

function toEvent(message: NetlinkMessage): RtnlEvent | undefined {
  const type = message.type as rt.MessageType;
  const parsed = rt.parseMessage(type, message.data);
  if (parsed.kind === 'link') {
    const link = linkFromMessage(parsed);
    return link && { kind: 'link', removed: type === rt.MessageType.DELLINK, link };
  }
  if (parsed.kind === 'route') {
    const route = routeFromMessage(parsed);
    return route && { kind: 'route', removed: type === rt.MessageType.DELROUTE, route };
  }
  return undefined;
}

/**
 * Link and route notifications of the current network namespace. It listens on the inner socket, because
 * the rtnetlink socket's own 'message' event drops the message type (NEWLINK and DELLINK look the same).
 * Nothing thrown may escape a listener of that socket (the binding aborts the process), so `onEvent` is
 * called inside a catch-all.
 */
export class RtnlEventStream {
  private constructor(private readonly socket: RtNetlinkSocket) {}

  static open(onEvent: (event: RtnlEvent) => void, logger: Logger): RtnlEventStream {
    let socket: RtNetlinkSocket;
    try {
      socket = createRtNetlink();
      socket.socket.ref(true); // a listener keeps the process alive, like a server socket
      socket.socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
      for (const group of GROUPS) socket.addMembership(group);
    } catch (err) {
      throw new NetlinkError('cannot subscribe to rtnetlink notifications', errnoOf(err), { cause: err });
    }
    const deliver = (event: RtnlEvent) => {
      try {
        onEvent(event);
      } catch (err) {
        logger.error({ err, kind: event.kind }, 'rtnetlink event handler failed');
      }
    };
    socket.socket.on('message', (messages) => {
      for (const message of messages) {
        try {
          const event = toEvent(message);
          if (event) deliver(event);
        } catch (err) {
          logger.warn({ err, type: message.type }, 'undecodable rtnetlink notification');
        }
      }
    });
    socket.socket.on('error', (err) => {
      logger.warn({ err }, 'rtnetlink notification socket error; reading everything again');
      deliver({ kind: 'overflow' });
    });
    return new RtnlEventStream(socket);
  }

  /** Closes outside any netlink callback: closing inside one aborts the process (toolchain §3). */
  async close(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.socket.socket.close();
  }
}
