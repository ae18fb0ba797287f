/** Just enough rtnetlink to add an address over a raw NETLINK_ROUTE fd (tests only). */
import { readSync, writeSync } from 'node:fs';

const RTM_NEWADDR = 20;
const NLM_F_REQUEST = 0x1;
const NLM_F_ACK = 0x4;
const NLM_F_CREATE = 0x400;
const NLM_F_EXCL = 0x200;
const NLMSG_ERROR = 2;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const AF_INET = 2;

function attribute(type: number, value: Uint8Array): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(4 + value.length, 0);
  header.writeUInt16LE(type, 2);
  const padding = Buffer.alloc((4 - (value.length % 4)) % 4);
  return Buffer.concat([header, value, padding]);
}

/** Sends RTM_NEWADDR for an IPv4 address and waits for the kernel's ack; throws with the errno on failure. */
export function addIpv4Address(fd: number, ifindex: number, address: Uint8Array, prefixLength: number): void {
  const ifaddrmsg = Buffer.from([AF_INET, prefixLength, 0, 0, 0, 0, 0, 0]);
  ifaddrmsg.writeUInt32LE(ifindex, 4);
  const body = Buffer.concat([ifaddrmsg, attribute(IFA_LOCAL, address), attribute(IFA_ADDRESS, address)]);
  const header = Buffer.alloc(16);
  header.writeUInt32LE(16 + body.length, 0);
  header.writeUInt16LE(RTM_NEWADDR, 4);
  header.writeUInt16LE(NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 6);
  header.writeUInt32LE(1, 8);
  writeSync(fd, Buffer.concat([header, body]));
  const reply = Buffer.alloc(4096);
  const length = readSync(fd, reply);
  if (length < 20 || reply.readUInt16LE(4) !== NLMSG_ERROR) throw new Error('unexpected netlink reply');
  const error = reply.readInt32LE(16);
  if (error !== 0) throw new Error(`RTM_NEWADDR failed with errno ${-error}`);
}
