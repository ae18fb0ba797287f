import { endianness } from 'node:os';
import { nla as attr } from '../../../links/linkinfo';

export { attr };

/**
 * Netlink attributes (type, length, value, padded to 4 bytes), the few kinds nf_tables takes. Numbers in
 * attributes are big-endian; values the kernel compares with packet metadata (marks, uids, conntrack state)
 * are in host order, as the kernel keeps them.
 */

const NLA_F_NESTED = 0x8000;

export const nested = (type: number, children: readonly Buffer[]): Buffer =>
  attr(type | NLA_F_NESTED, Buffer.concat(children));

export const str = (type: number, text: string): Buffer => attr(type, Buffer.from(`${text}\0`));

export function be32(type: number, value: number): Buffer {
  const out = Buffer.alloc(4);
  if (value < 0) out.writeInt32BE(value);
  else out.writeUInt32BE(value);
  return attr(type, out);
}

export function be64(type: number, value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(value));
  return attr(type, out);
}

export const u8 = (type: number, value: number): Buffer => attr(type, Uint8Array.of(value));

/** A 32-bit value in the host's byte order. */
export function hostU32(value: number): Buffer {
  const out = Buffer.alloc(4);
  if (endianness() === 'LE') out.writeUInt32LE(value >>> 0);
  else out.writeUInt32BE(value >>> 0);
  return out;
}

export function be16Value(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}
