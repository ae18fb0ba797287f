import { closeSync, readSync, writeSync } from 'node:fs';
import { type NetnsTarget, openSocketInNetns } from '@patchpanel/netio';
import { parseError, parseMessages } from 'netlink';
import { errnoName } from '../../../links/rtnetlink';
import { FirewallCommitError } from '../../errors';
import type { NftMessage } from './messages';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_NONBLOCK = 0x800;
const NETLINK_NETFILTER = 12;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLMSG_ERROR = 2;
const NFNL_MSG_BATCH_BEGIN = 0x10;
const NFNL_MSG_BATCH_END = 0x11;
const NFNL_SUBSYS_NFTABLES = 10;
const NFPROTO_UNSPEC = 0;
const NFPROTO_INET = 1;
const HEADER = 16;

function frame(
  type: number,
  flags: number,
  seq: number,
  family: number,
  resId: number,
  body: readonly Buffer[],
) {
  const payload = Buffer.concat(body);
  const out = Buffer.alloc(HEADER + 4 + payload.length);
  out.writeUInt32LE(out.length, 0); // netlink headers are in host order; x86 and arm64 hosts are little-endian
  out.writeUInt16LE(type, 4);
  out.writeUInt16LE(flags, 6);
  out.writeUInt32LE(seq, 8);
  out.writeUInt8(family, HEADER);
  out.writeUInt16BE(resId, HEADER + 2);
  out.set(payload, HEADER + 4);
  return out;
}

/**
 * An nf_tables netlink socket in one network namespace: a batch of requests is one kernel transaction (all
 * of it or nothing), answered while it is sent, with an ack or an error per request. No cache of the ruleset
 * is read first, so a change costs the same however large the table is.
 */
export class NftablesSocket {
  private seq = 1;
  private readonly buffer = Buffer.alloc(256 * 1024);
  private closed = false;

  private constructor(private readonly fd: number) {}

  static open(netns: NetnsTarget): NftablesSocket {
    return new NftablesSocket(
      openSocketInNetns(netns, {
        domain: AF_NETLINK,
        type: SOCK_RAW | SOCK_NONBLOCK,
        protocol: NETLINK_NETFILTER,
      }),
    );
  }

  /**
   * Commits `messages` as one transaction. Throws PP_ERR_FIREWALL_COMMIT naming each refused request (with
   * `describe(i)`, e.g. its nft command) and the kernel's errno; nothing of the batch is applied then.
   */
  commit(messages: readonly NftMessage[], describe: (index: number) => string): void {
    if (this.closed) throw new FirewallCommitError('inet', 'the nf_tables socket is closed');
    const first = this.seq;
    this.seq += messages.length + 2;
    const delimiter = (type: number, seq: number) =>
      frame(type, NLM_F_REQUEST, seq, NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES, []);
    const begin = delimiter(NFNL_MSG_BATCH_BEGIN, first);
    const end = delimiter(NFNL_MSG_BATCH_END, first + messages.length + 1);
    const requests = messages.map((m, i) =>
      frame(m.type, m.flags | NLM_F_REQUEST | NLM_F_ACK, first + 1 + i, NFPROTO_INET, 0, m.attrs),
    );
    writeSync(this.fd, Buffer.concat([begin, ...requests, end]));
    this.collectAnswers(first, messages.length, describe);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** Reads an answer for each request (and any error about the batch itself) and throws the errors. */
  private collectAnswers(first: number, count: number, describe: (index: number) => string): void {
    const answered = new Set<number>();
    const errors: string[] = [];
    while (answered.size < count) {
      let length: number;
      try {
        length = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        errors.push(`${count - answered.size} request(s) unanswered`);
        break;
      }
      for (const reply of parseMessages(this.buffer.subarray(0, length))) {
        const index = reply.seq - first - 1;
        if (reply.type !== NLMSG_ERROR || index < -1 || index > count) continue;
        const { errno } = parseError(reply.data, reply.flags);
        if (errno !== 0) {
          const what = index >= 0 && index < count ? describe(index) : 'the batch';
          errors.push(`${what}: ${errnoName(Math.abs(errno))}`);
        }
        if (index >= 0 && index < count) answered.add(index);
        else break;
      }
      if (errors.some((e) => e.startsWith('the batch'))) break;
    }
    if (errors.length > 0) throw new FirewallCommitError('inet', errors.join('; '));
  }
}
