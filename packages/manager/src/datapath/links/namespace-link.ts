import { closeSync, openSync } from 'node:fs';
import type { NetnsTarget } from '@patchpanel/netio';
import { rt } from 'netlink';
import { parseIpv4 } from '../../addressing/ipv4';
import { NetlinkRequestError } from './errors';
import { linkIndex } from './link-lookup';
import { macBytes, vethLinkInfo } from './linkinfo';
import { NLM_F_CREATE, NLM_F_ECHO, NLM_F_EXCL, Rtnetlink } from './rtnetlink';

const AF_INET = 2;
/** Every network namespace's loopback has this index (the kernel's LOOPBACK_IFINDEX). */
const LOOPBACK_IFINDEX = 1;

/** A veth pair between the daemon's namespace and a guest's, addressed from one subnet. */
export interface NamespaceLinkSpec {
  /** The guest's namespace, e.g. `{ pid }` of a process inside it. */
  readonly netns: NetnsTarget;
  readonly netnsPath: string;
  readonly hostIfname: string;
  readonly hostMac: string;
  readonly hostAddress: string;
  readonly peerIfname: string;
  readonly peerMac: string;
  readonly peerAddress: string;
  readonly prefixLength: number;
}

const ipv4Bytes = (address: string) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(parseIpv4(address));
  return out;
};

function addAddress(nl: Rtnetlink, index: number, address: string, prefixLength: number): void {
  nl.request(rt.MessageType.NEWADDR, NLM_F_CREATE | NLM_F_EXCL, {
    kind: 'address',
    data: { family: AF_INET, prefixlen: prefixLength, index },
    attrs: { local: ipv4Bytes(address), address: ipv4Bytes(address) },
  });
}

function setUp(nl: Rtnetlink, index: number): void {
  nl.request(rt.MessageType.NEWLINK, 0, {
    kind: 'link',
    data: { index, flags: { up: true }, change: { up: true } },
    attrs: {},
  });
}

/** Configures the peer from inside its namespace: address, link up, loopback up, default route via the host. */
function configurePeer(spec: NamespaceLinkSpec, echoedIndex: number | undefined): void {
  const nl = Rtnetlink.open(spec.netns);
  try {
    const index = echoedIndex ?? linkIndex(nl, spec.peerIfname);
    addAddress(nl, index, spec.peerAddress, spec.prefixLength);
    setUp(nl, index);
    setUp(nl, LOOPBACK_IFINDEX);
    nl.request(rt.MessageType.NEWROUTE, NLM_F_CREATE, {
      kind: 'route',
      data: { family: AF_INET, dstLen: 0, table: 254, protocol: 'BOOT', scope: 'UNIVERSE', type: 'UNICAST' },
      attrs: { gateway: ipv4Bytes(spec.hostAddress), oif: index },
    });
  } finally {
    nl.close();
  }
}

/** The indexes of a new veth's ends, each in its own namespace. */
export interface VethIndexes {
  readonly host: number;
  readonly peer: number;
}

/**
 * The indexes the kernel echoed for a veth it created (NLM_F_ECHO; kernels before 6.2 do not echo a new
 * link, and then each end is looked up by name): the host end's message names its peer in IFLA_LINK.
 */
export function echoedVethIndexes(
  replies: readonly rt.Message[],
  hostIfname: string,
): VethIndexes | undefined {
  const echo = replies.find((m) => m.kind === 'link' && m.attrs.ifname === hostIfname);
  if (echo?.kind !== 'link') return undefined;
  const host = echo.data.index;
  const link = echo.attrs.link;
  if (host === undefined || link?.length !== 4) return undefined;
  return { host, peer: Buffer.from(link).readUInt32LE(0) };
}

/**
 * Creates the pair with the peer born inside the guest's namespace (it never exists in ours) and our end up
 * (the peer cannot be: a veth end opens only once its pair exists), then addresses both and raises the peer.
 * Any failure deletes the pair again, so nothing is half-made.
 */
export function applyNamespaceLink(host: Rtnetlink, spec: NamespaceLinkSpec): void {
  const netnsFd = openSync(spec.netnsPath, 'r');
  let created: rt.Message[];
  try {
    created = host.request(rt.MessageType.NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO, {
      kind: 'link',
      data: { flags: { up: true }, change: { up: true } },
      attrs: {
        ifname: spec.hostIfname,
        address: macBytes(spec.hostMac),
        linkinfo: vethLinkInfo({ ifname: spec.peerIfname, mac: spec.peerMac, netnsFd }),
      },
    });
  } finally {
    closeSync(netnsFd);
  }
  try {
    const echoed = echoedVethIndexes(created, spec.hostIfname);
    addAddress(host, echoed?.host ?? linkIndex(host, spec.hostIfname), spec.hostAddress, spec.prefixLength);
    configurePeer(spec, echoed?.peer);
  } catch (err) {
    removeNamespaceLink(host, spec);
    throw err;
  }
}

/** Names of the links in `nl`'s namespace that match `pattern`. */
export function linksNamed(nl: Rtnetlink, pattern: RegExp): string[] {
  return nl
    .dump(rt.MessageType.GETLINK, { kind: 'link', data: {}, attrs: {} })
    .flatMap((message) => (message.kind === 'link' && message.attrs.ifname ? [message.attrs.ifname] : []))
    .filter((name) => pattern.test(name));
}

/** Deletes a link by name; gone already is success. */
export function deleteLink(nl: Rtnetlink, ifname: string): void {
  try {
    nl.request(rt.MessageType.DELLINK, 0, { kind: 'link', data: {}, attrs: { ifname } });
  } catch (err) {
    if (!(err instanceof NetlinkRequestError && err.errno === 'ENODEV')) throw err;
  }
}

/** Deleting our end destroys the pair, the addresses and the routes through it. Gone already is success. */
export function removeNamespaceLink(host: Rtnetlink, spec: NamespaceLinkSpec): void {
  deleteLink(host, spec.hostIfname);
}
