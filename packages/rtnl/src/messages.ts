import { rt } from 'netlink';

const AF_INET = 2;
const AF_INET6 = 10;

/** One IPv6 entry of the kernel's neighbour table changed: its MAC, or undefined when it has no usable one. */
export interface NeighbourUpdate {
  readonly ifindex: number;
  readonly address: Uint8Array;
  readonly mac: Uint8Array | undefined;
}

/** A link appeared, changed or went away (`mac` undefined: gone, or not an Ethernet-like link). */
export interface LinkUpdate {
  readonly ifname: string;
  readonly mac: Uint8Array | undefined;
}

/**
 * A NEWNEIGH or DELNEIGH message as an update; undefined for other families, proxy entries and messages
 * without an interface or an IPv6 destination. An entry that is INCOMPLETE or FAILED has no usable MAC.
 */
export function neighbourUpdate(type: number, message: rt.Message): NeighbourUpdate | undefined {
  if (message.kind !== 'neighbor') return undefined;
  const { family, ifindex, state, flags } = message.data;
  const address = message.attrs.dst;
  if (family !== AF_INET6 || !ifindex || address?.length !== 16 || flags?.proxy) return undefined;
  const lladdr = message.attrs.lladdr;
  const usable =
    type === rt.MessageType.NEWNEIGH && lladdr?.length === 6 && !state?.incomplete && !state?.failed;
  return { ifindex, address: Uint8Array.from(address), mac: usable ? Uint8Array.from(lladdr) : undefined };
}

/** A NEWLINK or DELLINK message as an update; undefined for a message without a name. */
export function linkUpdate(type: number, message: rt.Message): LinkUpdate | undefined {
  if (message.kind !== 'link' || !message.attrs.ifname) return undefined;
  const address = message.attrs.address;
  const mac = type === rt.MessageType.NEWLINK && address?.length === 6 ? Uint8Array.from(address) : undefined;
  return { ifname: message.attrs.ifname, mac };
}

/** An IPv4 address of an interface appeared or went away. */
export interface Ipv4AddressUpdate {
  readonly ifindex: number;
  readonly address: Uint8Array;
  readonly prefixLength: number;
  readonly removed: boolean;
}

/** A NEWADDR or DELADDR message of family AF_INET as an update; undefined for anything else or a bad length. */
export function ipv4AddressUpdate(type: number, message: rt.Message): Ipv4AddressUpdate | undefined {
  if (message.kind !== 'address') return undefined;
  const { family, index, prefixlen } = message.data;
  const address = message.attrs.local ?? message.attrs.address;
  if (family !== AF_INET || !index || address?.length !== 4 || prefixlen === undefined || prefixlen > 32) {
    return undefined;
  }
  return {
    ifindex: index,
    address: Uint8Array.from(address),
    prefixLength: prefixlen,
    removed: type === rt.MessageType.DELADDR,
  };
}
