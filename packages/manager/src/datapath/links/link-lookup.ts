import { rt } from 'netlink';
import { NetlinkRequestError } from './errors';
import type { Rtnetlink } from './rtnetlink';

/** What the kernel says about one link. */
export interface LinkState {
  readonly index: number;
  readonly mac: Uint8Array | undefined;
  readonly allMulticast: boolean;
  /** IFF_MULTICAST: the link can carry multicast at all. */
  readonly multicast: boolean;
}

export function linkState(nl: Rtnetlink, ifname: string): LinkState {
  const [reply] = nl.request(rt.MessageType.GETLINK, 0, { kind: 'link', data: {}, attrs: { ifname } });
  if (reply?.kind !== 'link' || reply.data.index === undefined) {
    throw new NetlinkRequestError(`no link ${ifname}`, 'ENODEV');
  }
  const { address } = reply.attrs;
  return {
    index: reply.data.index,
    mac: address?.length === 6 ? Uint8Array.from(address) : undefined,
    allMulticast: reply.data.flags?.allmulti === true,
    multicast: reply.data.flags?.multicast === true,
  };
}

export function linkIndex(nl: Rtnetlink, ifname: string): number {
  return linkState(nl, ifname).index;
}

/** IFF_MULTICAST on `ifname`; false when the link cannot be read. */
export function linkIsMulticast(nl: Rtnetlink, ifname: string): boolean {
  try {
    return linkState(nl, ifname).multicast;
  } catch {
    return false;
  }
}
