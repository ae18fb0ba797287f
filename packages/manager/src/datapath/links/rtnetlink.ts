import { closeSync, readSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { type NetnsTarget, openSocketInNetns } from '@patchpanel/netio';
import { AttrStream, formatMessage, parseError, parseMessages, rt } from 'netlink';
import { NetlinkRequestError } from './errors';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_NONBLOCK = 0x800;
const NETLINK_ROUTE = 0;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
export const NLM_F_ECHO = 0x8;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;

/**
 * A synchronous rtnetlink client bound to one network namespace: netio opens the socket there, so the daemon
 * configures a guest's namespace without moving any thread into it. rtnetlink answers a request while the
 * request is being sent, so the reply is always waiting when we read; the socket is non-blocking anyway, so a
 * missing reply is an error rather than a hang.
 */
export class Rtnetlink {
  private seq = 1;
  private readonly buffer = Buffer.alloc(64 * 1024);
  private closed = false;

  private constructor(private readonly fd: number) {}

  static open(netns: NetnsTarget): Rtnetlink {
    return new Rtnetlink(
      openSocketInNetns(netns, {
        domain: AF_NETLINK,
        type: SOCK_RAW | SOCK_NONBLOCK,
        protocol: NETLINK_ROUTE,
      }),
    );
  }

  /** Sends one request and returns the messages of its reply (parsed), after the kernel's ack or DONE. */
  request(type: number, flags: number, message: rt.Message): rt.Message[] {
    const body = new AttrStream();
    formatFor(message, body);
    const seq = this.seq++;
    const frame = Buffer.concat(
      formatMessage({ type, flags: flags | NLM_F_REQUEST | NLM_F_ACK, seq, port: 0, data: body.bufs }),
    );
    writeSync(this.fd, frame);
    const replies: rt.Message[] = [];
    for (;;) {
      const length = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      for (const reply of parseMessages(this.buffer.subarray(0, length))) {
        if (reply.seq !== seq) continue;
        if (reply.type === NLMSG_DONE) return replies;
        if (reply.type === NLMSG_ERROR) {
          const error = parseError(reply.data, reply.flags);
          if (error.errno === 0) return replies;
          const errno = errnoName(Math.abs(error.errno));
          throw new NetlinkRequestError(`${rt.MessageType[type] ?? type} failed: ${errno}`, errno);
        }
        replies.push(rt.parseMessage(reply.type, reply.data));
      }
    }
  }

  /** A dump request (e.g. every link): the replies until DONE. */
  dump(type: number, message: rt.Message): rt.Message[] {
    return this.request(type, NLM_F_DUMP, message);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

const errnoNames = new Map(Object.entries(constants.errno).map(([name, value]) => [value, name]));

export function errnoName(errno: number): string {
  return errnoNames.get(errno) ?? `errno ${errno}`;
}

function formatFor(message: rt.Message, out: AttrStream): void {
  if (message.kind === 'link') rt.formatLinkMessage(message, out);
  else if (message.kind === 'address') rt.formatAddressMessage(message, out);
  else if (message.kind === 'route') rt.formatRouteMessage(message, out);
  else if (message.kind === 'rule') rt.formatRuleMessage(message, out);
  else throw new NetlinkRequestError(`unsupported message kind ${message.kind}`, 'EINVAL');
}
