// IFLA_LINKINFO payloads that the netlink package leaves as raw bytes. Pure.

const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_NET_NS_FD = 28;
const NLA_F_NESTED = 0x8000;
const IFINFOMSG_BYTES = 16;

/** One netlink attribute: 4-byte header, payload, padding to 4 bytes. */
export function nla(type: number, payload: Uint8Array): Buffer {
  const length = 4 + payload.length;
  const out = Buffer.alloc((length + 3) & ~3);
  out.writeUInt16LE(length, 0);
  out.writeUInt16LE(type, 2);
  out.set(payload, 4);
  return out;
}

const cString = (text: string) => Buffer.from(`${text}\0`, 'latin1');
const u32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value);
  return out;
};

export function macBytes(mac: string): Buffer {
  return Buffer.from(mac.split(':').map((octet) => Number.parseInt(octet, 16)));
}

export interface VethPeer {
  readonly ifname: string;
  readonly mac: string;
  /** An open fd of the network namespace the peer is created in. */
  readonly netnsFd: number;
}

/** IFLA_LINKINFO for a veth whose peer is created directly inside another namespace, with its name and MAC. */
export function vethLinkInfo(peer: VethPeer): Buffer {
  const peerMessage = Buffer.concat([
    Buffer.alloc(IFINFOMSG_BYTES),
    nla(IFLA_IFNAME, cString(peer.ifname)),
    nla(IFLA_ADDRESS, macBytes(peer.mac)),
    nla(IFLA_NET_NS_FD, u32(peer.netnsFd)),
  ]);
  return Buffer.concat([
    nla(IFLA_INFO_KIND, cString('veth')),
    nla(IFLA_INFO_DATA | NLA_F_NESTED, nla(VETH_INFO_PEER | NLA_F_NESTED, peerMessage)),
  ]);
}
