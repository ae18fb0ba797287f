import { McastError } from '../errors';
import { findARecordAddresses, IPV4_ADDRESS_BYTES, readDnsHeader } from './dns-walk';

// The rewrite walks the wire bytes itself instead of using a DNS library such as dns-packet: decoding and
// re-encoding does not give back the input byte for byte (name compression and casing change), and a decoder
// does not expose the offsets of the records, which an in-place rewrite of 4 bytes needs.

/** Why a datagram goes out unchanged. */
export type MdnsPassReason =
  | 'not-a-response'
  | 'error-rcode'
  | 'truncated-header'
  | 'malformed-question'
  | 'malformed-record'
  | 'no-matching-a-record';

export type MdnsRewrite =
  /** `datagram` is a new array of the input's length; the input is untouched. */
  | { readonly rewritten: true; readonly datagram: Uint8Array; readonly records: number }
  /** The caller forwards the input unchanged. */
  | { readonly rewritten: false; readonly reason: MdnsPassReason };

const RCODE_NOERROR = 0;

const pass = (reason: MdnsPassReason): MdnsRewrite => ({ rewritten: false, reason });

function requireIpv4(address: Uint8Array, role: string): void {
  if (address.length !== IPV4_ADDRESS_BYTES) {
    throw new McastError('PP_ERR_MCAST_INVALID_ARGUMENT', `${role} must be 4 bytes, got ${address.length}`);
  }
}

function addressAt(message: Uint8Array, offset: number, address: Uint8Array): boolean {
  for (let i = 0; i < IPV4_ADDRESS_BYTES; i++) if (message[offset + i] !== address[i]) return false;
  return true;
}

/**
 * SNAT traversal for an mDNS datagram going from a guest to the LAN: in a NOERROR response, every A record
 * (type 1, RDLENGTH 4, any class since mDNS sets the cache-flush bit) of the answer, authority and additional
 * sections whose address is `guest` gets `upstream` instead. A message malformed anywhere in its counted
 * sections is passed whole, never half-rewritten. Any length is parsed. Never throws on datagram contents;
 * throws McastError PP_ERR_MCAST_INVALID_ARGUMENT when `guest` or `upstream` is not 4 bytes.
 */
export function rewriteMdnsAddresses(
  datagram: Uint8Array,
  guest: Uint8Array,
  upstream: Uint8Array,
): MdnsRewrite {
  requireIpv4(guest, 'guest');
  requireIpv4(upstream, 'upstream');
  const header = readDnsHeader(datagram);
  if (header === undefined) return pass('truncated-header');
  if (!header.response) return pass('not-a-response');
  if (header.rcode !== RCODE_NOERROR) return pass('error-rcode');
  const scan = findARecordAddresses(datagram, header);
  if (!scan.ok) return pass(scan.reason);
  const matching = scan.addressOffsets.filter((offset) => addressAt(datagram, offset, guest));
  if (matching.length === 0) return pass('no-matching-a-record');
  // A copy through the Uint8Array constructor: Buffer#slice would return a view of the caller's memory.
  const output = new Uint8Array(datagram);
  for (const offset of matching) output.set(upstream, offset);
  return { rewritten: true, datagram: output, records: matching.length };
}
