import { PeerError } from '../errors';
import { assertInterfaceName } from '../names';
import type { Netns } from '../netns';
import { parsePeerResult, peerScriptArgv } from '../peer-script';
import type { DnsMessage, DnsTypeName } from './codec';

export interface MdnsQuery {
  /** e.g. 'pp-lan.local' or '_http._tcp.local' */
  readonly name: string;
  /** Default 'A'. */
  readonly type?: DnsTypeName;
  /** Interface inside the namespace to send the query from. */
  readonly interface: string;
  /** 4 (224.0.0.251) or 6 (ff02::fb); default 4. */
  readonly family?: 4 | 6;
  /** Default 3 s. */
  readonly timeoutMs?: number;
  /** Wait the whole timeout and collect every responder (default: stop at the first). */
  readonly all?: boolean;
}

export interface MdnsResponse {
  /** Source address of the answer. */
  readonly from: string;
  readonly message: DnsMessage;
}

/**
 * Sends an mDNS query from an ephemeral port inside `ns` (a legacy unicast query, RFC 6762 §6.7: responders
 * answer straight back to it) and resolves with the decoded answers; rejects when nobody answers in time.
 */
export async function mdnsQuery(ns: Netns, query: MdnsQuery): Promise<MdnsResponse[]> {
  assertInterfaceName(query.interface);
  const timeoutMs = query.timeoutMs ?? 3_000;
  const argv = [
    ...peerScriptArgv('mdns-query'),
    ...['--name', query.name, '--type', query.type ?? 'A', '--family', String(query.family ?? 4)],
    ...['--interface', query.interface, '--timeout', String(timeoutMs), ...(query.all ? ['--all'] : [])],
  ];
  const { stdout } = await ns.exec(argv, { timeoutMs: timeoutMs + 10_000 });
  const result = parsePeerResult(stdout);
  if (!Array.isArray(result.responses))
    throw new PeerError(`mdns-query result lacks responses: ${stdout.trim()}`);
  return result.responses as MdnsResponse[]; // produced by our own codec in the peer script
}
